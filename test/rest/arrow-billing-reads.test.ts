import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';
import { countQueries } from '../support/db.js';
import { loadSdk, type SdkModels } from '../support/sdk-models.js';
import { sdkCalls, type SdkOperation } from '../support/sdk-calls.js';

const sdk = loadSdk<{ operations: Record<string, SdkOperation>; models: SdkModels }>('arrow-module.json');
const READS = [
  'admin_arrow_billing_syncs_list', 'admin_arrow_billing_syncs_retrieve',
  'admin_arrow_billing_sync_items_list', 'admin_arrow_billing_sync_items_retrieve',
  'admin_arrow_consumption_records_list', 'admin_arrow_consumption_records_retrieve',
];
const period = '2026-10';

/** Billing syncs, their items and consumption records over REST (ARROW-MODULE.md §4–§6), and their GraphQL twins. */
describe('billing reads, as Waldur has them', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  const { seen, send, call } = sdkCalls('arrow-module.json', () => ({ gw, base: http.base }));
  let companies: SeededCompany[];
  let settingsUuid: string;


  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(3, period));
    http = await listen(gw.server);
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', syncEnabled: true } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
    // the flows write what is read here: a sync per mapping, consumption, then reconciliation
    for (const m of [`runBillingSync(period: "${period}")`, `runConsumptionSync(period: "${period}", settingsUuid: "${settingsUuid}")`, `runReconciliation(period: "${period}", force: true)`]) {
      expect((await gw.gql(`mutation { ${m} { __typename } }`)).data).toBeDefined();
    }
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it("every read answers in its SDK model; states, decimals and Waldur's missing invoices as documented", async () => {
    const syncs = await call('admin_arrow_billing_syncs_list');
    expect(syncs).toHaveLength(3);
    const sync = await call('admin_arrow_billing_syncs_retrieve', { uuid: syncs[0].uuid });
    expect(sync).toMatchObject({ state: 4, state_display: 'Reconciled', sell_total: '31.00', report_period: period, invoice_uuid: '00000000-0000-0000-0000-000000000000' });
    expect(sync.items).toHaveLength(2);
    expect(sync.items[0].original_price).toBe('15.50');
    const items = await call('admin_arrow_billing_sync_items_list', { query: `?billing_sync_uuid=${sync.uuid}` });
    expect(items.map((i: { uuid: string }) => i.uuid).sort()).toEqual(sync.items.map((i: { uuid: string }) => i.uuid).sort());
    const item = await call('admin_arrow_billing_sync_items_retrieve', { uuid: items[0].uuid });
    expect(item).toMatchObject({ billing_sync_uuid: sync.uuid, report_period: period, has_compensation: false });
    const records = await call('admin_arrow_consumption_records_list', { query: `?customer_uuid=${companies[0]!.customerUuid}` });
    expect(records.map((r: any) => [r.license_reference, r.billing_period, r.consumed_sell, r.final_sell, r.is_finalized, r.adjustment_amount])).toEqual([['XSP700000', '2026-10-01', '15.50', '15.50', true, '0.00']]);
    const one = await call('admin_arrow_consumption_records_retrieve', { uuid: records[0].uuid });
    expect(one).toMatchObject({ customer_uuid: companies[0]!.customerUuid, customer_name: 'Company 0', project_name: 'Project 0', resource_name: 'Azure Plan' });
    // the record's resource hyperlink resolves
    expect((await fetch(one.resource, { headers: { authorization: `Token ${gw.staffToken}` } })).status).toBe(200);
    for (const op of READS) expect(sdk.operations[op], op).toBeDefined();
  });

  it("filters as Waldur's filter sets do, and refuses a bad filter with 400 naming it", async () => {
    const mapping = companies[1]!.mappingUuid!;
    const ids = async (path: string) => (await send('GET', path)).body.map((x: { uuid: string }) => x.uuid);
    expect(await ids(`/api/admin/arrow/billing-syncs/?customer_mapping_uuid=${mapping}`)).toHaveLength(1);
    expect(await ids(`/api/admin/arrow/billing-syncs/?customer_mapping=${http.base}/api/admin/arrow/customer-mappings/${mapping}/`)).toHaveLength(1);
    expect(await ids(`/api/admin/arrow/billing-syncs/?statement_reference=st-xsp50000&state=4&arrow_state=PENDING&report_period_from=2026-09&report_period_to=2026-10&settings_uuid=${settingsUuid}`)).toHaveLength(3);
    expect(await ids('/api/admin/arrow/billing-syncs/?report_period=2026-11')).toHaveLength(0);
    expect(await ids('/api/admin/arrow/billing-syncs/?state=1')).toHaveLength(0);
    expect(await ids('/api/admin/arrow/billing-sync-items/?vendor_name=micro&classification=IAAS&arrow_line_reference=-0&has_compensation=false')).toHaveLength(3);
    expect(await ids(`/api/admin/arrow/billing-sync-items/?report_period=${period}&subscription_reference=SUB-XSP70001`)).toHaveLength(2);
    expect(await ids('/api/admin/arrow/consumption-records/?license_reference=xsp70001&is_finalized=true&is_reconciled=true&billing_period=2026-10-01')).toHaveLength(1);
    expect(await ids(`/api/admin/arrow/consumption-records/?billing_period_from=2026-11&project_uuid=${companies[2]!.projectUuid}`)).toHaveLength(0);
    expect(await send('GET', '/api/admin/arrow/billing-syncs/?state=9')).toMatchObject({ status: 400, body: { state: ['Select a valid choice. 9 is not one of the available choices.'] } });
    expect(await send('GET', '/api/admin/arrow/billing-syncs/?report_period_from=Oct')).toMatchObject({ status: 400, body: { report_period_from: ['Use a month as YYYY-MM, e.g. 2026-11.'] } });
    expect(await send('GET', '/api/admin/arrow/billing-sync-items/?has_compensation=maybe')).toMatchObject({ status: 400, body: { has_compensation: ['Must be a valid boolean.'] } });
    expect(await send('GET', '/api/admin/arrow/consumption-records/?customer_uuid=nope')).toMatchObject({ status: 400, body: { customer_uuid: ['Enter a valid UUID.'] } });
    expect(await send('GET', '/api/admin/arrow/consumption-records/?billing_period=yesterday')).toMatchObject({ status: 400, body: { billing_period: ['Enter a valid date.'] } });
    expect(await send('GET', '/api/admin/arrow/consumption-records/?billing_period_from=2026-13')).toMatchObject({ status: 400, body: { billing_period_from: ['Use a month as YYYY-MM, e.g. 2026-11.'] } });
    for (const path of ['billing-syncs', 'billing-sync-items', 'consumption-records']) expect((await send('GET', `/api/admin/arrow/${path}/00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
  });

  it('GraphQL gives the same data, a page of syncs with items, mapping and customer in the same SQL statements for 1 or 3 rows', async () => {
    const PAGE = `query($first: Int) { billingSyncs(first: $first) { totalCount edges { node { uuid statementReference state sellTotal
      customerMapping { arrowReference waldurCustomer { name } } items { arrowLineReference originalPrice vendorName adjustment { amount } } } } } }`;
    const one = await countQueries(gw.t.db, () => gw.gql(PAGE, { first: 1 }));
    const all = await countQueries(gw.t.db, () => gw.gql(PAGE, { first: 3 }));
    expect(one.queries.length).toBe(all.queries.length);
    // the token, the page with its relations joined in (Prisma's relation joins), its count; and
    // the items with their adjustments once more, under graphql-jit (plugin-prisma loses their
    // loaded selection two levels down)
    expect(all.queries.length).toBe(4);
    const rest = (await send('GET', '/api/admin/arrow/billing-syncs/')).body;
    expect(all.result.data.billingSyncs.edges.map((e: any) => [e.node.uuid, e.node.statementReference, e.node.sellTotal, e.node.customerMapping.waldurCustomer.name, e.node.items.length])).toEqual(
      rest.map((s: any) => [s.uuid, s.statement_reference, s.sell_total, s.waldur_customer_name, s.items.length]),
    );
    const items = (await gw.gql(`{ billingSyncItems(first: 10, vendorName: "micro", hasCompensation: false) { totalCount edges { node { uuid billingSync { reportPeriod } } } } }`)).data.billingSyncItems;
    expect(items.totalCount).toBe(6);
    expect(items.edges.map((e: any) => e.node.uuid)).toEqual((await send('GET', '/api/admin/arrow/billing-sync-items/?vendor_name=micro&page_size=10')).body.map((i: any) => i.uuid));
    const records = (await gw.gql(`query($c: UUID!) { consumptionRecords(first: 10, customerUuid: $c) { totalCount edges { node { uuid licenseReference } } } }`, { c: companies[0]!.customerUuid })).data.consumptionRecords;
    expect(records.edges.map((e: any) => e.node.uuid)).toEqual((await send('GET', `/api/admin/arrow/consumption-records/?customer_uuid=${companies[0]!.customerUuid}`)).body.map((r: any) => r.uuid));
  });
});
