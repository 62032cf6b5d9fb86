import type { ArrowSource } from './arrow-source.js';
import { billingLineOf } from './arrow-data.js';
import { activeMappings, type FlowDeps } from './flows/runs.js';
import { mappingIndex } from './flows/billing-sync.js';
import { Decimal, sum } from './money.js';
import { getSettings } from './settings.js';
import { parsePeriod, periodStart } from './periods.js';

/** Why an Arrow line billed to the partner is on no Waldur invoice. */
export type UnbilledCause = 'CUSTOMER_NOT_MAPPED' | 'WALDUR_BILLING_OFF' | 'NOT_PUSHED_YET' | 'NO_STABLE_IDENTITY' | 'NO_RESOURCE' | 'REFUSED_BY_WALDUR';

export interface UnbilledCharges {
  period: string;
  settingsUuid: string;
  /** Every priced line of the month's export, and its sum. */
  exportLines: number;
  exportTotal: Decimal;
  invoicedTotal: Decimal;
  causes: { cause: UnbilledCause; lines: number; amount: Decimal; examples: string[] }[];
  unbilledTotal: Decimal;
}

/**
 * Per month, the Arrow lines billed to the partner that reach no Waldur invoice, by cause, with
 * the amount at stake (in the settings' price source). One billing export read (cached like any),
 * two SQL statements: what no mapping claims is found in the export, the rest in the lines the
 * billing sync kept and where the push left them. In COMPONENT_USAGE a line reaches Waldur with
 * its licence's usage: a third statement reads the month's consumption records.
 */
export async function unbilledCharges(deps: { db: FlowDeps['db']; arrow: ArrowSource }, settingsUuid: string, period: string): Promise<UnbilledCharges> {
  parsePeriod(period);
  const prisma = deps.db.prisma;
  const settings = await getSettings(prisma, settingsUuid);
  const useBuy = settings.invoicePriceSource === 'buy';
  const rows = settings.exportTypeReference ? (await deps.arrow.billingExport(settings, settings.exportTypeReference, period)).rows : [];
  const mappingOf = mappingIndex(await activeMappings({ db: deps.db, arrow: deps.arrow }, settings));
  const priced = rows.map((row) => ({ row, line: billingLineOf(row) })).map((x) => ({ ...x, amount: useBuy ? x.line.buyPrice : x.line.sellPrice })).filter((x) => !x.amount.isZero());
  const unmapped = priced.filter((x) => !mappingOf(x.row));
  const found = await prisma.billingSyncItem.findMany({
    where: { billingSync: { reportPeriod: period, customerMapping: { settingsUuid } } },
    select: { arrowLineReference: true, licenseReference: true, originalPrice: true, buyPrice: true, waldurState: true, waldurAmount: true, stableIdentity: true, waldurError: true },
  });
  // in COMPONENT_USAGE a line goes with its licence's month of usage: the record's place in Waldur is the line's
  const usage =
    settings.waldurBilling === 'COMPONENT_USAGE'
      ? new Map(
          (
            await prisma.consumptionRecord.findMany({
              where: { billingPeriod: periodStart(period), licenseReference: { in: [...new Set(found.map((l) => l.licenseReference))] } },
              select: { licenseReference: true, waldurState: true },
            })
          ).map((r) => [r.licenseReference, r.waldurState]),
        )
      : null;
  const lines = found.map((l) => {
    if (!usage) return { ...l, backsResource: true };
    const state = usage.get(l.licenseReference);
    return { ...l, waldurState: state ?? ('NOT_PUSHED' as const), waldurAmount: null, backsResource: state !== undefined };
  });
  const amountOf = (l: (typeof lines)[number]) => l.waldurAmount ?? (useBuy ? l.buyPrice : l.originalPrice);
  const by = (cause: UnbilledCause, of: typeof lines) => ({ cause, lines: of.length, amount: sum(of.map(amountOf)), examples: of.slice(0, 5).map((l) => l.arrowLineReference) });
  const causes = [
    { cause: 'CUSTOMER_NOT_MAPPED' as const, lines: unmapped.length, amount: sum(unmapped.map((x) => x.amount)), examples: [...new Set(unmapped.map((x) => x.row['End User Company Name'] || x.row['End User Company ID'] || ''))].slice(0, 5) },
    settings.waldurBilling === 'OFF'
      ? by('WALDUR_BILLING_OFF', lines.filter((l) => l.waldurState === 'NOT_PUSHED'))
      : by('NOT_PUSHED_YET', lines.filter((l) => (l.waldurState === 'NOT_PUSHED' && l.backsResource) || l.waldurState === 'PENDING')),
    by('NO_STABLE_IDENTITY', lines.filter((l) => settings.waldurBilling === 'INVOICE_ITEMS' && l.waldurState === 'SKIPPED' && !l.stableIdentity)),
    by('NO_RESOURCE', lines.filter((l) => !l.backsResource)),
    by('REFUSED_BY_WALDUR', lines.filter((l) => l.waldurState === 'FAILED')),
  ].filter((c) => c.lines > 0);
  return {
    period,
    settingsUuid,
    exportLines: priced.length,
    exportTotal: sum(priced.map((x) => x.amount)),
    invoicedTotal: sum(lines.filter((l) => l.waldurState === 'INVOICED').map(amountOf)),
    causes,
    unbilledTotal: sum(causes.map((c) => c.amount)),
  };
}

