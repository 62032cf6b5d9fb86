import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies, type SeededCompany } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';
import { runInvoicePush } from '../../src/domain/flows/invoice-push.js';
import { runConsumptionSync } from '../../src/domain/flows/consumption-sync.js';
import { runReconciliation } from '../../src/domain/flows/reconciliation.js';
import { runBillingSync } from '../../src/domain/flows/billing-sync.js';
import type { FlowDeps } from '../../src/domain/flows/runs.js';
import { Decimal } from '../../src/domain/money.js';

/**
 * Issue 27, mode COMPONENT_USAGE: each linked licence's consumption of the month set as its
 * resource's cloud_cost usage (Waldur bills usage × price 1 as one item), the month's final
 * figures settled by reconciliation on the next month's invoice; the Waldur simulator is a process
 * of its own, its clock and the gateway's moved together across the month's end.
 */
const M = '2026-10';
const IN_OCTOBER = new Date('2026-10-20T10:00:00Z');
const IN_NOVEMBER = new Date('2026-11-03T10:00:00Z');

interface SimInvoice {
  customer: string;
  year: number;
  month: number;
  items: { name: string; unit_price: string; quantity: string; resource_uuid?: string }[];
}

describe.each(databaseKinds)('billing Waldur through component usage (%s)', (kind) => {
  let gw: TestGateway;
  let settingsUuid: string;
  let offeringUuid: string;
  let companies: SeededCompany[];
  let fixture: ReturnType<typeof companiesFixture>;
  let now = IN_OCTOBER;
  afterEach(() => gw?.close());

  const deps = (): FlowDeps => ({ db: gw.t.db, arrow: gw.arrow, waldur: gw.waldurClient, now: () => now });
  const at = async (when: Date) => {
    now = when;
    await fetch(`${gw.waldur.url}/__sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: when.toISOString() }) });
  };
  async function start(n: number, price: number | string = 1) {
    fixture = companiesFixture(n, M);
    gw = await startTestGateway(kind, fixture, { waldur: 'process', cacheTtlMs: 0 });
    const plan = '00000000-0000-4000-8000-0000000000f1';
    offeringUuid = await gw.waldur.create('offerings', {
      name: 'Arrow licences',
      type: 'Marketplace.Basic',
      components: [{ type: 'cloud_cost', name: 'Cloud cost', billing_type: 'usage', measured_unit: 'EUR' }],
      plans: [{ uuid: plan, name: 'Arrow', prices: { cloud_cost: price } }],
    });
    await gw.syncWaldur();
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', waldurBilling: 'COMPONENT_USAGE', invoiceItemPrefix: 'Arrow: ' } })).uuid;
    companies = await seedCompanies(gw, { n, settingsUuid, offeringUuid, plan });
    await at(IN_OCTOBER);
    expect(await runConsumptionSync(deps(), { period: M, settingsUuid })).toMatchObject({ status: 'SUCCEEDED', created: n });
  }
  const push = () => runInvoicePush(deps(), { period: M, settingsUuid });
  const requests = async () => Object.fromEntries(Object.entries(await gw.waldur.stats()).filter(([, v]) => v > 0));
  const invoices = async (): Promise<SimInvoice[]> => {
    const all = (await (await fetch(`${gw.waldur.url}/__sim/invoices`)).json()) as SimInvoice[];
    return all.map((i) => ({ ...i, customer: i.customer.match(/customers\/([0-9a-f]{32})\//)![1]! }));
  };
  /** Everything Arrow put on a customer's Waldur invoices, in all months, to the cent. */
  const onInvoices = (all: SimInvoice[], customerUuid: string) =>
    all
      .filter((i) => i.customer === customerUuid.replace(/-/g, ''))
      .flatMap((i) => i.items)
      .reduce((a, i) => a.plus(new Decimal(i.unit_price).times(i.quantity)), new Decimal(0))
      .toFixed(2);
  const records = () => gw.t.db.prisma.consumptionRecord.findMany({ orderBy: { licenseReference: 'asc' } });

  it("sets each linked licence's month as its resource's usage once, settles the month's final figures on the next invoice, and equals the billed total to the cent", async () => {
    await start(2);
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 2, unchanged: 0, failed: 0 });
    // one offering read, a set_usage per licence, an invoice read per customer
    expect(await requests()).toEqual({ offerings: 1, setUsage: 2, invoices: 2 });
    let all = await invoices();
    for (const c of companies) {
      const october = all.find((i) => i.customer === c.customerUuid.replace(/-/g, '') && i.month === 10)!;
      expect(october.items).toEqual([expect.objectContaining({ name: 'Azure Plan / Cloud cost', unit_price: '1.00', quantity: '15.50', resource_uuid: c.resourceUuids[0]!.replace(/-/g, '') })]);
    }
    expect((await records()).map((r) => [r.waldurState, r.waldurUsage?.toFixed(2), !!r.waldurInvoiceItemUuid])).toEqual([['INVOICED', '15.50', true], ['INVOICED', '15.50', true]]);

    // unchanged figures are not sent again
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 0, unchanged: 2 });
    expect(await requests()).toEqual({});

    // Arrow's figure grows; Waldur takes the usage but its invoice cannot be read (as if the answer were lost)
    for (const c of [0, 1]) fixture.consumption![`XSP${700000 + c * 10}`]![M]![0]!['Total sell price'] = '11.00';
    expect(await runConsumptionSync(deps(), { period: M, settingsUuid })).toMatchObject({ updated: 2 });
    await gw.waldur.setFaults({ errorRate: 1, endpoints: ['invoices'] });
    expect(await push()).toMatchObject({ status: 'FAILED', created: 0 });
    expect((await records()).map((r) => [r.waldurState, r.waldurUsage?.toFixed(2)])).toEqual([['PENDING', '16.50'], ['PENDING', '16.50']]);
    await gw.waldur.setFaults({});
    await gw.waldur.resetStats();
    // the retry sets the same usage again: Waldur replaces it, one item per resource
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 2 });
    expect(await requests()).toEqual({ offerings: 1, setUsage: 2, invoices: 2 });
    all = await invoices();
    expect(all.flatMap((i) => i.items).map((i) => [i.name, i.quantity])).toEqual([['Azure Plan / Cloud cost', '16.50'], ['Azure Plan / Cloud cost', '16.50']]);

    // the month ends; Arrow's final export: company 0's licence 17.00, company 1's 16.504 (under a cent off)
    await at(IN_NOVEMBER);
    const rows = fixture.billing![M]!;
    rows.find((r) => r['ARS Subscription ID'] === 'XSP700000')!['Customer Total Price'] = '17.00';
    rows.find((r) => r['ARS Subscription ID'] === 'XSP700010')!['Customer Total Price'] = '16.504';
    expect(await runReconciliation(deps(), { period: M, settingsUuid })).toMatchObject({ status: 'SUCCEEDED' });
    const made = await gw.t.db.prisma.waldurCompensation.findMany();
    expect(made.map((c) => [c.amount.toFixed(2), c.correctedPeriod, c.waldurInvoicePeriod, c.waldurItemName])).toEqual([['0.50', M, '2026-11', `Arrow: Charge for ${M}: Azure Plan (XSP700000)`]]);
    // October is Waldur's no longer: the settlement is an item on November's invoice
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 1 });
    expect(await requests()).toEqual({ importUsage: 1, invoices: 1 });
    all = await invoices();
    expect(all.find((i) => i.month === 10 && i.customer === companies[0]!.customerUuid.replace(/-/g, ''))!.items.map((i) => i.quantity)).toEqual(['16.50']);
    const billed = async (i: number) => (await records()).find((r) => r.licenseReference === `XSP${700000 + i * 10}`)!.finalSell!.toDecimalPlaces(2).toFixed(2);
    for (const i of [0, 1]) expect(onInvoices(all, companies[i]!.customerUuid)).toBe(await billed(i));

    // a forced reconciliation with nothing new adds nothing, and the push then asks Waldur nothing
    expect(await runReconciliation(deps(), { period: M, settingsUuid, force: true })).toMatchObject({ status: 'SUCCEEDED' });
    expect(await gw.t.db.prisma.waldurCompensation.count()).toBe(1);
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 0 });
    expect(await requests()).toEqual({});
    for (const i of [0, 1]) expect(onInvoices(await invoices(), companies[i]!.customerUuid)).toBe(await billed(i));

    // what reached Waldur, per mapping, and what of the export did not: the licences backing no resource
    expect(await runBillingSync(deps(), { period: M, settingsUuid })).toMatchObject({ status: 'SUCCEEDED' });
    const q = await gw.gql(`query($p: String!, $s: UUID!) { unbilledArrowCharges(period: $p, settingsUuid: $s) { ... on QueryUnbilledArrowChargesSuccess { charges { causes { cause lines amount examples } } } } }`, { p: M, s: settingsUuid });
    expect(q.data.unbilledArrowCharges.charges.causes).toEqual([{ cause: 'NO_RESOURCE', lines: 2, amount: '31.00', examples: ['0-1', '1-1'] }]);
    const summary = await gw.gql(`query($u: UUID!) { customerMapping(uuid: $u) { billingSummary { waldurInvoiced waldurPending waldurFailed } } }`, { u: companies[0]!.mappingUuid });
    expect(summary.data.customerMapping.billingSummary).toEqual({ waldurInvoiced: '17.00', waldurPending: '0.00', waldurFailed: '0.00' });
  });

  it("refuses, before asking, an offering whose plan would multiply Arrow's amount; records Waldur's own refusals; leaves 5xx for the next run", async () => {
    await start(2, 2);
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'FAILED', failed: 2 });
    expect(await requests()).toEqual({ offerings: 1 });
    expect((await records()).map((r) => [r.waldurState, r.waldurError])).toEqual(
      Array(2).fill(['FAILED', "Plan \"Arrow\" prices cloud_cost at 2: Waldur bills usage × price, so Arrow's amount would be multiplied by 2. Price it 1"]),
    );

    // priced 1 now; Waldur terminated company 1's resource (the mirror has not heard)
    const plan = (await (await fetch(`${gw.waldur.url}/api/marketplace-provider-offerings/${offeringUuid}/`, { headers: { authorization: `Token ${gw.waldur.token}` } })).json()).plans[0];
    await gw.waldur.change('offerings', offeringUuid, { plans: [{ ...plan, prices: { cloud_cost: '1' } }] });
    await gw.waldur.change('resources', companies[1]!.resourceUuids[0]!, { state: 'Terminated' });
    expect(await push()).toMatchObject({ status: 'PARTIAL', created: 1, failed: 1 });
    expect((await records()).map((r) => [r.waldurState, r.waldurError])).toEqual([
      ['INVOICED', ''],
      ['FAILED', 'Waldur refused the usage: resource: Resource is not in valid state.'],
    ]);

    // Arrow's figure for company 0 grows while Waldur answers 5xx: left PENDING with why, completed next time
    fixture.consumption!.XSP700000![M]![0]!['Total sell price'] = '12.00';
    await runConsumptionSync(deps(), { period: M, settingsUuid });
    await gw.waldur.setFaults({ errorRate: 1, endpoints: ['setUsage'] });
    expect(await push()).toMatchObject({ status: 'FAILED', created: 0 });
    const [first] = await records();
    expect([first!.waldurState, first!.waldurUsage?.toFixed(2), first!.waldurError]).toEqual(['PENDING', '15.50', expect.stringMatching(/^Waldur could not be asked .*the next run sends it again$/)]);
    expect(onInvoices(await invoices(), companies[0]!.customerUuid)).toBe('15.50');
    await gw.waldur.setFaults({});
    expect(await push()).toMatchObject({ created: 1 });
    expect((await records()).map((r) => r.waldurState)).toEqual(['INVOICED', 'FAILED']);
    expect(onInvoices(await invoices(), companies[0]!.customerUuid)).toBe('17.50');
    expect(onInvoices(await invoices(), companies[1]!.customerUuid)).toBe('0.00');
  });
});
