import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies, type SeededCompany, createOffering } from '../support/seed.js';
import { listen } from '../support/http.js';
import { loadSdk, type SdkModels } from '../support/sdk-models.js';
import { sdkCalls, type SdkOperation } from '../support/sdk-calls.js';

const sdk = loadSdk<{ basePath: string; operations: Record<string, SdkOperation>; models: SdkModels }>('arrow-customer-mappings.json');

describe("the 13 REST operations answer what Waldur's own SDK parses", () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  const { seen, call } = sdkCalls('arrow-customer-mappings.json', () => ({ gw, base: http.base }));
  let companies: SeededCompany[];
  let settingsUuid: string;
  let offeringUuid: string;


  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(4, new Date().toISOString().slice(0, 7)));
    http = await listen(gw.server);
    offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 4, settingsUuid, offeringUuid, mapped: 2 });
    // an Arrow customer whose name is like no Waldur customer's: a suggestion without a customer
    gw.sim.fixture.customers.push({ Reference: 'XSP599999', CompanyName: 'Zzyzx Qwv', EmailContact: '', City: '', CountryCode: '' });
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it('transcribes the SDK from a named source', () => {
    expect(sdk.source).toMatch(/^waldur\/py-client @ [0-9a-f]{8}/);
    expect(Object.keys(sdk.operations)).toHaveLength(13);
  });

  it('every operation, at its success status, in its model', async () => {
    const [a, b] = [companies[0]!, companies[1]!];
    await call('admin_arrow_customer_mappings_list');
    const available = await call('admin_arrow_customer_mappings_available_customers_retrieve');
    // the SDK cannot parse null here (optional, not nullable): the key is left out instead
    const lonely = available.suggestions.find((s: { arrow_customer: { reference: string } }) => s.arrow_customer.reference === 'XSP599999');
    expect(lonely).toBeDefined();
    expect('suggested_waldur_customer' in lonely).toBe(false);
    const created = await call('admin_arrow_customer_mappings_create', { body: { settings: settingsUuid, arrow_reference: companies[2]!.arrowReference, waldur_customer: companies[2]!.customerUuid } });
    await call('admin_arrow_customer_mappings_retrieve', { uuid: created.uuid });
    await call('admin_arrow_customer_mappings_update', { uuid: created.uuid, body: { settings: created.settings, arrow_reference: created.arrow_reference, waldur_customer: created.waldur_customer, is_active: false } });
    await call('admin_arrow_customer_mappings_partial_update', { uuid: created.uuid, body: { arrow_company_name: 'Renamed' } });
    await call('admin_arrow_customer_mappings_billing_summary_retrieve', { uuid: a.mappingUuid! });
    await call('admin_arrow_customer_mappings_discover_licenses_retrieve', { uuid: a.mappingUuid! });
    await call('admin_arrow_customer_mappings_fetch_arrow_data_retrieve', { uuid: a.mappingUuid! });
    await call('admin_arrow_customer_mappings_link_resource', { uuid: a.mappingUuid!, body: { resource_uuid: a.resourceUuids[1], license_reference: 'XSP700001' } });
    await call('admin_arrow_customer_mappings_link_resource', { uuid: a.mappingUuid!, body: { resource_uuid: a.resourceUuids[1], license_reference: '' } });
    await call('admin_arrow_customer_mappings_import_license', { uuid: b.mappingUuid!, body: { license_reference: 'XSP700011', offering_uuid: offeringUuid, project_uuid: b.projectUuid } });
    const synced = await call('admin_arrow_customer_mappings_sync_from_arrow');
    expect(synced).toEqual({ updated: expect.any(Number) });
    await call('admin_arrow_customer_mappings_destroy', { uuid: created.uuid });
    expect([...seen].sort()).toEqual(Object.keys(sdk.operations).sort());
  });

  it('a missing mapping is the 404 every operation documents', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [name, op] of Object.entries(sdk.operations)) {
      if (!op.path.includes('{uuid}')) continue;
      const res = await fetch(`${http.base}${sdk.basePath}${op.path.replace('{uuid}', missing)}`, {
        method: op.method,
        headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' },
        body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status, name).toBe(404);
      expect(await res.json()).toEqual({ detail: 'Not found.' });
    }
  });
});
