import { Prisma as P } from '../../generated/prisma/client.js';
import type { Decimal } from '../money.js';
import { ConsumptionNotReady, consumptionTotals, predictedMonth } from '../arrow-data.js';
import { periodStart } from '../periods.js';
import { forEachAtMost } from '../collections.js';
import { oneResourcePerLicence, resourceInclude } from '../resources.js';
import { notBegunYet, runFlow, type FlowDeps, type FlowOptions } from './runs.js';
import type { Settings } from '../settings.js';

/** Licences whose consumption is read and written at once. */
const LICENCES_AT_ONCE = 16;

/** The linked resources (backend_id set, state OK) of the customers the settings' active mappings name. */
export function linkedResources(deps: FlowDeps, settings: Settings) {
  return deps.db.prisma.resource.findMany({
    where: {
      licenseReference: { not: '' },
      state: 'OK',
      project: { customer: { mappings: { some: { settingsUuid: settings.uuid, isActive: true } } } },
    },
    include: resourceInclude,
    orderBy: { uuid: 'asc' },
  });
}

/**
 * A licence's month: its monthly figures, or Arrow's prediction (all values summed) when the
 * month cannot be read or is not aggregated yet ("null" prices), with the reason kept.
 */
async function monthFigures(deps: FlowDeps, settings: Settings, licenseReference: string, period: string): Promise<{ sell: Decimal; buy: Decimal; source: string; lines: number; reason?: string }> {
  try {
    const { lines } = await deps.arrow.client(settings).monthlyConsumption(licenseReference, period);
    return { ...consumptionTotals(lines), source: 'monthly', lines: lines.length };
  } catch (monthlyError) {
    const reason = monthlyError instanceof ConsumptionNotReady ? monthlyError.message : `the month could not be read: ${(monthlyError as Error).message}`;
    try {
      return { ...(await predictedMonth(deps.arrow, settings, licenseReference)), source: 'prediction', lines: 0, reason };
    } catch (predictionError) {
      throw new Error(`monthly: ${(monthlyError as Error).message}; prediction: ${(predictionError as Error).message}`);
    }
  }
}

/**
 * Consumption sync for a month: each linked licence's consumption becomes (or updates) its
 * ConsumptionRecord on the resource that holds it now, unless the licence's month is finalized.
 * A licence has one record per month: when it moved to another resource, its open record moves
 * with it. Unchanged figures write nothing, and a month Arrow has no lines for writes no record.
 */
export function runConsumptionSync(deps: FlowDeps, options: FlowOptions) {
  return runFlow(deps, 'CONSUMPTION_SYNC', options, async (settings, tally) => {
    // a month not begun has no consumption; Arrow's prediction must not stand in for it
    const future = notBegunYet(deps, options.period);
    if (future) return tally.skip(future);
    const linked = (await linkedResources(deps, settings)).filter((r) => !options.resourceUuid || r.uuid === options.resourceUuid);
    if (!linked.length) return tally.skip(options.resourceUuid ? `Resource ${options.resourceUuid} is not a linked resource of these settings` : 'No linked resources for these settings');
    const { counted, doubles } = oneResourcePerLicence(linked);
    tally.skipped += doubles.length;
    const billingPeriod = periodStart(options.period);
    const prisma = deps.db.prisma;
    deps.progress?.total(counted.length);
    // a few more at once than Arrow answers at once (ARROW_MAX_IN_FLIGHT, 8 by default)
    await forEachAtMost(counted, LICENCES_AT_ONCE, async (resource) => {
      const licenseReference = resource.licenseReference;
      try {
        const records = await prisma.consumptionRecord.findMany({ where: { billingPeriod, licenseReference }, orderBy: { created: 'asc' } });
        // a finalized month is Arrow's final word; only a forced sync reads its consumption again (final prices stay)
        if (!options.force && records.some((r) => r.finalizedAt)) return void tally.unchanged++;
        const own = records.find((r) => r.resourceUuid === resource.uuid);
        // a record whose usage reached Waldur stays, at zero, so the next push takes the usage back
        const billedInWaldur = (r: (typeof records)[number]) => r.waldurUsage !== null;
        const elsewhere = records.filter((r) => r !== own && !r.finalizedAt && !(billedInWaldur(r) && r.consumedSell.isZero() && r.consumedBuy.isZero()));
        const figures = await monthFigures(deps, settings, licenseReference, options.period);
        // a month Arrow has no lines for is no data, not a 0.00 record (as Waldur's sync: it writes nothing)
        if (figures.source === 'monthly' && figures.lines === 0 && !own && !elsewhere.length) return void tally.skipped++;
        if (own && !elsewhere.length && own.consumedSell.equals(figures.sell) && own.consumedBuy.equals(figures.buy)) return void tally.unchanged++;
        const data = {
          consumedSell: figures.sell,
          consumedBuy: figures.buy,
          lastSyncAt: new Date(),
          rawData: { source: figures.source, lines: figures.lines, ...(figures.reason ? { reason: figures.reason } : {}) } satisfies P.InputJsonValue,
        };
        await prisma.$transaction(async (tx) => {
          const [kept, gone] = [elsewhere.filter(billedInWaldur), elsewhere.filter((r) => !billedInWaldur(r))];
          if (gone.length) await tx.consumptionRecord.deleteMany({ where: { uuid: { in: gone.map((r) => r.uuid) } } });
          if (kept.length) await tx.consumptionRecord.updateMany({ where: { uuid: { in: kept.map((r) => r.uuid) } }, data: { consumedSell: 0, consumedBuy: 0, lastSyncAt: new Date() } });
          if (own) await tx.consumptionRecord.update({ where: { uuid: own.uuid }, data });
          else await tx.consumptionRecord.create({ data: { resourceUuid: resource.uuid, billingPeriod, licenseReference, ...data } });
        });
        if (own || elsewhere.length) tally.updated++;
        else tally.created++;
      } catch (err) {
        tally.fail(licenseReference, err);
      } finally {
        deps.progress?.advance();
      }
    });
  });
}
