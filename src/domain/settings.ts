import type { Database, Prisma } from '../db/database.js';
import { ArrowApiError } from '../arrow/client.js';
import type { ArrowSource } from './arrow-source.js';
import { ArrowUnavailableError, NotFoundError, ValidationError } from './errors.js';
import { isUuid } from './mappings.js';
import { waldurCustomersByName } from './customer-suggestions.js';
import { givenFields } from './collections.js';

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
  waldurBilling?: 'OFF' | 'INVOICE_ITEMS' | 'COMPONENT_USAGE' | null;
}

function checkUrl(apiUrl: string) {
  try {
    const u = new URL(apiUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw ValidationError.field('api_url', 'Enter a valid http(s) URL.');
  }
}

/**
 * Asks Arrow who the credentials belong to; a refusal is a validation error on the key. The URL
 * is not yet known to be ArrowSphere's: what failed is said in our words, never echoing what
 * answered (or telling a closed port from another service), so the gateway is no probe.
 */
async function whoami(arrow: ArrowSource, credentials: { uuid: string; apiUrl: string; apiKey: string }) {
  try {
    return await arrow.client(credentials).whoami();
  } catch (err) {
    throw unprovenUrlFailure(err);
  }
}

/** The failure of a call to a URL not yet known to be ArrowSphere's, in our words. */
export function unprovenUrlFailure(err: unknown): Error {
  if (err instanceof ArrowApiError && (err.status === 401 || err.status === 403)) {
    return ValidationError.field('api_key', `Arrow refused these credentials (HTTP ${err.status}).`);
  }
  if (err instanceof ArrowApiError && err.arrowMessage.includes('ALLOW_PRIVATE_UPSTREAMS')) return ValidationError.field('api_url', err.arrowMessage);
  return new ArrowUnavailableError(NO_ARROW_HERE);
}

export const NO_ARROW_HERE = "No ArrowSphere API answered at this URL (no connection, no answer in time, or an answer that is not ArrowSphere's).";

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
  for (const key of ['exportTypeReference', 'classificationFilter', 'isActive', 'syncEnabled', 'invoicePriceSource', 'invoiceItemPrefix', 'waldurBilling'] as const) {
    if (input[key] !== undefined && input[key] !== null) data[key] = input[key];
  }
  return data;
}

/**
 * Each Arrow charge reaches Waldur by one path only: a second settings for the same Arrow partner
 * billing too (in either mode) is refused, since each would put the partner's charges on the
 * invoices. Within one settings the two modes never both bill a licence's month: the push skips
 * what already reached Waldur the other way (after a change of mode).
 */
async function checkWaldurBilling(prisma: Prisma, mode: SettingsInput['waldurBilling'], partnerReference: string, except?: string) {
  if (!mode || mode === 'OFF') return;
  const other = await prisma.arrowSettings.findFirst({ where: { partnerReference, waldurBilling: { not: 'OFF' }, ...(except ? { uuid: { not: except } } : {}) }, select: { uuid: true } });
  if (other) {
    throw ValidationError.field('waldur_billing', `Settings ${other.uuid} already bill Arrow partner ${partnerReference} into Waldur; billing the same lines from these settings too would invoice them twice. Turn one off first.`);
  }
}

/** Creates settings after Arrow's whoami confirmed the credentials; fills the partner fields. */
export async function createSettings(prisma: Prisma, arrow: ArrowSource, input: SettingsInput): Promise<Settings> {
  checkUrl(input.apiUrl);
  if (!input.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  const partner = await whoami(arrow, { uuid: 'new', apiUrl: input.apiUrl, apiKey: input.apiKey });
  await checkExportType(arrow, { uuid: 'new', apiUrl: input.apiUrl, apiKey: input.apiKey }, input.exportTypeReference);
  await checkWaldurBilling(prisma, input.waldurBilling, partner.reference);
  return prisma.arrowSettings.create({
    data: { apiUrl: input.apiUrl, apiKey: input.apiKey, partnerReference: partner.reference, partnerName: partner.companyName, ...optional(input) },
  });
}

/**
 * What Arrow answers depends on where and as whom the gateway asks (URL, key) and what it asks for
 * (export type, classification): a change of these drops the settings' cached Arrow data, and so
 * does an update that names no field at all, which is how staff say "look again". Any other change
 * (billing into Waldur, flows on or off, invoice prefix) keeps it: every screen after it used to be
 * computed cold, Arrow asked afresh for nothing Arrow would answer differently.
 */
const ARROW_FACING = ['apiUrl', 'apiKey', 'exportTypeReference', 'classificationFilter'] as const;

/** Updates settings; new credentials are checked with whoami first. Drops cached Arrow data as ARROW_FACING says. */
export async function updateSettings(prisma: Prisma, arrow: ArrowSource, uuid: string, patch: Partial<SettingsInput>): Promise<Settings> {
  const current = await getSettings(prisma, uuid);
  if (patch.apiUrl !== undefined) checkUrl(patch.apiUrl);
  if (patch.apiKey !== undefined && !patch.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  // the saved key goes only to the host it was saved with: another one needs the key given again
  if (patch.apiUrl !== undefined && patch.apiKey === undefined && new URL(patch.apiUrl).origin !== new URL(current.apiUrl).origin) {
    throw ValidationError.field('api_key', 'Give the API key again to move the settings to another host: the saved key is only ever sent to the host it was saved with.');
  }
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
  await checkWaldurBilling(prisma, patch.waldurBilling ?? current.waldurBilling, partner.partnerReference ?? current.partnerReference, uuid);
  const updated = await prisma.arrowSettings.update({ where: { uuid }, data: { apiUrl, apiKey, ...partner, ...optional(patch) } });
  const lookAgain = Object.keys(givenFields(patch)).length === 0;
  if (lookAgain || ARROW_FACING.some((field) => updated[field] !== current[field])) await arrow.invalidate(uuid);
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

/** Credentials not (yet) saved: a client keyed by themselves, never by a settings row. */
const unsaved = (credentials: { apiUrl: string; apiKey: string }) => ({ uuid: 'unsaved', ...credentials });

/** What Arrow says of these credentials; never throws for Arrow's sake (Waldur's validate_credentials). */
export async function validateCredentials(arrow: ArrowSource, credentials: { apiUrl: string; apiKey: string }) {
  checkUrl(credentials.apiUrl);
  if (!credentials.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  try {
    const partner = await arrow.client(unsaved(credentials)).whoami();
    const exportTypes = await arrow.client(unsaved(credentials)).exportTypes().catch(() => []);
    return { valid: true as const, partner, exportTypes };
  } catch (err) {
    return { valid: false as const, error: unprovenUrlFailure(err).message };
  }
}

export interface SettingsPreview {
  apiUrl: string;
  partnerReference: string;
  partnerName: string;
  exportTypeReference: string;
  classificationFilter: string;
  syncEnabled: boolean;
}

/** The settings as they would be saved, after Arrow's whoami accepted the credentials; nothing is stored. */
export async function previewSettings(arrow: ArrowSource, input: SettingsInput): Promise<SettingsPreview> {
  checkUrl(input.apiUrl);
  if (!input.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  const partner = await whoami(arrow, unsaved(input));
  return {
    apiUrl: input.apiUrl,
    partnerReference: partner.reference,
    partnerName: partner.companyName,
    exportTypeReference: input.exportTypeReference ?? '',
    classificationFilter: input.classificationFilter ?? 'IAAS',
    syncEnabled: input.syncEnabled ?? false,
  };
}

/**
 * Saves new active settings (every other settings record made inactive) with the mappings staff
 * chose, all in one transaction after whoami accepted the credentials; a mapping whose Waldur
 * customer the mirror does not hold is skipped, as Waldur skips it. Company names come from Arrow.
 */
export async function saveSettings(prisma: Prisma, arrow: ArrowSource, input: SettingsInput & { customerMappings: { arrowReference: string; waldurCustomerUuid: string }[] }) {
  const preview = await previewSettings(arrow, input);
  await checkExportType(arrow, unsaved(input), input.exportTypeReference);
  for (const [i, m] of input.customerMappings.entries()) {
    if (!m.arrowReference.trim()) throw ValidationError.field(`customer_mappings[${i}].arrow_reference`, 'This field may not be blank.');
    if (!isUuid(m.waldurCustomerUuid)) throw ValidationError.field(`customer_mappings[${i}].waldur_customer_uuid`, 'Must be a valid UUID.');
  }
  const known = new Set((await prisma.waldurCustomer.findMany({ where: { uuid: { in: input.customerMappings.map((m) => m.waldurCustomerUuid) } }, select: { uuid: true } })).map((c) => c.uuid));
  const wanted = [...new Map(input.customerMappings.filter((m) => known.has(m.waldurCustomerUuid)).map((m) => [m.arrowReference, m])).values()];
  const names = new Map((await arrow.client(unsaved(input)).listCustomers().catch(() => [])).map((c) => [c.reference, c.companyName]));
  return prisma.$transaction(async (tx) => {
    await tx.arrowSettings.updateMany({ where: { isActive: true }, data: { isActive: false } });
    const settings = await tx.arrowSettings.create({
      data: { apiUrl: input.apiUrl, apiKey: input.apiKey, partnerReference: preview.partnerReference, partnerName: preview.partnerName, ...optional(input), isActive: true },
    });
    await tx.customerMapping.createMany({ data: wanted.map((m) => ({ settingsUuid: settings.uuid, arrowReference: m.arrowReference, arrowCompanyName: names.get(m.arrowReference) ?? '', waldurCustomerUuid: m.waldurCustomerUuid })) });
    return { settings, mappingsCreated: wanted.length };
  });
}

/** Deletes settings with their mappings and billing syncs (a cascade, as Waldur's); flow runs keep their history. */
export async function deleteSettings(prisma: Prisma, arrow: ArrowSource, uuid: string): Promise<Settings> {
  const settings = await getSettings(prisma, uuid);
  await prisma.arrowSettings.delete({ where: { uuid } });
  await arrow.invalidate(uuid);
  return settings;
}

/** The export columns billing needs (every one) and those it reads when there (Waldur's discover_customers). */
const REQUIRED_EXPORT_FIELDS = ['Classification', 'Vendor Subscription ID', 'End User Company Name', 'Customer Total Price', 'Total Wholesale Price'];
const IMPORTANT_EXPORT_FIELDS = [
  'Friendly Name', 'Report Period', 'Vendor Name', 'Offer Name', 'Qty', 'Order Id', 'Description', 'Service Name', 'Arrow SKU', 'Vendor SKU', 'Billing Cycle',
  'Customer Unit Price', 'Bill From', 'Bill To', 'End User Company ID', 'End User E-mail', 'End User Country Code', 'End User Address Line1', 'End User City',
  'End User Post Code', 'Sequence', 'ARS Subscription ID',
];
/** The month whose export page 1 shows a type's columns (Waldur probes the same one). */
const PROBE_PERIOD = '2025-01';

export interface ExportTypeCompatibility {
  reference: string;
  name: string;
  requiredFieldsTotal: number;
  requiredFieldsFound: number;
  importantFieldsTotal: number;
  importantFieldsFound: number;
  missingRequiredFields: string[];
  missingImportantFields: string[];
  compatible: boolean;
  recommended: boolean;
}

/** How well each export type Arrow offers these credentials suits billing: its columns against the lists above. */
async function exportTypeCompatibility(arrow: ArrowSource, credentials: { apiUrl: string; apiKey: string }): Promise<ExportTypeCompatibility[]> {
  const client = arrow.client(unsaved(credentials));
  const types = await client.exportTypes().catch(() => []);
  return Promise.all(
    types.map(async (t) => {
      const headers = new Set(await client.billingExportHeaders(t.reference, PROBE_PERIOD).catch(() => [] as string[]));
      const missingRequired = REQUIRED_EXPORT_FIELDS.filter((f) => !headers.has(f)).sort();
      const missingImportant = IMPORTANT_EXPORT_FIELDS.filter((f) => !headers.has(f)).sort();
      const importantFound = IMPORTANT_EXPORT_FIELDS.length - missingImportant.length;
      return {
        reference: t.reference,
        name: t.name,
        requiredFieldsTotal: REQUIRED_EXPORT_FIELDS.length,
        requiredFieldsFound: REQUIRED_EXPORT_FIELDS.length - missingRequired.length,
        importantFieldsTotal: IMPORTANT_EXPORT_FIELDS.length,
        importantFieldsFound: importantFound,
        missingRequiredFields: missingRequired,
        missingImportantFields: missingImportant,
        compatible: missingRequired.length === 0,
        recommended: missingRequired.length === 0 && importantFound >= 11,
      };
    }),
  );
}

/**
 * Before any settings are saved: the Arrow customers these credentials see, the export types with
 * how well each suits billing, Waldur's customers, and a suggested Waldur customer for each Arrow
 * one (difflib ratio > 0.5; `existingMapping` when any settings already map its reference).
 */
export async function discoverCustomers(prisma: Prisma, arrow: ArrowSource, credentials: { apiUrl: string; apiKey: string }) {
  checkUrl(credentials.apiUrl);
  if (!credentials.apiKey.trim()) throw ValidationError.field('api_key', 'This field may not be blank.');
  const arrowCustomers = await arrow
    .client(unsaved(credentials))
    .listCustomers()
    .catch((err: unknown) => {
      throw unprovenUrlFailure(err);
    });
  const [exportTypes, waldurCustomers, mapped] = await Promise.all([
    exportTypeCompatibility(arrow, credentials),
    waldurCustomersByName(prisma),
    prisma.customerMapping.findMany({ select: { arrowReference: true }, distinct: ['arrowReference'] }),
  ]);
  const existing = new Set(mapped.map((m) => m.arrowReference));
  const matches = await arrow.suggestions.best(arrowCustomers.filter((c) => !existing.has(c.reference)).map((c) => c.companyName), waldurCustomers);
  const suggestions = arrowCustomers.map((arrowCustomer) => {
    if (existing.has(arrowCustomer.reference)) return { arrowCustomer, suggestedWaldurCustomer: null, confidence: 0, existingMapping: true };
    const match = matches.get(arrowCustomer.companyName);
    return { arrowCustomer, suggestedWaldurCustomer: match?.customer ?? null, confidence: match?.confidence ?? 0, existingMapping: false };
  });
  return { arrowCustomers, exportTypes, waldurCustomers, suggestions };
}
export type CustomerDiscovery = Awaited<ReturnType<typeof discoverCustomers>>;
