import { billingLineOf, exportRowCustomer, mappingCustomerKeys } from '../arrow-data.js';
import { type Decimal, sum } from '../money.js';
import { activeMappings, notBegunYet, notOverYet, runFlow, type FlowDeps, type FlowOptions } from './runs.js';

type ExportRow = Record<string, string>;
type Mapping = Awaited<ReturnType<typeof activeMappings>>[number];

/**
 * Which mapping an export row belongs to, by the same rule as fetch_arrow_data. A reference
 * given exactly wins over one matched with the XSP prefix, and that over a company name.
 */
export function mappingIndex(mappings: Mapping[]) {
  const keyed = mappings.map((m) => mappingCustomerKeys(m));
  const byKey = new Map<string, Mapping>();
  for (let rank = 0; rank < 3; rank++) {
    keyed.forEach((keys, i) => {
      const key = keys[rank];
      if (key && !byKey.has(key)) byKey.set(key, mappings[i]!);
    });
  }
  return (row: ExportRow): Mapping | undefined => byKey.get(exportRowCustomer(row));
}

export function lineReference(row: ExportRow, index: number): string {
  return row['Sequence'] || row['Order Id'] || `${row['ARS Subscription ID'] ?? ''}#${index}`;
}

function itemOf(row: ExportRow, index: number) {
  const line = billingLineOf(row);
  return {
    arrowLineReference: lineReference(row, index),
    originalPrice: line.sellPrice,
    buyPrice: line.buyPrice,
    vendorName: line.vendorName,
    subscriptionReference: line.subscriptionReference,
    licenseReference: line.licenseReference,
    classification: line.classification,
    description: row['Product Name'] || row['Friendly Name'] || row['Description'] || '',
    quantity: line.quantity,
    // a line known only by its row position is not the same line in next month's export order
    stableIdentity: !!(row['Sequence'] || row['Order Id']),
  };
}
type Item = ReturnType<typeof itemOf>;

function sameItems(a: Item[], b: { arrowLineReference: string; originalPrice: Decimal; buyPrice: Decimal; vendorName: string; subscriptionReference: string; licenseReference: string; classification: string; description: string; quantity: Decimal }[]) {
  if (a.length !== b.length) return false;
  const byRef = new Map(b.map((i) => [i.arrowLineReference, i]));
  return a.every((i) => {
    const o = byRef.get(i.arrowLineReference);
    return !!o && o.originalPrice.equals(i.originalPrice) && o.buyPrice.equals(i.buyPrice) && o.quantity.equals(i.quantity) &&
      o.vendorName === i.vendorName && o.subscriptionReference === i.subscriptionReference && o.licenseReference === i.licenseReference &&
      o.classification === i.classification && o.description === i.description;
  });
}

/**
 * Billing sync for a month: Arrow's export, grouped per mapped customer and statement, becomes a
 * SYNCED BillingSync with one item per priced line and its totals. Syncs already validated are
 * left alone (reconciliation compares them); a run that finds nothing new changes nothing.
 */
export function runBillingSync(deps: FlowDeps, options: FlowOptions) {
  return runFlow(deps, 'BILLING_SYNC', options, async (settings, tally) => {
    const future = notBegunYet(deps, options.period);
    if (future) return tally.skip(future);
    if (!settings.exportTypeReference) return tally.skip('The settings have no billing export type');
    const mappings = await activeMappings(deps, settings);
    if (!mappings.length) return tally.skip('No active customer mappings for these settings');
    const { rows } = await deps.arrow.client(settings).billingExport({ exportTypeReference: settings.exportTypeReference, from: options.period, to: options.period });
    const mappingOf = mappingIndex(mappings);
    const groups = new Map<string, { mapping: Mapping; statement: string; items: Item[] }>();
    rows.forEach((row, index) => {
      const mapping = mappingOf(row);
      if (!mapping) return void tally.skipped++;
      const item = itemOf(row, index);
      if (item.originalPrice.isZero()) return void tally.skipped++;
      const statement = row['Statement Reference'] || `${options.period}-${mapping.arrowReference}`;
      const key = `${mapping.uuid}|${statement}`;
      const group = groups.get(key) ?? { mapping, statement, items: [] };
      group.items.push(item);
      groups.set(key, group);
    });
    const prisma = deps.db.prisma;
    deps.progress?.total(groups.size);
    for (const { mapping, statement, items } of groups.values()) {
      deps.progress?.advance();
      try {
        const existing = await prisma.billingSync.findUnique({
          where: { customerMappingUuid_statementReference: { customerMappingUuid: mapping.uuid, statementReference: statement } },
          include: { items: true },
        });
        if (existing && existing.state !== 'PENDING' && existing.state !== 'SYNCED') {
          tally.unchanged++;
          continue;
        }
        const sellTotal = sum(items.map((i) => i.originalPrice));
        const buyTotal = sum(items.map((i) => i.buyPrice));
        if (existing && existing.state === 'SYNCED' && existing.reportPeriod === options.period && existing.sellTotal.equals(sellTotal) && existing.buyTotal.equals(buyTotal) && sameItems(items, existing.items)) {
          tally.unchanged++;
          continue;
        }
        await prisma.$transaction(async (tx) => {
          const sync = await tx.billingSync.upsert({
            where: { customerMappingUuid_statementReference: { customerMappingUuid: mapping.uuid, statementReference: statement } },
            create: { customerMappingUuid: mapping.uuid, statementReference: statement, reportPeriod: options.period, state: 'SYNCED', syncedAt: new Date(), sellTotal, buyTotal },
            update: { reportPeriod: options.period, state: 'SYNCED', syncedAt: new Date(), sellTotal, buyTotal, errorMessage: '' },
          });
          // a line gone from the export goes, unless it reached Waldur: what was invoiced stays on record (reconciliation credits it)
          await tx.billingSyncItem.deleteMany({ where: { billingSyncUuid: sync.uuid, waldurState: 'NOT_PUSHED', arrowLineReference: { notIn: items.map((i) => i.arrowLineReference) } } });
          for (const item of items) {
            await tx.billingSyncItem.upsert({
              where: { billingSyncUuid_arrowLineReference: { billingSyncUuid: sync.uuid, arrowLineReference: item.arrowLineReference } },
              create: { ...item, billingSyncUuid: sync.uuid },
              update: item,
            });
          }
        });
        if (existing) tally.updated++;
        else tally.created++;
      } catch (err) {
        tally.fail(`${mapping.arrowReference}/${statement}`, err);
      }
    }
  });
}

/** Validation: the month's SYNCED syncs become VALIDATED once the month is over. */
export function runValidation(deps: FlowDeps, options: FlowOptions) {
  return runFlow(deps, 'VALIDATION', options, async (settings, tally) => {
    const now = deps.now?.() ?? new Date();
    const open = notOverYet(deps, options.period);
    if (open) return tally.skip(open);
    const result = await deps.db.prisma.billingSync.updateMany({
      where: { reportPeriod: options.period, state: 'SYNCED', customerMapping: { settingsUuid: settings.uuid } },
      data: { state: 'VALIDATED', validatedAt: now, arrowState: 'validated' },
    });
    tally.updated = result.count;
  });
}

