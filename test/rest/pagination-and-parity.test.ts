import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';

const period = '2026-10';
let gw: TestGateway;
let http: Awaited<ReturnType<typeof listen>>;
let companies: SeededCompany[];
const M = '/api/admin/arrow/customer-mappings';

const get = async (url: string, token = gw.staffToken) => {
  const res = await fetch(url.startsWith('http') ? url : http.base + url, { headers: { authorization: `Token ${token}` } });
  return { status: res.status, headers: res.headers, body: res.status === 204 || res.headers.get('content-length') === '0' ? undefined : await res.json() };
};
const nextLink = (link: string | null) => link?.split(', ').find((l) => l.endsWith('rel="next"'))?.match(/^<([^>]+)>/)?.[1];

beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(25, period));
  http = await listen(gw.server);
  const offering = { uuid: await createOffering(gw, 'Arrow') };
  const settings = await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
  companies = await seedCompanies(gw, { n: 25, settingsUuid: settings.uuid, offeringUuid: offering.uuid });
  await gw.t.db.prisma.customerMapping.updateMany({ where: { arrowReference: { in: ['XSP500003', 'XSP500007'] } }, data: { isActive: false } });
});
afterAll(async () => {
  await http.close();
  await gw.close();
});

describe('REST pagination, filters and hyperlinks', () => {
  it('reads every mapping exactly once by following Link rel="next"', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${M}/?page_size=7`;
    let pages = 0;
    while (url) {
      const r = await get(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-result-count')).toBe('25');
      seen.push(...r.body.map((m: any) => m.uuid));
      url = nextLink(r.headers.get('link'));
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(new Set(seen)).toEqual(new Set(companies.map((c) => c.mappingUuid)));
  });

  it('gives first/prev/next/last links, defaults to 10 a page, caps page_size at 300 and 404s past the end', async () => {
    const r = await get(`${M}/?page=2`);
    expect(r.body).toHaveLength(10);
    const rels = r.headers.get('link')!.split(', ').map((l) => l.match(/rel="(\w+)"/)![1]);
    expect(rels).toEqual(['first', 'prev', 'next', 'last']);
    expect(r.headers.get('link')).toContain('page=3&page_size=10>; rel="last"');
    expect((await get(`${M}/?page_size=5000`)).body).toHaveLength(25);
    expect(await get(`${M}/?page=9`)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
    expect(await get(`${M}/?page=abc`)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await fetch(`${http.base}${M}/`, { method: 'HEAD', headers: { authorization: `Token ${gw.staffToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-result-count')).toBe('25');
    expect(res.headers.get('link')).toContain('rel="next"');
    expect(await res.text()).toBe('');
  });

  it('filters as the seed lists them, by URL or uuid', async () => {
    const c = companies[4]!;
    const by = async (q: string) => (await get(`${M}/?${q}&page_size=300`)).body.map((m: any) => m.arrow_reference);
    expect(await by(`waldur_customer_uuid=${c.customerUuid}`)).toEqual(['XSP500004']);
    expect(await by(`waldur_customer=${encodeURIComponent(`${http.base}/api/customers/${c.customerUuid}/`)}`)).toEqual(['XSP500004']);
    expect(await by('is_active=false')).toEqual(['XSP500007', 'XSP500003']);
    expect(await by('arrow_reference=50001')).toEqual(['XSP500019', 'XSP500018', 'XSP500017', 'XSP500016', 'XSP500015', 'XSP500014', 'XSP500013', 'XSP500012', 'XSP500011', 'XSP500010']);
    expect(await by('arrow_company_name=company 2')).toHaveLength(6);
    const all = (await get(`${M}/?page_size=1`)).body[0];
    expect(await by(`settings=${encodeURIComponent(all.settings)}`)).toHaveLength(25);
    expect(await get(`${M}/?settings_uuid=nope`)).toMatchObject({ status: 400, body: { settings_uuid: ['Enter a valid UUID.'] } });
    expect(await get(`${M}/?is_active=maybe`)).toMatchObject({ status: 400, body: { is_active: ['Must be a valid boolean.'] } });
  });

  it('has hyperlinks that answer 200 with the same token, and never the API key', async () => {
    const m = (await get(`${M}/?page_size=1`)).body[0];
    const self = await get(m.url);
    expect(self.status).toBe(200);
    expect(self.body.uuid).toBe(m.uuid);
    const settings = await get(m.settings);
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ uuid: m.settings_uuid, has_api_key: true });
    expect(JSON.stringify(settings.body)).not.toContain('test-key');
    expect(JSON.stringify((await get('/api/admin/arrow/settings/')).body)).not.toContain('test-key');
    const customer = await get(m.waldur_customer);
    expect(customer).toMatchObject({ status: 200, body: { uuid: m.waldur_customer_uuid, name: m.waldur_customer_name } });
  });
});

describe('REST and GraphQL give the same data', () => {
  it('for the list, billing summary, discovery, Arrow data and available customers', async () => {
    const gql = (await gw.gql(`query($p: String) { customerMappings(first: 300) { edges { node {
      uuid arrowReference arrowCompanyName isActive settingsUuid waldurCustomerUuid waldurCustomerName created modified
      billingSummary { totalConsumptionRecords totalConsumedSell totalBillingSyncs totalBillingSell pendingRecords }
      arrowLicenses { licenseReference offerName friendlyName vendorName offerSku }
      suggestions { resourceUuid licenseReference licenseName confidence }
      arrowData(period: $p, consumption: LIVE) { billingTotalSell billingTotalBuy consumptionTotalSell matchedResources billingLines { licenseReference sellPrice } }
    } } } availableArrowCustomers { ... on QueryAvailableArrowCustomersSuccess { result { suggestions { arrowCustomer { reference } suggestedWaldurCustomer { uuid } confidence } } } } }`, { p: period })).data;
    const rest = (await get(`${M}/?page_size=300`)).body;
    expect(rest.map((m: any) => m.uuid)).toEqual(gql.customerMappings.edges.map((e: any) => e.node.uuid));
    for (const [i, m] of rest.entries()) {
      const n = gql.customerMappings.edges[i].node;
      expect([m.arrow_reference, m.arrow_company_name, m.is_active, m.settings_uuid, m.waldur_customer_uuid, m.waldur_customer_name, m.created, m.modified]).toEqual([
        n.arrowReference, n.arrowCompanyName, n.isActive, n.settingsUuid, n.waldurCustomerUuid, n.waldurCustomerName, n.created, n.modified,
      ]);
    }
    for (const e of gql.customerMappings.edges.slice(0, 5)) {
      const n = e.node;
      const summary = (await get(`${M}/${n.uuid}/billing_summary/`)).body;
      expect([summary.total_consumption_records, summary.total_consumed_sell, summary.total_billing_syncs, summary.total_billing_sell, summary.pending_records]).toEqual([
        n.billingSummary.totalConsumptionRecords, n.billingSummary.totalConsumedSell, n.billingSummary.totalBillingSyncs, n.billingSummary.totalBillingSell, n.billingSummary.pendingRecords,
      ]);
      const discovery = (await get(`${M}/${n.uuid}/discover_licenses/`)).body;
      expect(discovery.arrow_licenses).toEqual(n.arrowLicenses.map((l: any) => ({ license_reference: l.licenseReference, offer_name: l.offerName, friendly_name: l.friendlyName, vendor_name: l.vendorName, offer_sku: l.offerSku })));
      expect(discovery.suggestions.map((s: any) => [s.resource_uuid, s.license_reference, s.license_name, s.confidence])).toEqual(n.suggestions.map((s: any) => [s.resourceUuid, s.licenseReference, s.licenseName, s.confidence]));
      const data = (await get(`${M}/${n.uuid}/fetch_arrow_data/?period=${period}`)).body;
      expect([data.billing_total_sell, data.billing_total_buy, data.consumption_total_sell, data.matched_resources]).toEqual([n.arrowData.billingTotalSell, n.arrowData.billingTotalBuy, n.arrowData.consumptionTotalSell, n.arrowData.matchedResources]);
      expect(data.billing_lines.map((l: any) => [l.license_reference, l.sell_price])).toEqual(n.arrowData.billingLines.map((l: any) => [l.licenseReference, l.sellPrice]));
    }
    const available = (await get(`${M}/available_customers/`)).body;
    expect(available.suggestions.map((s: any) => [s.arrow_customer.reference, s.suggested_waldur_customer?.uuid ?? null, s.confidence])).toEqual(
      gql.availableArrowCustomers.result.suggestions.map((s: any) => [s.arrowCustomer.reference, s.suggestedWaldurCustomer?.uuid ?? null, s.confidence]),
    );
    expect(available.suggestions.length).toBe(2);
  });
});
