import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';
import { runInvoicePush } from '../../src/domain/flows/invoice-push.js';
import { startWaldurSimulator } from '../../src/waldur-sim/server.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { Decimal } from '../../src/domain/money.js';

/**
 * Issue 27: each Arrow line billed once, to the right customer and month, through Waldur's
 * import_usage, with the Waldur simulator as a process of its own (as a real Waldur is).
 */
const P = '2026-10';
const CURRENT = new Date().toISOString().slice(0, 7);

interface SimInvoice {
  uuid: string;
  customer: string;
  year: number;
  month: number;
  state: string;
  items: { uuid: string; name: string; article_code: string; unit_price: string; quantity: string }[];
}

describe.each(databaseKinds)('the invoice push into Waldur (%s)', (kind) => {
  let gw: TestGateway;
  let settingsUuid: string;
  let companies: SeededCompany[];
  let fixture: ReturnType<typeof companiesFixture>;

  afterEach(() => gw?.close());

  async function start(n: number, edit?: (f: ReturnType<typeof companiesFixture>) => void) {
    fixture = companiesFixture(n, P);
    edit?.(fixture);
    gw = await startTestGateway(kind, fixture, { waldur: 'process' });
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', waldurBilling: 'INVOICE_ITEMS', invoiceItemPrefix: 'Arrow: ' } })).uuid;
    companies = await seedCompanies(gw, { n, settingsUuid, offeringUuid });
    const synced = await gw.gql(`mutation($p: String!, $s: UUID) { runBillingSync(period: $p, settingsUuid: $s) { ... on MutationRunBillingSyncSuccess { run { status } } } }`, { p: P, s: settingsUuid });
    expect(synced.data.runBillingSync.run.status).toBe('SUCCEEDED');
  }
  const push = async (period = P) =>
    (await gw.gql(`mutation($p: String!, $s: UUID) { runInvoicePush(period: $p, settingsUuid: $s) { ... on MutationRunInvoicePushSuccess { run { status created unchanged skipped failed message } } } }`, { p: period, s: settingsUuid })).data.runInvoicePush.run;
  const invoices = async (): Promise<SimInvoice[]> => {
    const all = (await (await fetch(`${gw.waldur.url}/__sim/invoices`)).json()) as (SimInvoice & { customer: string })[];
    return all.map((i) => ({ ...i, customer: i.customer.match(/customers\/([0-9a-f]{32})\//)![1]! }));
  };
  const hex = (uuid: string) => uuid.replace(/-/g, '');
  /** The Arrow items on a customer's invoice of a month, summed to the cent. */
  const invoiced = (all: SimInvoice[], customerUuid: string, period = P) =>
    all.filter((i) => i.customer === hex(customerUuid) && `${i.year}-${String(i.month).padStart(2, '0')}` === period).flatMap((i) => i.items).reduce((a, i) => a.plus(new Decimal(i.unit_price).times(i.quantity)), new Decimal(0)).toFixed(2);
  const billed = async (mappingUuid: string) => (await gw.t.db.prisma.billingSync.findMany({ where: { customerMappingUuid: mappingUuid, reportPeriod: P } })).reduce((a, s) => a.plus(s.sellTotal), new Decimal(0)).toFixed(2);
  const counts = async () => {
    const s = await gw.waldur.stats();
    return { importUsage: s.importUsage ?? 0, invoices: s.invoices ?? 0 };
  };

  it("puts every line once on its customer's invoice of the report month, to the cent, and a second run adds nothing", async () => {
    await start(3);
    await gw.waldur.resetStats();
    expect(await push()).toEqual({ status: 'SUCCEEDED', created: 6, unchanged: 0, skipped: 0, failed: 0, message: '' });
    // one import for the month, then each customer's invoice read back once
    expect(await counts()).toEqual({ importUsage: 1, invoices: 3 });
    const all = await invoices();
    for (const c of companies) expect(invoiced(all, c.customerUuid)).toBe(await billed(c.mappingUuid!));
    // named with the prefix, the vendor, what was billed and the month
    expect(all.flatMap((i) => i.items).map((i) => i.name).sort()).toEqual(['700000', '700001', '700010', '700011', '700020', '700021'].map((l) => `Arrow: Microsoft - SUB-XSP${l} (${P})`));
    // the item codes tell the lines apart
    expect(new Set(all.flatMap((i) => i.items).map((i) => i.article_code)).size).toBe(6);
    // REST answers Waldur's uuids, GraphQL the state
    const items = await gw.t.db.prisma.billingSyncItem.findMany();
    expect(items.every((i) => i.waldurState === 'INVOICED' && i.waldurInvoiceItemUuid && i.waldurInvoiceUuid)).toBe(true);
    const rest = await (await fetch(`${await restBase()}/api/admin/arrow/billing-sync-items/${items[0]!.uuid}/`, { headers: { authorization: `Token ${gw.staffToken}` } })).json();
    expect(rest).toMatchObject({ invoice_item_uuid: items[0]!.waldurInvoiceItemUuid, invoice_uuid: items[0]!.waldurInvoiceUuid, waldur_state: 'INVOICED' });

    await gw.waldur.resetStats();
    expect(await push()).toEqual({ status: 'SUCCEEDED', created: 0, unchanged: 6, skipped: 0, failed: 0, message: '' });
    expect(await counts()).toEqual({ importUsage: 0, invoices: 0 });
    expect(await invoices()).toEqual(all);
  });

  it('completes a push whose answers were lost: the retry sends the same items and Waldur keeps each once', async () => {
    await start(2);
    // Waldur takes the items, but the gateway never reads them back (as if the answers were lost)
    await gw.waldur.setFaults({ errorRate: 1, endpoints: ['invoices'] });
    const lost = await push();
    expect(lost).toMatchObject({ status: 'FAILED', created: 0 });
    expect((await gw.t.db.prisma.billingSyncItem.findMany()).map((i) => i.waldurState)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
    await gw.waldur.setFaults({});
    await gw.waldur.resetStats();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 4 });
    expect(await counts()).toEqual({ importUsage: 1, invoices: 2 });
    const all = await invoices();
    expect(all.flatMap((i) => i.items)).toHaveLength(4);
    for (const c of companies) expect(invoiced(all, c.customerUuid)).toBe(await billed(c.mappingUuid!));
  });

  it("sends a closed month's lines to this month's invoice, named for the month they correct; never rewrites the closed one", async () => {
    await start(2);
    const closed = await (await fetch(`${gw.waldur.url}/__sim/invoices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer: companies[0]!.customerUuid, year: 2026, month: 10, state: 'created' }) })).json();
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 4 });
    const all = await invoices();
    expect(all.find((i) => i.uuid === closed.uuid)!.items).toEqual([]);
    expect(invoiced(all, companies[0]!.customerUuid, CURRENT)).toBe(await billed(companies[0]!.mappingUuid!));
    expect(all.filter((i) => i.customer === hex(companies[0]!.customerUuid) && i.month !== 10).flatMap((i) => i.items).map((i) => i.name).sort()).toEqual(['700000', '700001'].map((l) => `Arrow: Microsoft - SUB-XSP${l} (${P}) (correction for ${P})`));
    expect(invoiced(all, companies[1]!.customerUuid)).toBe(await billed(companies[1]!.mappingUuid!));
    const lines = await gw.t.db.prisma.billingSyncItem.findMany({ where: { billingSync: { customerMappingUuid: companies[0]!.mappingUuid! } } });
    expect(lines.map((l) => l.waldurInvoicePeriod)).toEqual([CURRENT, CURRENT]);
  });

  it('leaves lines PENDING with the reason while Waldur fails (5xx, 429), and the next run completes them', async () => {
    await start(1);
    for (const fault of [{ errorRate: 1 }, { rateLimitRate: 1, retryAfterSeconds: 0 }]) {
      await gw.waldur.setFaults({ ...fault, endpoints: ['importUsage'] });
      const down = await push();
      expect(down).toMatchObject({ status: 'FAILED', created: 0, failed: 1 });
      const pending = await gw.t.db.prisma.billingSyncItem.findMany();
      expect(pending.map((l) => [l.waldurState, l.waldurError.startsWith('Waldur could not be asked')])).toEqual([['PENDING', true], ['PENDING', true]]);
      expect((await invoices()).flatMap((i) => i.items)).toEqual([]);
    }
    await gw.waldur.setFaults({});
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 2 });
    expect(invoiced(await invoices(), companies[0]!.customerUuid)).toBe(await billed(companies[0]!.mappingUuid!));
  });

  it('skips a line the export gives no Sequence or Order Id (its row position is no identity), and says so', async () => {
    await start(1, (f) => {
      for (const row of f.billing![P]!) delete (row as Record<string, string>).Sequence;
    });
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 0, skipped: 2 });
    const lines = await gw.t.db.prisma.billingSyncItem.findMany();
    expect(lines.map((l) => [l.waldurState, l.waldurError])).toEqual(Array(2).fill(['SKIPPED', 'The export gives this line no Sequence or Order Id; keyed by its row position it could be billed twice, so it is not pushed']));
    expect((await invoices()).flatMap((i) => i.items)).toEqual([]);
  });

  it('lets two pushes of the same month at once add each line once (the flow takes turns)', async () => {
    await start(2);
    const flowDeps = { db: gw.t.db, arrow: gw.arrow, waldur: gw.waldurClient };
    const runs = await Promise.all([runInvoicePush(flowDeps, { settingsUuid, period: P }), runInvoicePush(flowDeps, { settingsUuid, period: P })]);
    expect(runs.map((r) => r.created).sort()).toEqual([0, 4]);
    const all = await invoices();
    expect(all.flatMap((i) => i.items)).toHaveLength(4);
    for (const c of companies) expect(invoiced(all, c.customerUuid)).toBe(await billed(c.mappingUuid!));
  });

  it("corrects an invoiced line on this month's invoice once, credits a line gone from the final export in full, and a forced run adds only what is left", async () => {
    await start(2);
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 4 });
    // Arrow's final export: company 0's first line cheaper, company 1's second line gone
    const rows = fixture.billing![P]!;
    rows[0]!['Customer Total Price'] = '12.00';
    rows.splice(3, 1);
    const reconcile = async (force = false) => {
      await gw.gql(`mutation($p: String!, $s: UUID) { runBillingValidation(period: $p, settingsUuid: $s) { __typename } }`, { p: P, s: settingsUuid });
      return (await gw.gql(`mutation($p: String!, $s: UUID, $f: Boolean) { runReconciliation(period: $p, settingsUuid: $s, force: $f) { ... on MutationRunReconciliationSuccess { run { status } } } }`, { p: P, s: settingsUuid, f: force })).data.runReconciliation.run.status;
    };
    expect(await reconcile()).toBe('SUCCEEDED');
    const made = await gw.t.db.prisma.waldurCompensation.findMany({ orderBy: { amount: 'asc' } });
    expect(made.map((c) => [c.amount.toFixed(2), c.finalAmount.toFixed(2), c.sequence, c.waldurInvoicePeriod])).toEqual([['-15.50', '0.00', 1, CURRENT], ['-3.50', '12.00', 1, CURRENT]]);
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 2, unchanged: 4 });
    const final = (i: number) => new Decimal(rows.filter((r) => r['End User Company ID'] === companies[i]!.arrowReference).reduce((a, r) => a + Number(r['Customer Total Price']), 0)).toFixed(2);
    let all = await invoices();
    const everything = (customerUuid: string) => all.filter((i) => i.customer === hex(customerUuid)).flatMap((i) => i.items).reduce((a, i) => a.plus(new Decimal(i.unit_price).times(i.quantity)), new Decimal(0)).toFixed(2);
    for (const i of [0, 1]) expect(everything(companies[i]!.customerUuid)).toBe(final(i));
    // the report month's invoice keeps what it had: corrections land in this month
    for (const c of companies) expect(invoiced(all, c.customerUuid)).toBe(await billed(c.mappingUuid!));
    const names = all.flatMap((i) => i.items).filter((i) => i.unit_price.startsWith('-')).map((i) => i.name).sort();
    expect(names).toEqual([`Arrow: Credit for ${P}: Microsoft - SUB-XSP700000 (${P})`, `Arrow: Credit for ${P}: Microsoft - SUB-XSP700011 (${P})`]);

    // a forced run with nothing new adds nothing; a further change adds only the rest
    expect(await reconcile(true)).toBe('SUCCEEDED');
    expect(await gw.t.db.prisma.waldurCompensation.count()).toBe(2);
    rows[0]!['Customer Total Price'] = '11.00';
    expect(await reconcile(true)).toBe('SUCCEEDED');
    const further = await gw.t.db.prisma.waldurCompensation.findMany({ where: { sequence: 2 } });
    expect(further.map((c) => c.amount.toFixed(2))).toEqual(['-1.00']);
    expect(await push()).toMatchObject({ status: 'SUCCEEDED', created: 1 });
    all = await invoices();
    for (const i of [0, 1]) expect(everything(companies[i]!.customerUuid)).toBe(final(i));
  });

  it('says which Arrow money reaches no Waldur invoice, by cause, in GraphQL and REST', async () => {
    await start(3, (f) => {
      // a customer nobody mapped, and a line without a stable identity
      f.billing![P]!.push({ ...f.billing![P]![0]!, Sequence: 'X-1', 'End User Company ID': 'XSP999999', 'End User Company Name': 'Nobody Mapped Oy', 'Customer Total Price': '40.00' });
      delete (f.billing![P]![5] as Record<string, string>).Sequence;
    });
    // company 1's invoices of the month and of this month closed: Waldur refuses its lines
    for (const period of [P, CURRENT]) {
      await fetch(`${gw.waldur.url}/__sim/invoices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer: companies[1]!.customerUuid, year: Number(period.slice(0, 4)), month: Number(period.slice(5)), state: 'created' }) });
    }
    expect(await push()).toMatchObject({ status: 'PARTIAL', created: 3, skipped: 1, failed: 2 });
    const q = await gw.gql(`query($p: String!, $s: UUID!) { unbilledArrowCharges(period: $p, settingsUuid: $s) { ... on QueryUnbilledArrowChargesSuccess { charges { exportLines exportTotal invoicedTotal unbilledTotal causes { cause lines amount examples } } } } }`, { p: P, s: settingsUuid });
    expect(q.data.unbilledArrowCharges.charges).toEqual({
      exportLines: 7,
      exportTotal: '133.00',
      invoicedTotal: '46.50',
      unbilledTotal: '86.50',
      causes: [
        { cause: 'CUSTOMER_NOT_MAPPED', lines: 1, amount: '40.00', examples: ['Nobody Mapped Oy'] },
        { cause: 'NO_STABLE_IDENTITY', lines: 1, amount: '15.50', examples: [expect.stringMatching(/#5$/)] },
        { cause: 'REFUSED_BY_WALDUR', lines: 2, amount: '31.00', examples: ['1-0', '1-1'] },
      ],
    });
    const rest = await (await fetch(`${await restBase()}/api/admin/arrow/settings/${settingsUuid}/unbilled_charges/?period=${P}`, { headers: { authorization: `Token ${gw.staffToken}` } })).json();
    expect(rest).toMatchObject({ export_total: '133.00', invoiced_total: '46.50', unbilled_total: '86.50', causes: [{ cause: 'customer_not_mapped', amount: '40.00' }, { cause: 'no_stable_identity' }, { cause: 'refused_by_waldur', lines: 2 }] });
    // the mapping's billing summary says the same of its own lines
    const summary = await gw.gql(`query($u: UUID!) { customerMapping(uuid: $u) { billingSummary { totalBillingSell waldurInvoiced waldurPending waldurFailed waldurFailedLines } } }`, { u: companies[1]!.mappingUuid });
    expect(summary.data.customerMapping.billingSummary).toEqual({ totalBillingSell: '31.00', waldurInvoiced: '0.00', waldurPending: '0.00', waldurFailed: '31.00', waldurFailedLines: 2 });
  });

  async function restBase() {
    const { listen } = await import('../support/http.js');
    const l = await listen(gw.server);
    return l.base;
  }
});

describe('choosing how Arrow money reaches Waldur', () => {
  it('refuses a configuration that would bill a charge twice, in GraphQL and REST, and changes nothing', async () => {
    const gw = await startTestGateway('pglite', companiesFixture(1, P));
    try {
      const first = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', partnerReference: 'XSP000001', waldurBilling: 'INVOICE_ITEMS' } })).uuid;
      const second = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', partnerReference: 'XSP000001' } })).uuid;
      const update = async (uuid: string, mode: string) => (await gw.gql(`mutation($u: UUID!, $m: WaldurBillingMode) { updateArrowSettings(uuid: $u, input: { waldurBilling: $m }) { __typename ... on ValidationError { fields { field messages } } ... on MutationUpdateArrowSettingsSuccess { settings { waldurBilling } } } }`, { u: uuid, m: mode })).data.updateArrowSettings;
      expect(await update(second, 'INVOICE_ITEMS')).toEqual({ __typename: 'ValidationError', fields: [{ field: 'waldurBilling', messages: [`Settings ${first} already bill Arrow partner XSP000001 into Waldur; billing the same lines from these settings too would invoice them twice. Turn one off first.`] }] });
      // the other mode bills the same partner's charges too
      expect(await update(second, 'COMPONENT_USAGE')).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'waldurBilling', messages: [expect.stringMatching(/already bill Arrow partner XSP000001/)] }] });
      const { listen } = await import('../support/http.js');
      const http = await listen(gw.server);
      try {
        const res = await fetch(`${http.base}/api/admin/arrow/settings/${second}/`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` }, body: JSON.stringify({ waldur_billing: 'invoice_items' }) });
        expect(res.status).toBe(400);
        expect(Object.keys(await res.json())).toEqual(['waldur_billing']);
      } finally {
        await http.close();
      }
      expect((await gw.t.db.prisma.arrowSettings.findMany({ orderBy: { created: 'asc' } })).map((x) => x.waldurBilling)).toEqual(['INVOICE_ITEMS', 'OFF']);
      // once the first is off, the second may
      expect(await update(first, 'OFF')).toEqual({ __typename: 'MutationUpdateArrowSettingsSuccess', settings: { waldurBilling: 'OFF' } });
      expect(await update(second, 'INVOICE_ITEMS')).toEqual({ __typename: 'MutationUpdateArrowSettingsSuccess', settings: { waldurBilling: 'INVOICE_ITEMS' } });
    } finally {
      await gw.close();
    }
  });
});

describe('the invoice push against Waldurs that cannot take it', () => {
  it("says in one line that a Waldur without import_usage cannot, with the way out, and that a non-staff user may not", async () => {
    for (const [options, token, reason] of [
      [{ importUsage: false }, 's'.repeat(40), /^This Waldur has no POST \/api\/invoices\/import_usage\/ \(added in Waldur's 2026-01 releases\): upgrade it, or bill through component usage/],
      [{}, 'o'.repeat(40), /^Waldur refused import_usage \(HTTP 403\): it is for staff users only/],
    ] as const) {
      const gw = await startTestGateway('pglite', companiesFixture(1, P));
      const sim = await startWaldurSimulator({ token: 's'.repeat(40), users: [{ token: 'o'.repeat(40), username: 'owner' }], customers: [], projects: [], offerings: [], resources: [] }, options);
      try {
        const offeringUuid = await createOffering(gw, 'Arrow licences');
        const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', waldurBilling: 'INVOICE_ITEMS' } })).uuid;
        await seedCompanies(gw, { n: 1, settingsUuid, offeringUuid });
        const deps = { db: gw.t.db, arrow: gw.arrow, waldur: new WaldurClient({ apiUrl: sim.apiUrl, token, retries: 0 }) };
        const { runBillingSync } = await import('../../src/domain/flows/billing-sync.js');
        await runBillingSync(deps, { settingsUuid, period: P });
        const run = await runInvoicePush(deps, { settingsUuid, period: P });
        expect(run.status).toBe('FAILED');
        const lines = await gw.t.db.prisma.billingSyncItem.findMany();
        for (const line of lines) {
          expect(line.waldurState).toBe('FAILED');
          expect(line.waldurError).toMatch(reason);
        }
      } finally {
        await sim.close();
        await gw.close();
      }
    }
  });
});
