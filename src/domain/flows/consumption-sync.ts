import { Prisma as P } from '../../generated/prisma/client.js';
import { toDecimal, type Decimal } from '../money.js';
import { consumptionTotals } from '../arrow-data.js';
import { periodStart } from '../periods.js';
import { resourceInclude } from '../resources.js';
import { runFlow, type FlowDeps, type FlowOptions } from './runs.js';
import type { Settings } from '../settings.js';

/** The linked resources (backend_id set, state OK) of the customers the settings' active mappings name. */
export function linkedResources(deps: FlowDeps, settings: Settings) {
  return deps.db.prisma.resource.findMany({
    where: {
      backendId: { not: '' },
      state: 'OK',
      project: { customer: { mappings: { some: { settingsUuid: settings.uuid, isActive: true } } } },
    },
    include: resourceInclude,
    orderBy: { uuid: 'asc' },
  });
}

async function monthFigures(deps: FlowDeps, settings: Settings, licenseReference: string, period: string): Promise<{ sell: Decimal; buy: Decimal; source: string; lines: number }> {
  const client = deps.arrow.client(settings);
  try {
    const { lines } = await client.monthlyConsumption(licenseReference, period);
    return { ...consumptionTotals(lines), source: 'monthly', lines: lines.length };
  } catch (monthlyError) {
    // Arrow's prediction stands in when the month itself cannot be read
    try {
      const p = await client.consumptionPrediction(licenseReference);
      return { sell: toDecimal(p.sell), buy: toDecimal(p.buy), source: 'prediction', lines: 0 };
    } catch (predictionError) {
      throw new Error(`monthly: ${(monthlyError as Error).message}; prediction: ${(predictionError as Error).message}`);
    }
  }
}

/**
 * Consumption sync for a month: each linked resource's licence consumption becomes (or updates)
 * its ConsumptionRecord, unless that record is finalized. Unchanged figures write nothing.
 */
export function runConsumptionSync(deps: FlowDeps, options: FlowOptions) {
  return runFlow(deps, 'CONSUMPTION_SYNC', options, async (settings, tally) => {
    const resources = await linkedResources(deps, settings);
    if (!resources.length) return tally.skip('No linked resources for these settings');
    const billingPeriod = periodStart(options.period);
    const prisma = deps.db.prisma;
    await Promise.all(
      resources.map(async (resource) => {
        const key = { resourceUuid: resource.uuid, billingPeriod, licenseReference: resource.backendId };
        try {
          const existing = await prisma.consumptionRecord.findUnique({ where: { resourceUuid_billingPeriod_licenseReference: key } });
          if (existing?.finalizedAt) return void tally.unchanged++;
          const figures = await monthFigures(deps, settings, resource.backendId, options.period);
          if (existing && existing.consumedSell.equals(figures.sell) && existing.consumedBuy.equals(figures.buy)) return void tally.unchanged++;
          const data = {
            consumedSell: figures.sell,
            consumedBuy: figures.buy,
            lastSyncAt: new Date(),
            rawData: { source: figures.source, lines: figures.lines } satisfies P.InputJsonValue,
          };
          if (existing) {
            await prisma.consumptionRecord.update({ where: { uuid: existing.uuid }, data });
            tally.updated++;
          } else {
            await prisma.consumptionRecord.create({ data: { ...key, ...data } });
            tally.created++;
          }
        } catch (err) {
          tally.fail(resource.backendId, err);
        }
      }),
    );
  });
}
