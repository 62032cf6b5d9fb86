import type { ArrowSource } from './arrow-source.js';
import { readsOf, type DomainDeps } from './reads.js';
import type { MappingWithCustomer } from './mappings.js';
import { Decimal, sum, toDecimal } from './money.js';
import { periodOf } from './periods.js';
import { groupBy } from './collections.js';
import { customerReferenceForms } from './arrow-customers.js';
import type { Settings } from './settings.js';
import { oneResourcePerLicence, type ResourceRow } from './resources.js';
import { epochMs } from '../db/sql-fragments.js';

/**
 * Where a licence's consumption comes from. LIVE asks Arrow (one call per licence: Arrow has no
 * batch consumption endpoint); SYNCED reads the records consumption sync keeps, so a screen of
 * any size costs the same and no Arrow call.
 */
export type ConsumptionSource = 'LIVE' | 'SYNCED';

export interface BillingLine {
  vendorName: string;
  subscriptionReference: string;
  licenseReference: string;
  offerSku: string;
  classification: string;
  quantity: Decimal;
  sellPrice: Decimal;
  buyPrice: Decimal;
}

export interface ConsumptionLine {
  licenseReference: string;
  resourceUuid: string;
  resourceName: string;
  period: string;
  sellPrice: Decimal | null;
  buyPrice: Decimal | null;
  error: string | null;
  /** SYNCED: when consumption sync last wrote these figures; null when live. */
  recordedAt: Date | null;
  /** Where figures that are not the month's own came from (Arrow's prediction, and why). */
  note?: string | null;
}

export interface ArrowData {
  mapping: MappingWithCustomer;
  period: string;
  billingAvailable: boolean;
  billingLines: BillingLine[];
  billingTotalSell: Decimal | null;
  billingTotalBuy: Decimal | null;
  consumptionSource: ConsumptionSource;
  /** SYNCED: when the last consumption sync of these settings for this period finished. */
  consumptionSyncedAt: Date | null;
  consumptionLines: ConsumptionLine[];
  consumptionTotalSell: Decimal | null;
  consumptionTotalBuy: Decimal | null;
  totalCustomerResources: number;
  resourcesWithBackendId: number;
  matchedResources: number;
  error: string | null;
}

/** The first of these columns a row has (exports name some columns differently). */
export const col = (row: Record<string, string>, ...names: string[]) => {
  for (const n of names) if (row[n] !== undefined && row[n] !== '') return row[n]!;
  return '';
};

type Row = Record<string, string>;
/**
 * The customer an export row names: `id:` its customer reference when the export has one, else
 * `name:` its company name in lower case.
 */
export function exportRowCustomer(row: Row): string {
  const id = col(row, 'End User Company ID', 'End User Company Reference', 'Customer Reference').trim();
  return id ? `id:${id}` : `name:${col(row, 'End User Company Name').trim().toLowerCase()}`;
}

/** The keys (as exportRowCustomer gives them) under which a mapping's rows appear: its reference, with or without XSP, or its company name. */
export function mappingCustomerKeys(mapping: { arrowReference: string; arrowCompanyName: string }): string[] {
  const name = mapping.arrowCompanyName.trim().toLowerCase();
  return [`id:${mapping.arrowReference}`, `id:XSP${mapping.arrowReference}`, ...(name ? [`name:${name}`] : [])];
}

const rowIndexes = new WeakMap<Row[], Map<string, number[]>>();

/** Export row positions by customer, built once per export (exports are shared through the cache). */
function rowsByCustomer(rows: Row[]) {
  let index = rowIndexes.get(rows);
  if (!index) {
    index = groupBy(
      rows.map((_, position) => position),
      (position) => exportRowCustomer(rows[position]!),
    );
    rowIndexes.set(rows, index);
  }
  return index;
}

/** The export rows of this mapping's customer, in export order. */
function rowsOf(rows: Row[], mapping: MappingWithCustomer): Row[] {
  const index = rowsByCustomer(rows);
  return mappingCustomerKeys(mapping)
    .flatMap((k) => index.get(k) ?? [])
    .sort((a, b) => a - b)
    .map((p) => rows[p]!);
}

const rowLines = new WeakMap<Row, BillingLine>();

/** A row's billing line, made once per row: exports are shared through the cache, and nothing changes a line. */
function billingLineOfRow(row: Row): BillingLine {
  let line = rowLines.get(row);
  if (!line) rowLines.set(row, (line = billingLineOf(row)));
  return line;
}

export function billingLineOf(row: Record<string, string>): BillingLine {
  return {
    vendorName: col(row, 'Vendor Name'),
    subscriptionReference: col(row, 'Vendor Subscription ID'),
    licenseReference: col(row, 'ARS Subscription ID'),
    offerSku: col(row, 'Arrow SKU'),
    classification: col(row, 'Classification'),
    quantity: toDecimal(col(row, 'Qty', 'Quantity')),
    sellPrice: toDecimal(col(row, 'Customer Total Price')),
    buyPrice: toDecimal(col(row, 'Total Wholesale Price')),
  };
}

/** Arrow has not aggregated a licence's month yet: a price cell is "null", blank or not a number. */
export class ConsumptionNotReady extends Error {
  override name = 'ConsumptionNotReady';
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A licence's month from its consumption lines: the sums of "Total sell price" and "Total buy
 * price". A "null" or non-numeric price means Arrow is not done (FULCRA's production script), not 0.
 */
export function consumptionTotals(lines: Record<string, string>[]): { sell: Decimal; buy: Decimal } {
  for (const line of lines) {
    for (const column of ['Total sell price', 'Total buy price']) {
      const value = String(line[column] ?? '').trim();
      if (!NUMBER.test(value)) throw new ConsumptionNotReady(`Arrow has not aggregated this month yet ("${column}" is ${JSON.stringify(line[column] ?? '')})`);
    }
  }
  return {
    sell: sum(lines.map((l) => toDecimal(l['Total sell price']))),
    buy: sum(lines.map((l) => toDecimal(l['Total buy price']))),
  };
}

/** Arrow's prediction for a licence's month: every value summed, as Waldur's backend does. */
export async function predictedMonth(arrow: ArrowSource, settings: Settings, licenseReference: string): Promise<{ sell: Decimal; buy: Decimal }> {
  const values = await arrow.client(settings).consumptionPrediction(licenseReference);
  return { sell: sum(values.map((v) => toDecimal(v.sell))), buy: sum(values.map((v) => toDecimal(v.buy))) };
}

/** A licence's month as read live: the monthly figures, or the prediction (and why) while Arrow is not done. */
async function licenceConsumption(arrow: ArrowSource, settings: Settings, licenseReference: string, period: string): Promise<{ sell: Decimal; buy: Decimal; note: string | null }> {
  const { lines } = await arrow.monthlyConsumption(settings, licenseReference, period);
  try {
    return { ...consumptionTotals(lines), note: null };
  } catch (err) {
    if (!(err instanceof ConsumptionNotReady)) throw err;
    return { ...(await predictedMonth(arrow, settings, licenseReference)), note: `Prediction: ${err.message}` };
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

type ConsumptionReader = (settings: Settings, linked: ResourceRow[]) => Promise<ConsumptionLine[]>;

function lineBase(r: ResourceRow, period: string) {
  return { licenseReference: r.licenseReference, resourceUuid: r.uuid, resourceName: r.name, period };
}

/** Asks Arrow for each licence's month, all at once; a failing licence gets its own error. */
function liveConsumption(deps: DomainDeps, period: string): ConsumptionReader {
  return (settings, linked) =>
    Promise.all(
      linked.map(async (r): Promise<ConsumptionLine> => {
        try {
          const c = await licenceConsumption(deps.arrow, settings, r.licenseReference, period);
          return { ...lineBase(r, period), sellPrice: c.sell, buyPrice: c.buy, error: null, recordedAt: null, note: c.note };
        } catch (err) {
          return { ...lineBase(r, period), sellPrice: null, buyPrice: null, error: errorText(err), recordedAt: null };
        }
      }),
    );
}

/** Every licence's line says why there are no figures. */
function noConsumption(period: string, why: string): ConsumptionReader {
  return async (_settings, linked) => linked.map((r) => ({ ...lineBase(r, period), sellPrice: null, buyPrice: null, error: why, recordedAt: null }));
}

/**
 * Reads the month's consumption records of the page's customers in one statement, at once with
 * the page's other reads (records kept for another licence than the one linked now do not count).
 */
async function syncedConsumption(deps: DomainDeps, period: string, customerUuids: string[]): Promise<ConsumptionReader> {
  // as one JSON text: the embedded database and Prisma cost microseconds per value handed over.
  // Per customer (a lateral join kept apart by OFFSET 0), so the planner follows each customer's
  // projects, resources and records by index; as one join it merged the month's every record
  // with every resource (a screen: 6–8 → 5.2–5.5 ms on 1,000 records, and the month grows).
  const [found] = await deps.prisma.$queryRaw<{ records: string }[]>`
    SELECT coalesce(json_agg(json_build_array(c.resource_uuid, c.license_reference, c.consumed_sell::text, c.consumed_buy::text,
                                              ${epochMs('c.last_sync_at')}, ${epochMs('c.modified')}, c.raw_data)), '[]')::text AS records
      FROM unnest(${[...new Set(customerUuids)]}::uuid[]) AS cu(uuid)
     CROSS JOIN LATERAL (
       SELECT c.* FROM projects p JOIN resources r ON r.project_uuid = p.uuid
         JOIN consumption_records c ON c.resource_uuid = r.uuid AND c.billing_period = ${`${period}-01`}::date
        WHERE p.customer_uuid = cu.uuid OFFSET 0
     ) c`;
  const records = (JSON.parse(found!.records) as [string, string, string, string, number | null, number, unknown][]).map(
    ([resourceUuid, licenseReference, consumedSell, consumedBuy, lastSyncAt, modified, rawData]) => ({
      resourceUuid,
      licenseReference,
      consumedSell: new Decimal(consumedSell),
      consumedBuy: new Decimal(consumedBuy),
      lastSyncAt: lastSyncAt === null ? null : new Date(lastSyncAt),
      modified: new Date(modified),
      rawData,
    }),
  );
  const byKey = new Map(records.map((c) => [`${c.resourceUuid}|${c.licenseReference}`, c]));
  return async (_settings, resources) =>
    resources.map((r): ConsumptionLine => {
      const c = byKey.get(`${r.uuid}|${r.licenseReference}`);
      if (!c) {
        // consumption sync reads resources in state OK only: say so rather than "yet"
        const error = r.state === 'OK' ? `No consumption synced for ${period} yet` : `No consumption synced for ${period}: the sync reads resources in state OK, this one is ${r.state}`;
        return { ...lineBase(r, period), sellPrice: null, buyPrice: null, error, recordedAt: null };
      }
      const raw = (c.rawData ?? {}) as { source?: string; reason?: string };
      const note = raw.source === 'prediction' ? `Prediction: ${raw.reason ?? 'the month could not be read'}` : null;
      return { ...lineBase(r, period), sellPrice: c.consumedSell, buyPrice: c.consumedBuy, error: null, recordedAt: c.lastSyncAt ?? c.modified, note };
    });
}

/** When each settings' last finished consumption sync for the period ended, in one statement. */
async function lastConsumptionSyncs(deps: DomainDeps, settingsUuids: string[], period: string): Promise<Map<string, Date>> {
  const runs = await deps.prisma.flowRun.groupBy({
    by: ['settingsUuid'],
    where: { kind: 'CONSUMPTION_SYNC', period, settingsUuid: { in: settingsUuids }, status: { in: ['SUCCEEDED', 'PARTIAL'] } },
    _max: { finishedAt: true },
  });
  return new Map(runs.filter((r) => r.settingsUuid && r._max.finishedAt).map((r) => [r.settingsUuid!, r._max.finishedAt!]));
}

/**
 * fetch_arrow_data for many mappings and one period: the export's lines for each customer (one
 * export per settings) and each linked resource's consumption, live (one call per licence,
 * shared) or as synced (two statements for the whole page).
 */
export async function fetchArrowData(
  deps: DomainDeps,
  mappings: readonly MappingWithCustomer[],
  period: string,
  source: ConsumptionSource = 'LIVE',
): Promise<ArrowData[]> {
  const reads = readsOf(deps);
  const settingsUuids = [...new Set(mappings.map((m) => m.settingsUuid))];
  const customerUuids = [...new Set(mappings.map((m) => m.waldurCustomerUuid))];
  // a month not begun has neither billing nor consumption: say so instead of asking Arrow
  const notBegun = period > periodOf(new Date()) ? `The month ${period} has not begun: its billing and consumption are not available yet` : null;
  const [settingsByUuid, resources, readConsumption, syncedAt] = await Promise.all([
    reads.settings(settingsUuids),
    reads.resourcesOfCustomers(customerUuids),
    notBegun ? noConsumption(period, notBegun) : source === 'LIVE' ? liveConsumption(deps, period) : syncedConsumption(deps, period, customerUuids),
    source === 'LIVE' ? new Map<string, Date>() : lastConsumptionSyncs(deps, settingsUuids, period),
  ]);

  const exports = new Map<string, Promise<{ rows: Record<string, string>[] } | { error: string }>>();
  const exportOf = (settings: Settings) => {
    let pending = exports.get(settings.uuid);
    if (!pending) {
      // only the page's customers' rows: their references as given, and with XSP where it was left off
      const refs = mappings.filter((m) => m.settingsUuid === settings.uuid).flatMap((m) => customerReferenceForms(m.arrowReference));
      pending = deps.arrow.billingExport(settings, settings.exportTypeReference, period, refs).then(
        (e) => ({ rows: e.rows }),
        (err: unknown) => ({ error: errorText(err) }),
      );
      exports.set(settings.uuid, pending);
    }
    return pending;
  };

  return Promise.all(
    mappings.map(async (mapping): Promise<ArrowData> => {
      const settings = settingsByUuid.get(mapping.settingsUuid)!;
      const own = resources.get(mapping.waldurCustomerUuid) ?? [];
      const linked = own.filter((r) => r.licenseReference);
      // a licence linked twice counts once, on its oldest resource; the others say where it counts
      const { counted, doubles } = oneResourcePerLicence(linked);
      const countedOn = new Map(counted.map((r) => [r.licenseReference, r]));
      const doubleLines = doubles.map((r): ConsumptionLine => {
        const on = countedOn.get(r.licenseReference)!;
        return { ...lineBase(r, period), sellPrice: null, buyPrice: null, error: `Licence ${r.licenseReference} is counted once, on resource ${on.uuid} (${on.name})`, recordedAt: null };
      });
      // the export and the licences' consumption are asked for at once
      const consumptionPending = readConsumption(settings, counted).then((lines) => [...lines, ...doubleLines]);
      let billingLines: BillingLine[] = [];
      let error: string | null = notBegun;
      let billingAvailable = false;
      if (settings.exportTypeReference && !notBegun) {
        const exported = await exportOf(settings);
        if ('error' in exported) error = `Billing export failed: ${exported.error}`;
        else {
          billingAvailable = true;
          billingLines = rowsOf(exported.rows, mapping).map(billingLineOfRow);
        }
      }
      const consumptionLines = await consumptionPending;
      const ok = consumptionLines.filter((l) => !l.error);
      return {
        mapping,
        period,
        billingAvailable,
        billingLines,
        billingTotalSell: billingLines.length ? sum(billingLines.map((l) => l.sellPrice)) : null,
        billingTotalBuy: billingLines.length ? sum(billingLines.map((l) => l.buyPrice)) : null,
        consumptionSource: source,
        consumptionSyncedAt: syncedAt.get(mapping.settingsUuid) ?? null,
        consumptionLines,
        consumptionTotalSell: ok.length ? sum(ok.map((l) => l.sellPrice!)) : null,
        consumptionTotalBuy: ok.length ? sum(ok.map((l) => l.buyPrice!)) : null,
        totalCustomerResources: own.length,
        resourcesWithBackendId: linked.length,
        matchedResources: ok.length,
        error,
      };
    }),
  );
}
