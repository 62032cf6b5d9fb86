import { Decimal, sum, toDecimal } from '../money.js';
import crypto from 'node:crypto';
import { periodOf, periodStart } from '../periods.js';
import type { Settings } from '../settings.js';
import type { Transaction } from '../../db/database.js';
import { lineReference, mappingIndex } from './billing-sync.js';
import { linkedResources } from './consumption-sync.js';
import { activeMappings, notOverYet, runFlow, type FlowDeps, type FlowOptions } from './runs.js';
import { groupBy } from '../collections.js';

const CENT = new Decimal('0.01');

/**
 * Records the difference final − billed (in the settings' price source) as a credit (negative)
 * or an extra charge (positive) when it is at least 0.01; a smaller one removes any earlier.
 */
async function adjust(prisma: Transaction, target: { billingSyncItemUuid: string } | { consumptionRecordUuid: string }, settings: Settings, difference: Decimal, description: string) {
  const where = 'billingSyncItemUuid' in target ? { billingSyncItemUuid: target.billingSyncItemUuid } : { consumptionRecordUuid: target.consumptionRecordUuid };
  if (difference.abs().lessThan(CENT)) {
    await prisma.adjustment.deleteMany({ where });
    return;
  }
  const data = { kind: difference.isNegative() ? ('CREDIT' as const) : ('EXTRA_CHARGE' as const), amount: difference, priceSource: settings.invoicePriceSource, description };
  await prisma.adjustment.upsert({ where, create: { ...where, ...data }, update: data });
}

/**
 * A correction on Waldur's invoice, as Waldur's own reconciliation makes them: final − what
 * Waldur billed − compensated so far, when it rounds to a cent or more (a line the final export no
 * longer lists counts 0: a full credit). Made once and never changed (a compensation row is
 * appended, never updated), in the month it is found; the push puts it on that month's invoice.
 * A forced run adds only what is left. It corrects an invoiced billing line (INVOICE_ITEMS) or a
 * month's reported usage (COMPONENT_USAGE).
 */
async function compensate(tx: Transaction, settings: Settings, of: { billingSyncItemUuid: string } | { consumptionRecordUuid: string }, billed: Decimal, what: string, final: Decimal, period: string, now: Date) {
  const earlier = await tx.waldurCompensation.findMany({ where: of, select: { amount: true, sequence: true } });
  const exact = final.minus(billed).minus(sum(earlier.map((c) => c.amount)));
  const difference = exact.toDecimalPlaces(2);
  // Waldur's consumption reconciliation ignores differences under 0.01; its billing one none
  if (difference.isZero() || ('consumptionRecordUuid' in of && exact.abs().lessThan(CENT))) return;
  const sequence = earlier.length + 1;
  const target = 'billingSyncItemUuid' in of ? of.billingSyncItemUuid : of.consumptionRecordUuid;
  await tx.waldurCompensation.create({
    data: {
      ...of,
      sequence,
      amount: difference,
      finalAmount: final,
      correctedPeriod: period,
      waldurItemName: `${settings.invoiceItemPrefix}${difference.isNegative() ? 'Credit' : 'Charge'} for ${period}: ${what}${sequence > 1 ? ` (#${sequence})` : ''}`,
      waldurArticleCode: `ARC-${crypto.createHash('sha256').update(`${target}|${sequence}`).digest('hex').slice(0, 26)}`,
      waldurInvoicePeriod: periodOf(now),
    },
  });
}

/**
 * Reconciliation for a month, against Arrow's export of that month:
 * - each VALIDATED billing sync (any SYNCED one too when forced) compares its lines with the
 *   export's and becomes RECONCILED;
 * - each consumption record not yet reconciled (any when forced) takes its final prices from the
 *   export lines of its licence ("ARS Subscription ID") and is stamped finalized and reconciled.
 * Differences of 0.01 or more become adjustments. A month that is not over is refused (SKIPPED),
 * `force` or not.
 */
export function runReconciliation(deps: FlowDeps, options: FlowOptions) {
  const now = () => deps.now?.() ?? new Date();
  return runFlow(deps, 'RECONCILIATION', options, async (settings, tally) => {
    // an unfinished month must stay open to later syncs: finalizing it would freeze its records
    const open = notOverYet(deps, options.period);
    if (open) return tally.skip(`${open}: reconciliation waits for it to end`);
    if (!settings.exportTypeReference) return tally.skip('The settings have no billing export type');
    const prisma = deps.db.prisma;
    const useBuy = settings.invoicePriceSource === 'buy';
    const { rows } = await deps.arrow.client(settings).billingExport({ exportTypeReference: settings.exportTypeReference, from: options.period, to: options.period });

    // billing syncs
    const mappingOf = mappingIndex(await activeMappings(deps, settings));
    const rowsByLine = new Map<string, Record<string, string>>();
    rows.forEach((row, i) => {
      const mapping = mappingOf(row);
      if (mapping) rowsByLine.set(`${mapping.uuid}|${lineReference(row, i)}`, row);
    });
    const states = options.force ? (['SYNCED', 'VALIDATED', 'RECONCILED'] as const) : (['VALIDATED'] as const);
    const syncs = await prisma.billingSync.findMany({
      where: { reportPeriod: options.period, state: { in: [...states] }, customerMapping: { settingsUuid: settings.uuid } },
      include: { items: true },
    });
    tally.unchanged += options.force ? 0 : await prisma.billingSync.count({ where: { reportPeriod: options.period, state: 'RECONCILED', customerMapping: { settingsUuid: settings.uuid } } });
    deps.progress?.total(syncs.length);
    for (const sync of syncs) {
      deps.progress?.advance();
      try {
        await prisma.$transaction(async (tx) => {
          for (const item of sync.items) {
            const row = rowsByLine.get(`${sync.customerMappingUuid}|${item.arrowLineReference}`);
            // what reached a Waldur invoice is corrected there, as Waldur's own reconciliation does
            if (item.waldurState === 'INVOICED') {
              const final = row ? toDecimal(row[useBuy ? 'Total Wholesale Price' : 'Customer Total Price']) : new Decimal(0);
              await compensate(tx, settings, { billingSyncItemUuid: item.uuid }, item.waldurAmount ?? new Decimal(0), item.waldurItemName.replace(settings.invoiceItemPrefix, ''), final, options.period, now());
            }
            if (!row) continue; // a line Arrow no longer lists is left as billed
            const final = toDecimal(row[useBuy ? 'Total Wholesale Price' : 'Customer Total Price']);
            const billed = useBuy ? item.buyPrice : item.originalPrice;
            await adjust(tx, { billingSyncItemUuid: item.uuid }, settings, final.minus(billed), `Statement ${sync.statementReference}, line ${item.arrowLineReference}`);
          }
          await tx.billingSync.update({ where: { uuid: sync.uuid }, data: { state: 'RECONCILED', reconciledAt: new Date() } });
        });
        tally.updated++;
      } catch (err) {
        tally.fail(sync.statementReference, err);
      }
    }

    // consumption records
    const byLicence = groupBy(
      rows.filter((row) => row['ARS Subscription ID']),
      (row) => row['ARS Subscription ID']!,
    );
    const resources = await linkedResources(deps, settings);
    const linked = new Set(resources.map((r) => r.uuid));
    // in COMPONENT_USAGE, a record whose usage reached Waldur is settled even if its resource is no longer linked
    const usageBilled = settings.waldurBilling === 'COMPONENT_USAGE';
    const records = await prisma.consumptionRecord.findMany({
      where: { billingPeriod: periodStart(options.period), OR: [{ resourceUuid: { in: resources.map((r) => r.uuid) } }, ...(usageBilled ? [{ waldurUsage: { not: null }, resource: { project: { customer: { mappings: { some: { settingsUuid: settings.uuid } } } } } }] : [])] },
      include: { resource: { select: { name: true } } },
    });
    deps.progress?.total(syncs.length + records.length);
    for (const record of records) {
      deps.progress?.advance();
      if (record.reconciledAt && !options.force) {
        tally.unchanged++;
        continue;
      }
      // a record left behind on a resource the licence moved from bills nothing any more: its final is 0
      const lines = linked.has(record.resourceUuid) ? byLicence.get(record.licenseReference) : undefined;
      // usage Waldur billed for a licence the final export does not list is credited in full
      if (!lines && !(usageBilled && record.waldurUsage)) {
        tally.skipped++;
        continue;
      }
      try {
        const finalSell = sum((lines ?? []).map((l) => toDecimal(l['Customer Total Price'])));
        const finalBuy = sum((lines ?? []).map((l) => toDecimal(l['Total Wholesale Price'])));
        await prisma.$transaction(async (tx) => {
          const at = now();
          await tx.consumptionRecord.update({ where: { uuid: record.uuid }, data: { finalSell, finalBuy, finalizedAt: record.finalizedAt ?? at, reconciledAt: at } });
          const difference = useBuy ? finalBuy.minus(record.consumedBuy) : finalSell.minus(record.consumedSell);
          await adjust(tx, { consumptionRecordUuid: record.uuid }, settings, difference, `Licence ${record.licenseReference}, ${options.period}`);
          // the month's usage in Waldur settled against Arrow's final figure (differences under 0.01 ignored)
          if (usageBilled) await compensate(tx, settings, { consumptionRecordUuid: record.uuid }, record.waldurUsage ?? new Decimal(0), `${record.resource.name} (${record.licenseReference})`, useBuy ? finalBuy : finalSell, options.period, at);
        });
        tally.updated++;
      } catch (err) {
        tally.fail(record.licenseReference, err);
      }
    }
  });
}
