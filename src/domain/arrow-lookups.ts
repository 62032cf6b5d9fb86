import type { Prisma } from '../db/database.js';
import type { ArrowSource } from './arrow-source.js';
import { ArrowApiError } from '../arrow/client.js';
import { ArrowUnavailableError, NotFoundError, ValidationError } from './errors.js';
import { parsePeriod } from './periods.js';
import { activeSettings, type Settings } from './settings.js';

/**
 * Asking Arrow directly, for staff looking into a licence or a month (Waldur's fetch_consumption,
 * fetch_billing_export, fetch_license_info): through the active settings, nothing stored.
 */

/** Rows shown at most, as Waldur shows them. */
export const SHOWN_ROWS = 100;

async function settingsForLookup(prisma: Prisma): Promise<Settings> {
  const settings = await activeSettings(prisma);
  if (!settings) throw new ValidationError('No active Arrow settings found');
  return settings;
}

const arrowFailed = (err: unknown) => new ArrowUnavailableError(err instanceof Error ? err.message : String(err));

/** A licence's consumption lines for one month, as Arrow gives them (fresh: no cache). */
export async function fetchConsumption(prisma: Prisma, arrow: ArrowSource, licenseReference: string, period: string) {
  const month = parsePeriod(period, 'period');
  if (!licenseReference.trim()) throw ValidationError.field('license_reference', 'This field may not be blank.');
  const settings = await settingsForLookup(prisma);
  const { lines } = await arrow.client(settings).monthlyConsumption(licenseReference.trim(), month).catch((err: unknown) => {
    // Arrow's 404 is an answer (no such licence), not Arrow failing: a client must not retry it
    if (err instanceof ArrowApiError && err.status === 404) throw new NotFoundError(`Arrow has no licence ${licenseReference.trim()}`);
    throw arrowFailed(err);
  });
  return { licenseReference, period: month, rowCount: lines.length, rows: lines.slice(0, SHOWN_ROWS) };
}

/** The billing export for a range of months, its rows as objects, narrowed to a classification (the settings' by default). */
export async function fetchBillingExport(prisma: Prisma, arrow: ArrowSource, input: { periodFrom: string; periodTo: string; classification?: string | null }) {
  const from = parsePeriod(input.periodFrom, 'period_from');
  const to = parsePeriod(input.periodTo, 'period_to');
  if (from > to) throw ValidationError.field('period_from', 'The first month must not be after the last month');
  const settings = await settingsForLookup(prisma);
  if (!settings.exportTypeReference) throw ValidationError.field('export_type_reference', 'The active settings name no billing export type');
  const classification = input.classification ?? settings.classificationFilter;
  const { rows } = await arrow.client(settings).billingExport({ exportTypeReference: settings.exportTypeReference, from, to }).catch((err: unknown) => {
    throw arrowFailed(err);
  });
  const kept = classification ? rows.filter((r) => (r.Classification ?? '') === classification) : rows;
  return { periodFrom: from, periodTo: to, classification: classification ?? '', rowCount: kept.length, rows: kept.slice(0, SHOWN_ROWS) };
}

/** What Arrow knows of one licence. */
export async function fetchLicenseInfo(prisma: Prisma, arrow: ArrowSource, licenseReference: string) {
  if (!licenseReference.trim()) throw ValidationError.field('license_reference', 'This field may not be blank.');
  const settings = await settingsForLookup(prisma);
  const found = await arrow.client(settings).findLicensesByReference([licenseReference]).catch((err: unknown) => {
    throw arrowFailed(err);
  });
  const licence = found.find((l) => l.licenseReference === licenseReference);
  if (!licence) throw new NotFoundError(`Arrow has no licence ${licenseReference}`);
  return licence;
}
