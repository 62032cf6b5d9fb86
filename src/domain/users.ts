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
  /**
   * The database's data version, read in the statement that found the token (the response cache
   * then needs no statement of its own): read before anything the request reads, so an answer
   * kept under it can only be newer than it says, never older.
   */
  dataVersion?: bigint;
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

/** How long a token of the gateway's own lasts unless said otherwise (`create-token --expires-in`). */
export const DEFAULT_TOKEN_DAYS = 90;

/**
 * Creates a token for the user and returns it; this is the only time it can be seen. It expires
 * after `expiresInDays` (DEFAULT_TOKEN_DAYS; null: never); `rotate` revokes the user's other
 * tokens in the same transaction, so a leaked one stops working as the new one starts.
 */
export async function createToken(prisma: Prisma, username: string, options: { expiresInDays?: number | null; rotate?: boolean } = {}): Promise<string> {
  const days = options.expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : options.expiresInDays;
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650)) throw ValidationError.field('expires_in', 'Give a whole number of days from 1 to 3650.');
  const token = newToken();
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { username } });
    if (!user) throw new NotFoundError(`User ${username} not found`);
    if (options.rotate) await tx.apiToken.deleteMany({ where: { userUuid: user.uuid } });
    await tx.apiToken.create({ data: { userUuid: user.uuid, tokenHash: hashToken(token), expiresAt: days === null ? null : new Date(Date.now() + days * 86_400_000) } });
  });
  return token;
}

/** A user's tokens as staff may see them: never the token, only when it was made, last used and expires. */
export async function listTokens(prisma: Prisma, username: string) {
  const user = await prisma.user.findUnique({ where: { username }, select: { tokens: { orderBy: { created: 'asc' }, select: { uuid: true, created: true, lastUsedAt: true, expiresAt: true } } } });
  if (!user) throw new NotFoundError(`User ${username} not found`);
  return user.tokens;
}

/** Revokes one token, named by its uuid (list-tokens) or by the token itself. */
export async function revokeToken(prisma: Prisma, tokenOrUuid: string): Promise<{ username: string }> {
  const where = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tokenOrUuid) ? { uuid: tokenOrUuid } : { tokenHash: hashToken(tokenOrUuid) };
  const found = await prisma.apiToken.findUnique({ where, select: { uuid: true, tokenHash: true, user: { select: { username: true } } } });
  if (!found) throw new NotFoundError('No such token');
  await prisma.apiToken.delete({ where: { uuid: found.uuid } });
  tokenOwners.forget(found.tokenHash);
  return found.user;
}

/** Deletes a user of the gateway's own and their tokens. */
export async function deleteUser(prisma: Prisma, username: string): Promise<void> {
  const deleted = await prisma.user.deleteMany({ where: { username } });
  if (!deleted.count) throw new NotFoundError(`User ${username} not found`);
}

export async function listUsers(prisma: Prisma) {
  const users = await prisma.user.findMany({
    orderBy: { username: 'asc' },
    select: { username: true, isStaff: true, created: true, _count: { select: { tokens: true } } },
  });
  return users.map((u) => ({ username: u.username, isStaff: u.isStaff, created: u.created, tokens: u._count.tokens }));
}

export async function findViewerByToken(prisma: Prisma, token: string): Promise<Viewer | null> {
  // one statement on every request: the user through the token, unexpired, and the data version;
  // the token's last use written in the same statement, at most once a minute
  const tokenHash = hashToken(token);
  const rows = await prisma.$queryRaw<{ uuid: string; username: string; is_staff: boolean; data_version: bigint | null }[]>`
    WITH used AS (
      UPDATE api_tokens SET last_used_at = now()
       WHERE token_hash = ${tokenHash} AND (expires_at IS NULL OR expires_at > now())
         AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
    )
    SELECT u.uuid::text AS uuid, u.username, u.is_staff, (SELECT version FROM data_version WHERE id = 1) AS data_version
      FROM users u JOIN api_tokens a ON a.user_uuid = u.uuid
     WHERE a.token_hash = ${tokenHash} AND (a.expires_at IS NULL OR a.expires_at > now())`;
  const row = rows[0];
  const viewer = row ? { uuid: row.uuid, username: row.username, isStaff: row.is_staff, isSupport: false, source: 'local' as const, ...(row.data_version === null ? {} : { dataVersion: row.data_version }) } : null;
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
