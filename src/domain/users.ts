import crypto from 'node:crypto';
import type { Prisma } from '../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';

export interface Viewer {
  uuid: string;
  username: string;
  isStaff: boolean;
  /** Waldur's support users: may read everything and change nothing. */
  isSupport?: boolean;
  /** A user of the gateway's own (service accounts, scripts) or of the attached Waldur. */
  source?: 'local' | 'waldur';
}

/** Tokens are 40 hex characters, as Waldur's; only their SHA-256 is stored. */
export function newToken(): string {
  return crypto.randomBytes(20).toString('hex');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createUser(prisma: Prisma, username: string, isStaff: boolean): Promise<Viewer> {
  if (!/^[\w.@+-]{1,150}$/.test(username)) {
    throw ValidationError.field('username', 'Use 1 to 150 letters, digits and @.+-_ only.');
  }
  const existing = await prisma.user.findUnique({ where: { username } });
  if (existing) throw new ConflictError(`User ${username} already exists`);
  return prisma.user.create({ data: { username, isStaff }, select: { uuid: true, username: true, isStaff: true } });
}

/** Creates a token for the user and returns it; this is the only time it can be seen. */
export async function createToken(prisma: Prisma, username: string): Promise<string> {
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new NotFoundError(`User ${username} not found`);
  const token = newToken();
  await prisma.apiToken.create({ data: { userUuid: user.uuid, tokenHash: hashToken(token) } });
  return token;
}

export async function listUsers(prisma: Prisma) {
  const users = await prisma.user.findMany({
    orderBy: { username: 'asc' },
    select: { username: true, isStaff: true, created: true, _count: { select: { tokens: true } } },
  });
  return users.map((u) => ({ username: u.username, isStaff: u.isStaff, created: u.created, tokens: u._count.tokens }));
}

export async function findViewerByToken(prisma: Prisma, token: string): Promise<Viewer | null> {
  // the user through a subquery on the token: one statement on every request, not two
  const tokenHash = hashToken(token);
  const viewer = await prisma.user.findFirst({
    where: { tokens: { some: { tokenHash } } },
    select: { uuid: true, username: true, isStaff: true },
  });
  if (viewer) tokenOwners.remember(tokenHash, viewer.uuid);
  else tokenOwners.forget(tokenHash);
  return viewer;
}

/**
 * Which user a token hash was last found to belong to, for a minute: the rate limit keys a
 * request by its user only once its token has been seen valid (a made-up token is its address).
 * At most 10,000 remembered, the oldest forgotten first.
 */
class TokenOwners {
  private readonly owners = new Map<string, { userUuid: string; until: number }>();
  remember(tokenHash: string, userUuid: string, now = Date.now()) {
    this.owners.delete(tokenHash);
    this.owners.set(tokenHash, { userUuid, until: now + 60_000 });
    if (this.owners.size > 10_000) this.owners.delete(this.owners.keys().next().value!);
  }
  forget(tokenHash: string) {
    this.owners.delete(tokenHash);
  }
  owner(tokenHash: string, now = Date.now()): string | undefined {
    const known = this.owners.get(tokenHash);
    return known && known.until > now ? known.userUuid : undefined;
  }
}
export const tokenOwners = new TokenOwners();

/** Makes sure a staff user `admin` exists and holds this token (the bootstrap for scripts and CI). */
export async function ensureAdminToken(prisma: Prisma, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await prisma.$transaction(async (tx) => {
    const admin = await tx.user.upsert({
      where: { username: 'admin' },
      create: { username: 'admin', isStaff: true },
      update: { isStaff: true },
    });
    const holder = await tx.apiToken.findUnique({ where: { tokenHash } });
    if (holder && holder.userUuid !== admin.uuid) {
      throw new ConflictError('ADMIN_TOKEN is already held by another user');
    }
    if (!holder) await tx.apiToken.create({ data: { userUuid: admin.uuid, tokenHash } });
  });
}
