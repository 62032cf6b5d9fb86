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
 * An invoiced line's correction on Waldur's invoice: final − invoiced − compensated so far, when
 * it rounds to a cent or more (a line the final export no longer lists counts 0: a full credit).
 * Made once and never changed (a compensation row is appended, never updated), in the month it is
 * found; the invoice push puts it on that month's invoice. A forced run adds only what is left.
 */
async function compensate(tx: Transaction, settings: Settings, item: { uuid: string; waldurAmount: Decimal | null; waldurItemName: string }, final: Decimal, period: string, now: Date) {
  const earlier = await tx.waldurCompensation.findMany({ where: { billingSyncItemUuid: item.uuid }, select: { amount: true, sequence: true } });
  const difference = final.minus(item.waldurAmount ?? 0).minus(sum(earlier.map((c) => c.amount))).toDecimalPlaces(2);
  if (difference.isZero()) return;
  const sequence = earlier.length + 1;
  const what = difference.isNegative() ? 'Credit' : 'Charge';
  await tx.waldurCompensation.create({
    data: {
      billingSyncItemUuid: item.uuid,
      sequence,
      amount: difference,
      finalAmount: final,
      correctedPeriod: period,
      waldurItemName: `${settings.invoiceItemPrefix}${what} for ${period}: ${item.waldurItemName.replace(settings.invoiceItemPrefix, '')}${sequence > 1 ? ` (#${sequence})` : ''}`,
      waldurArticleCode: `ARC-${crypto.createHash('sha256').update(`${item.uuid}|${sequence}`).digest('hex').slice(0, 26)}`,
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
            if (item.waldurState === 'INVOICED') await compensate(tx, settings, item, row ? toDecimal(row[useBuy ? 'Total Wholesale Price' : 'Customer Total Price']) : new Decimal(0), options.period, now());
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
    const records = await prisma.consumptionRecord.findMany({
      where: { billingPeriod: periodStart(options.period), resourceUuid: { in: resources.map((r) => r.uuid) } },
    });
    deps.progress?.total(syncs.length + records.length);
    for (const record of records) {
      deps.progress?.advance();
      if (record.reconciledAt && !options.force) {
        tally.unchanged++;
        continue;
      }
      const lines = byLicence.get(record.licenseReference);
      if (!lines) {
        tally.skipped++;
        continue;
      }
      try {
        const finalSell = sum(lines.map((l) => toDecimal(l['Customer Total Price'])));
        const finalBuy = sum(lines.map((l) => toDecimal(l['Total Wholesale Price'])));
        await prisma.$transaction(async (tx) => {
          const now = new Date();
          await tx.consumptionRecord.update({ where: { uuid: record.uuid }, data: { finalSell, finalBuy, finalizedAt: record.finalizedAt ?? now, reconciledAt: now } });
          const difference = useBuy ? finalBuy.minus(record.consumedBuy) : finalSell.minus(record.consumedSell);
          await adjust(tx, { consumptionRecordUuid: record.uuid }, settings, difference, `Licence ${record.licenseReference}, ${options.period}`);
        });
        tally.updated++;
      } catch (err) {
        tally.fail(record.licenseReference, err);
      }
    }
  });
}
