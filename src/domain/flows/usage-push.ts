import { WaldurApiError } from '../../waldur/client.js';
import { dashedUuid, type WaldurOfferingBilling } from '../../waldur/wire.js';
import { Decimal } from '../money.js';
import { groupBy } from '../collections.js';
import { periodOf, periodStart } from '../periods.js';
import type { Settings } from '../settings.js';
import { compensationCharges, pushCharges } from './invoice-push.js';
import type { FlowDeps, FlowOptions, RunTally } from './runs.js';

/** The usage-billed component Waldur's Arrow plugin bills consumption on (its `_ensure_arrow_plan`), priced 1. */
export const USAGE_COMPONENT = 'cloud_cost';

/**
 * The push in mode COMPONENT_USAGE (README "Billing in Waldur"): each linked licence's consumption
 * of the current month is set as its resource's `cloud_cost` usage through Waldur's
 * `POST /api/marketplace-component-usages/set_usage/` (an offering manager's door;
 * WALDUR-BILLING-IDENTITY.md §2), and Waldur bills it as one item, usage × the plan's price 1.
 * Waldur keeps one usage per resource, component and month and replaces it, so a re-run, a retry
 * and a second replica set the same figure again and nothing is billed twice; unchanged figures
 * are not sent. Waldur takes usage for the current month only: a month that has ended is settled
 * by reconciliation, whose compensations (final − reported) go on the current month's invoice.
 */
export async function pushUsage(deps: FlowDeps, settings: Settings, options: FlowOptions, tally: RunTally) {
  const now = deps.now?.() ?? new Date();
  const current = periodOf(now);
  if (options.period > current) return tally.skip(`${options.period} has not begun: Waldur takes usage for the current month only`);
  if (options.period === current) await reportUsage(deps, settings, options.period, tally);
  // an ended month is Waldur's no longer: what its usage missed comes as compensations, found by reconciliation
  await pushCharges(deps, tally, await compensationCharges(deps, settings), current);
}

/** Licences whose month reached Waldur as component usage (reported, or being reported). */
export async function licencesBilledAsUsage(deps: FlowDeps, settings: Settings, period: string): Promise<Set<string>> {
  const records = await deps.db.prisma.consumptionRecord.findMany({
    where: { billingPeriod: periodStart(period), waldurUsage: { not: null }, resource: { project: { customer: { mappings: { some: { settingsUuid: settings.uuid } } } } } },
    select: { licenseReference: true },
  });
  return new Set(records.map((r) => r.licenseReference));
}

async function reportUsage(deps: FlowDeps, settings: Settings, period: string, tally: RunTally) {
  const prisma = deps.db.prisma;
  const waldur = deps.waldur!;
  const useBuy = settings.invoicePriceSource === 'buy';
  const records = await prisma.consumptionRecord.findMany({
    where: { billingPeriod: periodStart(period), resource: { project: { customer: { mappings: { some: { settingsUuid: settings.uuid, isActive: true } } } } } },
    include: { resource: { select: { uuid: true, name: true, offeringUuid: true, planUuid: true, project: { select: { customer: { select: { uuid: true, name: true } } } } } } },
    orderBy: { uuid: 'asc' },
  });
  // licences whose lines of the month went to Waldur as invoice items (before a change of mode): not billed again
  const itemised = new Set(
    (
      await prisma.billingSyncItem.findMany({
        where: { waldurState: { in: ['PENDING', 'INVOICED'] }, billingSync: { reportPeriod: period, customerMapping: { settingsUuid: settings.uuid } } },
        select: { licenseReference: true },
      })
    ).map((l) => l.licenseReference),
  );
  const offerings = new Map<string, Promise<WaldurOfferingBilling | Error>>();
  const offeringOf = (uuid: string) => {
    if (!offerings.has(uuid)) offerings.set(uuid, waldur.offeringBilling(uuid).catch((err: Error) => err));
    return offerings.get(uuid)!;
  };
  deps.progress?.total(records.length);
  const reported: typeof records = [];
  for (const record of records) {
    deps.progress?.advance();
    // Waldur keeps usage to 2 decimal places (ComponentUsageItemSerializer.amount)
    const amount = (useBuy ? record.consumedBuy : record.consumedSell).toDecimalPlaces(2);
    const save = (data: Parameters<typeof prisma.consumptionRecord.update>[0]['data']) => prisma.consumptionRecord.update({ where: { uuid: record.uuid }, data });
    if (record.waldurState === 'INVOICED' && record.waldurUsage?.equals(amount)) {
      tally.unchanged++;
      continue;
    }
    if (itemised.has(record.licenseReference)) {
      await save({ waldurState: 'SKIPPED', waldurError: `Licence ${record.licenseReference}'s ${period} reached Waldur as invoice items (before these settings billed usage); it is not billed twice` });
      tally.skipped++;
      continue;
    }
    const offering = await offeringOf(record.resource.offeringUuid);
    if (offering instanceof Error) {
      await save({ waldurState: 'PENDING', waldurError: `Waldur's offering could not be read (${offering.message}); the next run tries again` });
      tally.fail(record.licenseReference, offering);
      continue;
    }
    const refusal = usageRefusal(offering, record.resource.planUuid);
    if (refusal) {
      await save({ waldurState: 'FAILED', waldurError: refusal });
      tally.fail(record.licenseReference, new Error(refusal));
      continue;
    }
    try {
      await waldur.setUsage(record.resource.uuid, [{ type: USAGE_COMPONENT, amount: amount.toFixed(2), description: `Arrow consumption of ${record.licenseReference} for ${period}` }]);
    } catch (err) {
      // Waldur's refusals (4xx) stand until something changes in Waldur; the rest is for the next run
      const refused = err instanceof WaldurApiError && err.status >= 400 && err.status < 500 && err.status !== 429;
      const message = refused ? `Waldur refused the usage: ${(err as WaldurApiError).waldurMessage}` : `Waldur could not be asked (${(err as Error).message}); the next run sends it again`;
      await save({ waldurState: refused ? 'FAILED' : 'PENDING', waldurError: message });
      tally.fail(record.licenseReference, new Error(message));
      continue;
    }
    await save({ waldurState: 'PENDING', waldurUsage: amount, waldurError: '', waldurPushedAt: new Date() });
    reported.push(record);
  }

  // the item Waldur keeps beside each usage, read back: an invoice request per customer
  const [year, month] = period.split('-').map(Number) as [number, number];
  const byCustomer = groupBy(reported, (r) => r.resource.project.customer.uuid);
  for (const [customerUuid, of] of byCustomer) {
    let items;
    try {
      items = (await waldur.invoices({ customer_uuid: customerUuid, year, month }))[0];
    } catch (err) {
      tally.fail(`${of[0]!.resource.project.customer.name} ${period}`, err);
      continue;
    }
    for (const record of of) {
      const item = items?.items.find((i) => i.resource_uuid === record.resource.uuid && i.details.offering_component_type === USAGE_COMPONENT);
      if (item) {
        await prisma.consumptionRecord.update({ where: { uuid: record.uuid }, data: { waldurState: 'INVOICED', waldurInvoiceUuid: dashedUuid(items!.uuid), waldurInvoiceItemUuid: dashedUuid(item.uuid) } });
        tally.created++;
      } else {
        const message = 'Waldur took the usage but its invoice shows no item for it; the next run looks again';
        await prisma.consumptionRecord.update({ where: { uuid: record.uuid }, data: { waldurError: message } });
        tally.fail(record.licenseReference, new Error(message));
      }
    }
  }
}

/**
 * Why Waldur would not bill a resource's usage as Arrow billed it, before asking: Waldur refuses a
 * component that is not usage- or limit-billed, invoices only usage-billed ones, bills nothing for
 * a resource without a plan, and bills usage × the plan's price (so the price must be 1).
 */
function usageRefusal(offering: WaldurOfferingBilling, planUuid: string | null): string | null {
  const component = offering.components.find((c) => c.type === USAGE_COMPONENT);
  if (!component) return `Offering "${offering.name}" has no component ${USAGE_COMPONENT}: Waldur would refuse the usage. Add one (billing type usage, price 1 in every plan) or bill through invoice items`;
  if (component.billing_type !== 'usage') return `Offering "${offering.name}" bills ${USAGE_COMPONENT} as "${component.billing_type}", not "usage": Waldur would put no usage of it on an invoice`;
  if (!planUuid) return "The resource has no plan in Waldur: Waldur would keep the usage and invoice nothing (import it with a plan)";
  const plan = offering.plans.find((p) => dashedUuid(p.uuid) === dashedUuid(planUuid));
  const price = plan?.prices[USAGE_COMPONENT];
  if (price === undefined) return `Plan "${plan?.name ?? planUuid}" has no price for ${USAGE_COMPONENT}: Waldur would invoice nothing`;
  if (!new Decimal(String(price)).equals(1)) return `Plan "${plan!.name}" prices ${USAGE_COMPONENT} at ${price}: Waldur bills usage × price, so Arrow's amount would be multiplied by ${price}. Price it 1`;
  return null;
}
