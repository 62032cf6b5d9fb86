import type { Prisma } from '../db/database.js';
import { ArrowApiError } from '../arrow/client.js';
import type { ArrowSource } from './arrow-source.js';
import { ArrowUnavailableError, NotFoundError, ValidationError } from './errors.js';
import { isUuid } from './mappings.js';

export type Settings = NonNullable<Awaited<ReturnType<Prisma['arrowSettings']['findUnique']>>>;

/** The default settings: the oldest active record. */
export function activeSettings(prisma: Prisma): Promise<Settings | null> {
  return prisma.arrowSettings.findFirst({ where: { isActive: true }, orderBy: [{ created: 'asc' }, { uuid: 'asc' }] });
}

export async function getSettings(prisma: Prisma, uuid: string): Promise<Settings> {
  const settings = isUuid(uuid) ? await prisma.arrowSettings.findUnique({ where: { uuid } }) : null;
  if (!settings) throw new NotFoundError(`Arrow settings ${uuid} not found`);
  return settings;
}

export interface SettingsInput {
  apiUrl: string;
  apiKey: string;
  exportTypeReference?: string | null;
  classificationFilter?: string | null;
  isActive?: boolean | null;
  syncEnabled?: boolean | null;
  invoicePriceSource?: 'sell' | 'buy' | null;
  invoiceItemPrefix?: string | null;
}

function checkUrl(apiUrl: string) {
  try {
    const u = new URL(apiUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw ValidationError.field('api_url', 'Enter a valid http(s) URL.');
  }
}

/** Asks Arrow who the credentials belong to; a refusal is a validation error on the key. */
async function whoami(arrow: ArrowSource, credentials: { uuid: string; apiUrl: string; apiKey: string }) {
  try {
    return await arrow.client(credentials).whoami();
  } catch (err) {
    if (err instanceof ArrowApiError && (err.status === 401 || err.status === 403)) {
      throw ValidationError.field('api_key', `Arrow refused these credentials: ${err.arrowMessage}`);
    }
    throw new ArrowUnavailableError(err instanceof Error ? err.message : String(err));
  }
}

function optional(input: Partial<SettingsInput>) {
  const data: Record<string, unknown> = {};
  for (const key of ['exportTypeReference', 'classificationFilter', 'isActive', 'syncEnabled', 'invoicePriceSource', 'invoiceItemPrefix'] as const) {
    if (input[key] !== undefined && input[key] !== null) data[key] = input[key];
  }
  return data;
}

/** Creates settings after Arrow's whoami confirmed the credentials; fills the partner fields. */
export async function createSettings(prisma: Prisma, arrow: ArrowSource, input: SettingsInput): Promise<Settings> {
  checkUrl(input.apiUrl);
  if (!input.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  const partner = await whoami(arrow, { uuid: 'new', apiUrl: input.apiUrl, apiKey: input.apiKey });
  return prisma.arrowSettings.create({
    data: { apiUrl: input.apiUrl, apiKey: input.apiKey, partnerReference: partner.reference, partnerName: partner.companyName, ...optional(input) },
  });
}

/** Updates settings; new credentials are checked with whoami first. Drops cached Arrow data. */
export async function updateSettings(prisma: Prisma, arrow: ArrowSource, uuid: string, patch: Partial<SettingsInput>): Promise<Settings> {
  const current = await getSettings(prisma, uuid);
  if (patch.apiUrl !== undefined) checkUrl(patch.apiUrl);
  if (patch.apiKey !== undefined && !patch.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  const apiUrl = patch.apiUrl ?? current.apiUrl;
  const apiKey = patch.apiKey ?? current.apiKey;
  let partner: Record<string, string> = {};
  if (apiUrl !== current.apiUrl || apiKey !== current.apiKey) {
    const who = await whoami(arrow, { uuid, apiUrl, apiKey });
    partner = { partnerReference: who.reference, partnerName: who.companyName };
  }
  const updated = await prisma.arrowSettings.update({ where: { uuid }, data: { apiUrl, apiKey, ...partner, ...optional(patch) } });
  arrow.invalidate(uuid);
  return updated;
}
