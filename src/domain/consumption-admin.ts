import type { Progress } from './work.js';
import type { Database, Prisma } from '../db/database.js';
import type { ArrowSource } from './arrow-source.js';
import { consumptionTotals, ConsumptionNotReady } from './arrow-data.js';
import { NotFoundError, ValidationError } from './errors.js';
import { runConsumptionSync } from './flows/consumption-sync.js';
import { isUuid } from './mappings.js';
import { toDecimal, type Decimal } from './money.js';
import { parsePeriod, periodOf, periodStart } from './periods.js';
import { activeSettings } from './settings.js';

/** Consumption records as staff look after them (Waldur's consumption_statistics, pending_records, cleanup_consumption, historical sync). */

export interface PeriodBreakdown {
  period: string;
  count: number;
  consumedSell: Decimal;
  finalizedCount: number;
  reconciledCount: number;
}

/** Counts and sums over every record, and the 12 latest months. */
export async function consumptionStatistics(prisma: Prisma) {
  const [total, pending, finalized, reconciled, consumed, adjustments, periods] = await Promise.all([
    prisma.consumptionRecord.count(),
    prisma.consumptionRecord.count({ where: { finalizedAt: null } }),
    prisma.consumptionRecord.count({ where: { finalizedAt: { not: null } } }),
    prisma.consumptionRecord.count({ where: { reconciledAt: { not: null } } }),
    prisma.consumptionRecord.aggregate({ _sum: { consumedSell: true } }),
    prisma.consumptionRecord.aggregate({ where: { finalizedAt: { not: null } }, _sum: { finalSell: true, consumedSell: true } }),
    prisma.$queryRaw<{ period: Date; count: bigint; consumed_sell: string | null; finalized_count: bigint; reconciled_count: bigint }[]>`
      SELECT billing_period AS period, count(*) AS count, sum(consumed_sell)::text AS consumed_sell,
             count(finalized_at) AS finalized_count, count(reconciled_at) AS reconciled_count
      FROM consumption_records GROUP BY billing_period ORDER BY billing_period DESC LIMIT 12`,
  ]);
  return {
    totalRecords: total,
    pendingRecords: pending,
    finalizedRecords: finalized,
    reconciledRecords: reconciled,
    totalConsumedSell: toDecimal(consumed._sum.consumedSell?.toString()),
    // Σ(final − consumed) over finalized records
    totalAdjustments: toDecimal(adjustments._sum.finalSell?.toString()).minus(toDecimal(adjustments._sum.consumedSell?.toString())),
    periodBreakdown: periods.map(
      (p): PeriodBreakdown => ({ period: periodOf(p.period), count: Number(p.count), consumedSell: toDecimal(p.consumed_sell), finalizedCount: Number(p.finalized_count), reconciledCount: Number(p.reconciled_count) }),
    ),
  };
}

/** Records not finalized yet, most recently changed first, at most 100. */
export function pendingRecords(prisma: Prisma) {
  return prisma.consumptionRecord.findMany({ where: { finalizedAt: null }, include: { resource: { select: { name: true } } }, orderBy: [{ modified: 'desc' }, { uuid: 'asc' }], take: 100 });
}

export interface CleanupOptions {
  periodFrom?: string | null;
  periodTo?: string | null;
  resourceUuid?: string | null;
  onlyFinalized?: boolean;
  onlyUnfinalized?: boolean;
  /** Count only (the default, as Waldur's). */
  dryRun?: boolean;
}

/** Deletes consumption records (a dry run unless told otherwise): how many match, and how many carry an adjustment. */
export async function cleanupConsumption(prisma: Prisma, o: CleanupOptions) {
  if (o.onlyFinalized && o.onlyUnfinalized) throw new ValidationError('Cannot specify both only_finalized and only_unfinalized');
  const where = {
    ...(o.resourceUuid ? { resourceUuid: o.resourceUuid } : {}),
    ...(o.periodFrom || o.periodTo
      ? { billingPeriod: { ...(o.periodFrom ? { gte: periodStart(parsePeriod(o.periodFrom, 'period_from')) } : {}), ...(o.periodTo ? { lte: periodStart(parsePeriod(o.periodTo, 'period_to')) } : {}) } }
      : {}),
    ...(o.onlyFinalized ? { finalizedAt: { not: null } } : o.onlyUnfinalized ? { finalizedAt: null } : {}),
  };
  const dryRun = o.dryRun ?? true;
  return prisma.$transaction(async (tx) => {
    const [matching, compensated] = await Promise.all([tx.consumptionRecord.count({ where }), tx.consumptionRecord.count({ where: { ...where, adjustment: { isNot: null } } })]);
    const deleted = dryRun ? 0 : (await tx.consumptionRecord.deleteMany({ where })).count;
    // the gateway keeps no invoice items: none are touched
    return { dryRun, recordsToDelete: matching, recordsDeleted: deleted, compensationItemsAffected: compensated, invoiceItemsAffected: 0 };
  });
}

/** The months from `from` to `to` inclusive, oldest first. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let p = from; p <= to; p = periodOf(new Date(`${p}-15T00:00:00Z`), -1)) out.push(p);
  return out;
}

export interface HistoricalOptions {
  resourceUuid: string;
  periodFrom?: string | null;
  periodTo?: string | null;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * One resource's consumption over a range of months (default: the 12 months up to this one): the
 * consumption sync, per month, for this resource alone; a finalized month is skipped unless forced.
 * A dry run reads each month from Arrow and says what it would write, writing nothing.
 */
/** The resource a historical sync reads: it must exist and hold a licence. */
export async function historicalSyncResource(prisma: Prisma, resourceUuid: string) {
  const resource = isUuid(resourceUuid) ? await prisma.resource.findUnique({ where: { uuid: resourceUuid } }) : null;
  if (!resource) throw new NotFoundError(`Resource ${resourceUuid} not found`);
  if (!resource.licenseReference) throw new ValidationError('Resource does not have a backend_id (Arrow license reference)');
  return resource;
}

export async function syncHistoricalConsumption(deps: { db: Database; arrow: ArrowSource; now?: () => Date; progress?: Progress }, o: HistoricalOptions) {
  const prisma = deps.db.prisma;
  const resource = await historicalSyncResource(prisma, o.resourceUuid);
  const settings = await activeSettings(prisma);
  if (!settings) throw new ValidationError('No active Arrow settings found');
  const now = deps.now?.() ?? new Date();
  const to = o.periodTo ? parsePeriod(o.periodTo, 'period_to') : periodOf(now);
  const from = o.periodFrom ? parsePeriod(o.periodFrom, 'period_from') : periodOf(new Date(`${to}-15T00:00:00Z`), 11);
  if (from > to) throw ValidationError.field('period_from', 'The first month must not be after the last month');
  const result = { resource, periodsSynced: 0, periodsSkipped: 0, periodsNoData: 0, errors: [] as { period: string; error: string }[], dryRun: o.dryRun ?? false, previewPeriods: [] as Preview[] };
  const records = new Map((await prisma.consumptionRecord.findMany({ where: { resourceUuid: resource.uuid, licenseReference: resource.licenseReference } })).map((r) => [periodOf(r.billingPeriod), r]));
  const periods = monthsBetween(from, to);
  deps.progress?.total(periods.length);
  for (const period of periods) {
    deps.progress?.advance();
    const existing = records.get(period);
    if (existing?.finalizedAt && !o.force) {
      result.periodsSkipped++;
      continue;
    }
    if (result.dryRun) {
      try {
        const { lines } = await deps.arrow.client(settings).monthlyConsumption(resource.licenseReference, period);
        const totals = lines.length ? consumptionTotals(lines) : { sell: toDecimal(0), buy: toDecimal(0) };
        result.previewPeriods.push({ period, consumedSell: totals.sell, consumedBuy: totals.buy, rowCount: lines.length, hasExisting: !!existing, existingConsumedSell: existing?.consumedSell ?? null, isFinalized: !!existing?.finalizedAt, isReconciled: !!existing?.reconciledAt });
      } catch (err) {
        result.errors.push({ period, error: err instanceof ConsumptionNotReady ? err.message : err instanceof Error ? err.message : String(err) });
      }
      continue;
    }
    const run = await runConsumptionSync({ db: deps.db, arrow: deps.arrow, now: deps.now }, { settingsUuid: settings.uuid, period, resourceUuid: resource.uuid, force: o.force });
    // the flow says what happened: written (or read again, unchanged), nothing to read, or why not
    if (run.status === 'FAILED' || run.failed || (run.status === 'SKIPPED' && run.message.includes('not a linked resource'))) result.errors.push({ period, error: run.message });
    else if (run.status === 'SKIPPED' || (run.skipped && !run.created && !run.updated && !run.unchanged)) result.periodsNoData++;
    else result.periodsSynced++;
  }
  return result;
}

export interface Preview {
  period: string;
  consumedSell: Decimal;
  consumedBuy: Decimal;
  rowCount: number;
  hasExisting: boolean;
  existingConsumedSell: Decimal | null;
  isFinalized: boolean;
  isReconciled: boolean;
}

