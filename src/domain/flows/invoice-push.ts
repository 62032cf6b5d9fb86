import crypto from 'node:crypto';
import { Prisma as P } from '../../generated/prisma/client.js';
import { WaldurApiError, type ImportUsageItem } from '../../waldur/client.js';
import { dashedUuid, type WaldurInvoice } from '../../waldur/wire.js';
import { periodOf } from '../periods.js';
import type { Settings } from '../settings.js';
import type { Decimal } from '../money.js';
import { runFlow, type FlowDeps, type FlowOptions, type RunTally } from './runs.js';
import { licencesBilledAsUsage, pushUsage } from './usage-push.js';

/**
 * The invoice push (README "Billing in Waldur", mode INVOICE_ITEMS): each priced line of the
 * month's billing syncs becomes one item on its Waldur customer's invoice, through Waldur's
 * `POST /api/invoices/import_usage/` (staff; WALDUR-BILLING-IDENTITY.md §2).
 *
 * Exactly once: an item's name and article code are fixed and saved (PENDING) before Waldur is
 * first asked, and Waldur skips an item whose name and article code its invoice already has. So
 * a re-run, a retry after a lost answer, a process killed between Waldur's answer and our commit,
 * and a second replica (the flow's lock makes it wait) all send the same item again, and Waldur
 * keeps it once. Then each customer's invoice is read back for the items' uuids.
 *
 * Issued money is never rewritten: a line whose month's invoice is no longer mutable goes to the
 * current month's invoice, named for the month it corrects; reconciliation's compensations
 * (waldurCompensation rows) go the same way, each once.
 */
export function runInvoicePush(deps: FlowDeps, options: FlowOptions) {
  return runFlow(deps, 'INVOICE_PUSH', options, async (settings, tally) => {
    if (settings.waldurBilling === 'OFF') return tally.skip('These settings put no Arrow charges on Waldur invoices (waldurBilling OFF)');
    if (!deps.waldur) return tally.skip('No Waldur attached');
    if (settings.waldurBilling === 'COMPONENT_USAGE') return pushUsage(deps, settings, options, tally);
    const prisma = deps.db.prisma;
    const lines = await prisma.billingSyncItem.findMany({
      where: { billingSync: { reportPeriod: options.period, customerMapping: { settingsUuid: settings.uuid } } },
      include: { billingSync: { select: { statementReference: true, customerMapping: { select: { waldurCustomer: { select: { uuid: true, name: true } } } } } } },
      orderBy: [{ billingSyncUuid: 'asc' }, { arrowLineReference: 'asc' }],
    });
    const current = periodOf(deps.now?.() ?? new Date());
    // licences whose month already reached Waldur as component usage (before a change of mode) are not billed again
    const asUsage = await licencesBilledAsUsage(deps, settings, options.period);
    const open: Line[] = [];
    for (const line of lines) {
      if (line.waldurState === 'INVOICED') tally.unchanged++;
      else if (line.waldurState === 'SKIPPED') tally.skipped++;
      else open.push(line);
    }
    deps.progress?.total(open.length);

    // 1. what each open line is in Waldur's words, fixed and saved before Waldur hears of it
    // (in a statement per 500 lines: a month's push is thousands of them)
    const toSend: Line[] = [];
    const toFix: Line[] = [];
    for (const line of open) {
      const amount = settings.invoicePriceSource === 'buy' ? line.buyPrice : line.originalPrice;
      const customer = line.billingSync.customerMapping.waldurCustomer;
      const skip = !line.stableIdentity
        ? 'The export gives this line no Sequence or Order Id; keyed by its row position it could be billed twice, so it is not pushed'
        : amount.isZero()
          ? 'Nothing to bill (0.00)'
          : !customer
            ? 'The mapping has no Waldur customer'
            : asUsage.has(line.licenseReference)
              ? `Licence ${line.licenseReference}'s ${options.period} reached Waldur as component usage (before these settings billed invoice items); it is not billed twice`
              : null;
      if (skip) {
        await prisma.billingSyncItem.update({ where: { uuid: line.uuid }, data: { waldurState: 'SKIPPED', waldurError: skip } });
        tally.skipped++;
        continue;
      }
      const fixed = {
        waldurItemName: line.waldurItemName || itemName(settings, line, options.period),
        waldurArticleCode: line.waldurArticleCode || articleCode(settings, line),
        waldurInvoicePeriod: line.waldurInvoicePeriod || options.period,
        waldurAmount: amount,
      };
      const changed = line.waldurState !== 'PENDING' || Object.entries(fixed).some(([k, v]) => String(v) !== String((line as Record<string, unknown>)[k]));
      Object.assign(line, fixed);
      if (changed) toFix.push(line);
      line.waldurState = 'PENDING';
      toSend.push(line);
    }
    for (let i = 0; i < toFix.length; i += CHUNK) {
      const rows = toFix.slice(i, i + CHUNK).map((l) => P.sql`(${l.uuid}::uuid, ${l.waldurItemName}, ${l.waldurArticleCode}, ${l.waldurInvoicePeriod}, ${l.waldurAmount!.toFixed()}::numeric)`);
      await prisma.$executeRaw`
        UPDATE billing_sync_items AS i
           SET waldur_state = 'PENDING'::"WaldurItemState", waldur_item_name = v.name, waldur_article_code = v.code,
               waldur_invoice_period = v.period, waldur_amount = v.amount, modified = now()
          FROM (VALUES ${P.join(rows)}) AS v(uuid, name, code, period, amount)
         WHERE i.uuid = v.uuid`;
    }

    // compensations reconciliation found, not yet on an invoice: they go with the lines
    const charges: Charge[] = [
      ...toSend.map((l) => charge('billing_sync_items', l.arrowLineReference, l.billingSync.customerMapping.waldurCustomer!, l, (data) => prisma.billingSyncItem.update({ where: { uuid: l.uuid }, data }))),
      ...(await compensationCharges(deps, settings)),
    ];
    await pushCharges(deps, tally, charges, current);
  });
}

/** The compensations reconciliation found (of billing lines or of months' usage), not yet on an invoice. */
export async function compensationCharges(deps: FlowDeps, settings: Settings): Promise<Charge[]> {
  const prisma = deps.db.prisma;
  const customer = { select: { uuid: true, name: true } } as const;
  const compensations = await prisma.waldurCompensation.findMany({
    where: {
      waldurState: { in: ['PENDING', 'FAILED'] },
      OR: [{ billingSyncItem: { billingSync: { customerMapping: { settingsUuid: settings.uuid } } } }, { consumptionRecord: { resource: { project: { customer: { mappings: { some: { settingsUuid: settings.uuid } } } } } } }],
    },
    include: {
      billingSyncItem: { select: { billingSync: { select: { customerMapping: { select: { waldurCustomer: customer } } } } } },
      consumptionRecord: { select: { resource: { select: { project: { select: { customer } } } } } },
    },
    orderBy: [{ created: 'asc' }, { sequence: 'asc' }],
  });
  return compensations.map((c) =>
    charge(
      'waldur_compensations',
      `compensation ${c.sequence} of ${c.billingSyncItemUuid ?? c.consumptionRecordUuid}`,
      c.billingSyncItem?.billingSync.customerMapping.waldurCustomer ?? c.consumptionRecord!.resource.project.customer,
      { ...c, waldurAmount: c.amount },
      (data) => prisma.waldurCompensation.update({ where: { uuid: c.uuid }, data }),
    ),
  );
}

/**
 * Puts charges on Waldur's invoices, a request per invoice month; what a closed invoice refused
 * goes to this month's, named for the month it corrects. Then reads each customer's invoice back
 * for the items' uuids (saved a statement per 500).
 */
export async function pushCharges(deps: FlowDeps, tally: RunTally, charges: Charge[], current: string) {
  const prisma = deps.db.prisma;
  const waldur = deps.waldur!;
  const refusedClosed = await importCharges(deps, tally, charges);
  if (refusedClosed.length) {
    for (const c of refusedClosed) {
      c.invoicePeriod = current;
      c.name = `${c.name} (correction for ${c.correcting})`;
      await c.save({ waldurInvoicePeriod: c.invoicePeriod, waldurItemName: c.name });
    }
    const stillClosed = await importCharges(deps, tally, refusedClosed);
    for (const c of stillClosed) await fail(tally, c, `Waldur refused the item: this month's invoice (${current}) is not open either`);
  }

  const invoices = new Map<string, WaldurInvoice | null>();
  const found: { c: Charge; invoiceUuid: string; itemUuid: string }[] = [];
  for (const c of charges.filter((c) => !c.failed)) {
    const key = `${c.customer.uuid}|${c.invoicePeriod}`;
    if (!invoices.has(key)) {
      const [year, month] = c.invoicePeriod.split('-').map(Number) as [number, number];
      try {
        invoices.set(key, (await waldur.invoices({ customer_uuid: c.customer.uuid, year, month }))[0] ?? null);
      } catch (err) {
        invoices.set(key, null);
        tally.fail(`${c.customer.name} ${c.invoicePeriod}`, err);
      }
    }
    const invoice = invoices.get(key);
    const item = invoice?.items.find((i) => i.name === c.name && i.article_code === c.articleCode);
    deps.progress?.advance();
    if (!item) continue; // left PENDING: the next run asks again (Waldur skips what it has)
    found.push({ c, invoiceUuid: dashedUuid(invoice!.uuid), itemUuid: dashedUuid(item.uuid) });
  }
  for (const table of ['billing_sync_items', 'waldur_compensations'] as const) {
    const of = found.filter((f) => f.c.table === table);
    for (let i = 0; i < of.length; i += CHUNK) {
      const rows = of.slice(i, i + CHUNK).map((f) => P.sql`(${f.c.uuid}::uuid, ${f.invoiceUuid}::uuid, ${f.itemUuid}::uuid)`);
      await prisma.$executeRaw`
        UPDATE ${P.raw(table)} AS t
           SET waldur_state = 'INVOICED'::"WaldurItemState", waldur_invoice_uuid = v.invoice, waldur_invoice_item_uuid = v.item,
               waldur_error = '', waldur_pushed_at = now()
          FROM (VALUES ${P.join(rows)}) AS v(uuid, invoice, item)
         WHERE t.uuid = v.uuid`;
    }
  }
  tally.created += found.length;
}

/** Something to put on a Waldur invoice: a billing line, or a compensation of one or of a month's usage. */
export interface Charge {
  table: 'billing_sync_items' | 'waldur_compensations';
  uuid: string;
  reference: string;
  customer: { uuid: string; name: string };
  name: string;
  articleCode: string;
  invoicePeriod: string;
  /** The month a late charge corrects (its first invoice month). */
  correcting: string;
  amount: Decimal;
  failed?: boolean;
  save(data: Record<string, unknown>): Promise<unknown>;
}

function charge(table: Charge['table'], reference: string, customer: { uuid: string; name: string }, row: { uuid: string; waldurItemName: string; waldurArticleCode: string; waldurInvoicePeriod: string; waldurAmount: Decimal | null }, save: Charge['save']): Charge {
  return { table, uuid: row.uuid, reference, customer, name: row.waldurItemName, articleCode: row.waldurArticleCode, invoicePeriod: row.waldurInvoicePeriod, correcting: row.waldurInvoicePeriod, amount: row.waldurAmount!, save };
}

type Line = Awaited<ReturnType<FlowDeps['db']['prisma']['billingSyncItem']['findMany']>>[number] & {
  billingSync: { statementReference: string; customerMapping: { waldurCustomer: { uuid: string; name: string } | null } };
  failed?: boolean;
};

/** Items per import_usage request: Waldur handles them in one transaction. */
const CHUNK = 500;

/**
 * Sends the charges, a request per invoice month (and per CHUNK); answers those whose invoice was
 * no longer mutable. Charges Waldur refused otherwise are FAILED with its reason; when Waldur
 * cannot be asked at all, they stay PENDING with why, for the next run.
 */
async function importCharges(deps: FlowDeps, tally: RunTally, charges: Charge[]): Promise<Charge[]> {
  const closed: Charge[] = [];
  const byPeriod = new Map<string, Charge[]>();
  for (const c of charges) byPeriod.set(c.invoicePeriod, [...(byPeriod.get(c.invoicePeriod) ?? []), c]);
  for (const [period, inPeriod] of byPeriod) {
    const [year, month] = period.split('-').map(Number) as [number, number];
    for (let i = 0; i < inPeriod.length; i += CHUNK) {
      const chunk = inPeriod.slice(i, i + CHUNK);
      const items: ImportUsageItem[] = chunk.map((c) => ({ name: c.name, unit_price: priceText(c.amount), customer_uuid: c.customer.uuid.replace(/-/g, ''), article_code: c.articleCode }));
      let result;
      try {
        result = await deps.waldur!.importUsage(year, month, items);
      } catch (err) {
        const why = importFailure(err);
        for (const c of chunk) {
          if (why.permanent) await fail(tally, c, why.message);
          else {
            c.failed = true;
            await c.save({ waldurError: why.message });
          }
        }
        if (!why.permanent) tally.fail(`import_usage ${period}`, new Error(why.message));
        if (why.permanent) deps.logger?.warn(`invoice push: ${why.message}`);
        continue;
      }
      // Waldur names a refused item's customer (by name when it found it, else as given)
      for (const error of result.errors) {
        const refused = chunk.filter((c) => c.customer.name.toLowerCase() === error.customer_name.toLowerCase() || c.customer.uuid.replace(/-/g, '') === error.customer_name);
        for (const c of refused) {
          if (c.failed || closed.includes(c)) continue;
          if (/items can only be added to mutable invoices/.test(error.reason)) closed.push(c);
          else await fail(tally, c, `Waldur refused the item: ${error.reason}`);
        }
      }
    }
  }
  return closed;
}

async function fail(tally: RunTally, c: Charge, message: string) {
  c.failed = true;
  await c.save({ waldurState: 'FAILED', waldurError: message });
  tally.fail(c.reference, new Error(message));
}

/** Why import_usage could not be asked: permanent (said once, the line FAILED) or for a later run. */
function importFailure(err: unknown): { message: string; permanent: boolean } {
  if (err instanceof WaldurApiError && err.status === 404) {
    return { permanent: true, message: "This Waldur has no POST /api/invoices/import_usage/ (added in Waldur's 2026-01 releases): upgrade it, or bill through component usage (waldurBilling COMPONENT_USAGE)" };
  }
  if (err instanceof WaldurApiError && (err.status === 401 || err.status === 403)) {
    return { permanent: true, message: `Waldur refused import_usage (HTTP ${err.status}): it is for staff users only; give the gateway's Waldur user staff rights` };
  }
  if (err instanceof WaldurApiError && err.status === 400) return { permanent: true, message: `Waldur refused the items: ${err.waldurMessage}` };
  return { permanent: false, message: `Waldur could not be asked (${err instanceof Error ? err.message : String(err)}); the next run sends these again` };
}

/** The item's name on the invoice: says what was billed and which month, fixed at the first push. */
function itemName(settings: Settings, line: Line, period: string): string {
  const what = [line.vendorName, line.description || line.subscriptionReference].filter(Boolean).join(' - ') || 'Arrow charge';
  const quantity = line.quantity.greaterThan(1) ? `, ${line.quantity.toFixed()} units` : '';
  return `${settings.invoiceItemPrefix}${what} (${period}${quantity})`;
}

/**
 * The line's identity as an article code Waldur keeps (30 characters at most): a hash of the
 * settings, the statement and Arrow's own line reference, so the same line always has the same code.
 */
function articleCode(settings: Settings, line: Line): string {
  return `ARW-${crypto.createHash('sha256').update(`${settings.uuid}|${line.billingSync.statementReference}|${line.arrowLineReference}`).digest('hex').slice(0, 26)}`;
}

/** Waldur takes a unit price of at most 7 decimal places (PRICE_DECIMAL_PLACES). */
function priceText(amount: Decimal): string {
  return amount.toDecimalPlaces(7).toFixed();
}

