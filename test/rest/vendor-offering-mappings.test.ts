import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, dashed } from '../support/seed.js';
import { listen } from '../support/http.js';
import { countQueries } from '../support/db.js';
import { loadSdk, type SdkModels } from '../support/sdk-models.js';
import { sdkCalls, type SdkOperation } from '../support/sdk-calls.js';

const sdk = loadSdk<{ operations: Record<string, SdkOperation>; models: SdkModels }>('arrow-module.json');
const OPERATIONS = Object.keys(sdk.operations).filter((o) => o.startsWith('admin_arrow_vendor_offering_mappings_'));
const BASE = '/api/admin/arrow/vendor-offering-mappings/';

/** /api/admin/arrow/vendor-offering-mappings/ (ARROW-MODULE.md §3) and its GraphQL twin. */
describe('vendor-offering mappings', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  const { seen, send, call } = sdkCalls('arrow-module.json', () => ({ gw, base: http.base }));
  let settingsUuid: string;
  let offering: { uuid: string; plans: string[] };
  let other: { uuid: string; plans: string[] };

  /** An offering made in Waldur with two plans, mirrored. */
  async function offeringWithPlans(name: string) {
    const uuid = await gw.waldur.create('offerings', { name, type: 'Marketplace.Basic', plans: [{ name: `${name} plan A` }, { name: `${name} plan B` }] });
    await gw.syncWaldur();
    const plans = await gw.t.db.prisma.offeringPlan.findMany({ where: { offeringUuid: dashed(uuid) }, orderBy: { name: 'asc' } });
    return { uuid: dashed(uuid), plans: plans.map((p) => p.uuid) };
  }

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(1, new Date().toISOString().slice(0, 7)));
    http = await listen(gw.server);
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    offering = await offeringWithPlans('Arrow Azure');
    other = await offeringWithPlans('Arrow AWS');
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it('every operation answers at its status, in its SDK model', async () => {
    const made = await call('admin_arrow_vendor_offering_mappings_create', { body: { settings: settingsUuid, arrow_vendor_name: 'Microsoft', offering: offering.uuid, plan: offering.plans[0] } });
    expect(made).toMatchObject({ settings: settingsUuid, arrow_vendor_name: 'Microsoft', offering_name: 'Arrow Azure', plan_name: 'Arrow Azure plan A', is_active: true });
    expect((await call('admin_arrow_vendor_offering_mappings_list'))[0].uuid).toBe(made.uuid);
    await call('admin_arrow_vendor_offering_mappings_retrieve', { uuid: made.uuid });
    const put = await call('admin_arrow_vendor_offering_mappings_update', { uuid: made.uuid, body: { settings: made.url.replace(/vendor-offering-mappings\/.*/, `settings/${settingsUuid}/`), arrow_vendor_name: 'Microsoft', offering: offering.uuid, plan: offering.plans[1] } });
    expect(put.plan_name).toBe('Arrow Azure plan B');
    const patched = await call('admin_arrow_vendor_offering_mappings_partial_update', { uuid: made.uuid, body: { is_active: false } });
    expect(patched.is_active).toBe(false);
    // the simulator's Arrow lists its licences' vendors under IAAS
    expect(await call('admin_arrow_vendor_offering_mappings_vendor_choices_list')).toEqual([{ value: 'Microsoft', label: 'Microsoft' }]);
    await call('admin_arrow_vendor_offering_mappings_destroy', { uuid: made.uuid });
    expect([...seen].sort()).toEqual(OPERATIONS.sort());
  });

  it('filters, refuses bad input with 400 naming the field, and changes nothing', async () => {
    const a = await send('POST', BASE, { settings: settingsUuid, arrow_vendor_name: 'Amazon Web Services', offering: other.uuid, plan: other.plans[0] });
    expect(a.status).toBe(201);
    const count = await gw.t.db.prisma.vendorOfferingMapping.count();
    expect(await send('POST', BASE, { settings: settingsUuid, arrow_vendor_name: 'Amazon Web Services', offering: other.uuid, plan: other.plans[1] })).toMatchObject({
      status: 400,
      body: { non_field_errors: ['The fields settings, arrow_vendor_name must make a unique set.'] },
    });
    expect(await send('POST', BASE, { settings: settingsUuid, arrow_vendor_name: 'Google', offering: other.uuid, plan: offering.plans[0] })).toMatchObject({ status: 400, body: { plan: ['Plan must belong to the selected offering.'] } });
    expect(await send('POST', BASE, { settings: settingsUuid, arrow_vendor_name: 'Google', offering: other.uuid })).toMatchObject({ status: 400, body: { plan: ['This field is required.'] } });
    expect(await send('POST', BASE, {})).toMatchObject({ status: 400, body: { settings: ['This field is required.'], arrow_vendor_name: ['This field is required.'], offering: ['This field is required.'] } });
    expect(await send('POST', BASE, { settings: '00000000-0000-4000-8000-000000000000', arrow_vendor_name: 'X', offering: other.uuid, plan: other.plans[0] })).toMatchObject({ status: 400, body: { settings: [expect.stringMatching(/object does not exist/)] } });
    expect(await send('PATCH', `${BASE}${a.body.uuid}/`, { offering: offering.uuid })).toMatchObject({ status: 400, body: { plan: ['Plan must belong to the selected offering.'] } });
    expect(await send('GET', `${BASE}?is_active=perhaps`)).toMatchObject({ status: 400, body: { is_active: ['Must be a valid boolean.'] } });
    expect((await send('GET', `${BASE}00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
    expect(await gw.t.db.prisma.vendorOfferingMapping.count()).toBe(count);
    const found = await send('GET', `${BASE}?arrow_vendor_name=amazon&offering_uuid=${other.uuid}&settings_uuid=${settingsUuid}`);
    expect([found.headers.get('x-result-count'), found.body.map((m: { uuid: string }) => m.uuid)]).toEqual(['1', [a.body.uuid]]);
    expect((await send('GET', `${BASE}?offering_uuid=${offering.uuid}`)).body).toEqual([]);
    await send('DELETE', `${BASE}${a.body.uuid}/`);
  });

  it('GraphQL: the same mappings, with their settings, offering and plan, in the same SQL statements for 1 or 12 rows', async () => {
    const made: string[] = [];
    for (let i = 0; i < 12; i++) made.push((await send('POST', BASE, { settings: settingsUuid, arrow_vendor_name: `Vendor ${i}`, offering: i % 2 ? offering.uuid : other.uuid, plan: (i % 2 ? offering : other).plans[i % 2] })).body.uuid);
    const PAGE = `query($first: Int) { vendorOfferingMappings(first: $first) { totalCount edges { node { uuid arrowVendorName isActive settings { uuid partnerName } offering { uuid name plans { name } } plan { uuid name } } } } }`;
    const one = await countQueries(gw.t.db, () => gw.gql(PAGE, { first: 1 }));
    const many = await countQueries(gw.t.db, () => gw.gql(PAGE, { first: 12 }));
    expect(many.result.data.vendorOfferingMappings.edges).toHaveLength(12);
    expect(one.queries.length).toBe(many.queries.length);
    // the token, the page with its settings, offering and plan joined in (Prisma's relation
    // joins), its count, and the offerings' plans (a relation of a relation, loaded once more)
    expect(many.queries.length).toBe(4);
    const rest = await send('GET', `${BASE}?page_size=12`);
    expect(many.result.data.vendorOfferingMappings.edges.map((e: any) => [e.node.uuid, e.node.arrowVendorName, e.node.offering.name, e.node.plan.name])).toEqual(
      rest.body.map((m: any) => [m.uuid, m.arrow_vendor_name, m.offering_name, m.plan_name]),
    );
    const ERR = '... on Error { __typename message }';
    const created = (await gw.gql(`mutation($i: VendorOfferingMappingInput!) { createVendorOfferingMapping(input: $i) { ... on MutationCreateVendorOfferingMappingSuccess { mapping { uuid plan { name } } } ${ERR} } }`, {
      i: { settingsUuid, arrowVendorName: 'Google', offeringUuid: offering.uuid, planUuid: offering.plans[0] },
    })).data.createVendorOfferingMapping;
    expect(created.mapping.plan.name).toBe('Arrow Azure plan A');
    const wrongPlan = (await gw.gql(`mutation($u: UUID!, $i: VendorOfferingMappingPatch!) { updateVendorOfferingMapping(uuid: $u, input: $i) { __typename ${ERR} } }`, { u: created.mapping.uuid, i: { planUuid: other.plans[0] } })).data.updateVendorOfferingMapping;
    expect(wrongPlan).toMatchObject({ __typename: 'ValidationError', message: 'Plan must belong to the selected offering.' });
    const duplicate = (await gw.gql(`mutation($i: VendorOfferingMappingInput!) { createVendorOfferingMapping(input: $i) { __typename } }`, { i: { settingsUuid, arrowVendorName: 'Google', offeringUuid: offering.uuid, planUuid: offering.plans[0] } })).data.createVendorOfferingMapping;
    expect(duplicate.__typename).toBe('ConflictError');
    const choices = (await gw.gql(`{ arrowVendorChoices { ... on QueryArrowVendorChoicesSuccess { choices { value label } } } }`)).data.arrowVendorChoices.choices;
    expect(choices).toEqual((await send('GET', `${BASE}vendor_choices/`)).body);
    for (const uuid of [...made, created.mapping.uuid]) expect((await gw.gql(`mutation($u: UUID!) { deleteVendorOfferingMapping(uuid: $u) { __typename } }`, { u: uuid })).data.deleteVendorOfferingMapping.__typename).toBe('MutationDeleteVendorOfferingMappingSuccess');
  });
});
