import type { Database, Prisma } from '../db/database.js';
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

/** Arrow's billing export types for these credentials; Arrow failing is ArrowUnavailable. */
export async function exportTypesOf(arrow: ArrowSource, credentials: { uuid: string; apiUrl: string; apiKey: string }) {
  try {
    return await arrow.client(credentials).exportTypes();
  } catch (err) {
    throw new ArrowUnavailableError(`Cannot read Arrow's export types: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A billing export type must be one Arrow offers these credentials, or billing syncs could never start. */
async function checkExportType(arrow: ArrowSource, credentials: { uuid: string; apiUrl: string; apiKey: string }, reference: string | null | undefined) {
  if (!reference) return;
  const types = await exportTypesOf(arrow, credentials);
  if (!types.some((t) => t.reference === reference)) {
    const offered = types.map((t) => `${t.reference} (${t.name})`).join(', ') || 'none';
    throw ValidationError.field('export_type_reference', `Arrow has no export type "${reference}" for these credentials; it offers: ${offered}`);
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
  await checkExportType(arrow, { uuid: 'new', apiUrl: input.apiUrl, apiKey: input.apiKey }, input.exportTypeReference);
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
  if (patch.exportTypeReference !== undefined && patch.exportTypeReference !== current.exportTypeReference) {
    await checkExportType(arrow, { uuid, apiUrl, apiKey }, patch.exportTypeReference);
  }
  const updated = await prisma.arrowSettings.update({ where: { uuid }, data: { apiUrl, apiKey, ...partner, ...optional(patch) } });
  arrow.invalidate(uuid);
  return updated;
}

/**
 * Settings named by the environment (ARROW_API_URL and ARROW_API_KEY): created once, when no
 * settings have that URL, after whoami confirmed the key; never changed at a later start (they
 * are shared by every replica, and changed with updateArrowSettings). Answers what happened.
 */
export async function settingsFromEnvironment(db: Database, arrow: ArrowSource, credentials: { apiUrl: string; apiKey: string }): Promise<string> {
  return db.withAdvisoryLock(ENV_SETTINGS_LOCK, async () => {
    const existing = await db.prisma.arrowSettings.findFirst({ where: { apiUrl: credentials.apiUrl } });
    if (existing) return `settings ${existing.uuid} already name ${credentials.apiUrl}; left as they are`;
    const created = await createSettings(db.prisma, arrow, { ...credentials, isActive: true, syncEnabled: false });
    return `created settings ${created.uuid} for partner ${created.partnerReference} (${created.partnerName}); choose an export type (arrowExportTypes) and turn syncEnabled on`;
  });
}

const ENV_SETTINGS_LOCK = 0x5e771465n;
