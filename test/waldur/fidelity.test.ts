import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, dashed, seedCompanies, type SeededCompany } from '../support/seed.js';
import { loadSdk, sdkViolations, type SdkModels } from '../support/sdk-models.js';
import { listen, postMappingAction } from '../support/http.js';
import { licenceOf, resource as resourceShape } from '../../src/waldur/wire.js';

/**
 * Where Waldur answers differently from what a gateway and its simulator could agree on alone
 * (issue: Waldur as it really behaves, round two). The simulator runs as a process of its own;
 * each behaviour is checked against the evidence in the fixture, which names its source.
 */
interface Evidence {
  pluginResource: { resource: { name: string; backend_id: string; state: string; attributes: Record<string, string> }; licenseReference: string };
  backendIdRules: { example: Record<string, unknown>; includeTerminatedDefault: boolean };
  eventsForOthers: { status: number; body: unknown[] };
  backendResources: { createWithoutRole: number; importByNonStaff: number };
}
const sdk = loadSdk<{ models: SdkModels; evidence: Evidence }>('waldur-fidelity.json');
const evidence = sdk.evidence;
const period = '2026-10';
const PROVIDER = 'p'.repeat(40);
const ERR = '... on Error { __typename message } ... on BackendIdRuleError { rule waldurErrors } ... on ValidationError { fields { field messages } }';
const LINK = `mutation($mapping: UUID!, $resource: UUID!, $ref: String!) { linkResource(mappingUuid: $mapping, resourceUuid: $resource, licenseReference: $ref) {
  ... on MutationLinkResourceSuccess { result { resource { backendId licenseReference } } } ${ERR} } }`;
const UNLINK = `mutation($mapping: UUID!, $resource: UUID!) { unlinkResource(mappingUuid: $mapping, resourceUuid: $resource) {
  ... on MutationUnlinkResourceSuccess { result { resource { backendId } } } ${ERR} } }`;
const IMPORT = `mutation($mapping: UUID!, $ref: String!, $offering: UUID!, $project: UUID!, $plan: UUID) {
  importLicense(mappingUuid: $mapping, licenseReference: $ref, offeringUuid: $offering, projectUuid: $project, planUuid: $plan) { __typename
    ... on MutationImportLicenseSuccess { result { resourceUuid resource { backendId } } } ${ERR} } }`;

describe('Waldur as it really behaves, over the Waldur simulator as its own process', () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let offeringUuid: string;
  let settingsUuid: string;
  const waldur = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${gw.waldur.apiUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Token ${init.token ?? gw.waldur.token}` } });
  const asStaff = async (isStaff: boolean) => {
    const res = await fetch(`${gw.waldur.url}/__sim/users/staff`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ isStaff }) });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(6, period), { waldur: 'process', waldurUsers: [{ token: PROVIDER, username: 'provider' }] });
    offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 6, settingsUuid, offeringUuid });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe("the licence reference in Waldur's attributes (Waldur's own Arrow plugin)", () => {
    it("reads the plugin's resource as the fixture has it: the attribute, not the vendor subscription in backend_id", () => {
      const r = resourceShape.pick({ backend_id: true, attributes: true }).parse(evidence.pluginResource.resource);
      expect(licenceOf(r)).toEqual({ licenseReference: evidence.pluginResource.licenseReference, inAttributes: true });
      expect(licenceOf({ backend_id: 'XSP1', attributes: {} })).toEqual({ licenseReference: 'XSP1', inAttributes: false });
    });

    it('shows such a resource linked to its licence, asks Arrow for that licence, and refuses to unlink or relink what only Waldur can change', async () => {
      const c = companies[1]!;
      const licence = 'XSP700011'; // company 1's second licence, held as the plugin holds it
      const { name, backend_id, state } = evidence.pluginResource.resource;
      const uuid = dashed(await gw.waldur.create('resources', { name, backend_id, state, project: c.projectUuid, offering: offeringUuid, attributes: { arrow_license_reference: licence } }));
      await gw.waldur.create('orders', { resource: uuid, type: 'Create', state: 'done' });
      await gw.syncWaldur(true);
      const listed = (await gw.gql(`{ resources(licenseReference: "${licence}") { edges { node { uuid backendId licenseReference licenseInAttributes } } } }`)).data.resources.edges.map((e: { node: unknown }) => e.node);
      expect(listed).toEqual([{ uuid, backendId: backend_id, licenseReference: licence, licenseInAttributes: true }]);

      const run = await gw.gql(`mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settingsUuid}") { ... on MutationRunConsumptionSyncSuccess { run { status } } } }`);
      expect(run.data.runConsumptionSync.run.status).toBe('SUCCEEDED');
      const record = await gw.t.db.prisma.consumptionRecord.findFirstOrThrow({ where: { resourceUuid: uuid } });
      expect([record.licenseReference, record.consumedSell.toString()]).toEqual([licence, '15.5']);
      const lines = (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { arrowData(period: "${period}") { consumptionLines { licenseReference resourceUuid sellPrice error } } } }`, { uuid: c.mappingUuid })).data.customerMapping.arrowData.consumptionLines;
      expect(lines).toContainEqual({ licenseReference: licence, resourceUuid: uuid, sellPrice: '15.50', error: null });

      gw.waldur.resetStats();
      const unlink = (await gw.gql(UNLINK, { mapping: c.mappingUuid, resource: uuid })).data.unlinkResource;
      expect(unlink).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('in its Waldur attributes (arrow_license_reference') });
      const relink = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: uuid, ref: 'XSP700010' })).data.linkResource;
      expect(relink.__typename).toBe('ConflictError');
      // another resource cannot take the licence either, not even by a move: the attribute still holds it
      const other = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: licence })).data.linkResource;
      expect(other).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining(`Resource ${uuid} (${name}) holds licence ${licence} in its Waldur attributes`) });
      expect((await gw.waldur.stats()).setBackendId).toBeUndefined();
    });
  });

  describe("an offering's backend_id_rules", () => {
    let ruled: string;
    let strict: string;
    beforeAll(async () => {
      // the documented example (format and uniqueness among live resources), and a uniqueness with Waldur's default
      ruled = dashed(await gw.waldur.create('offerings', { name: 'Ruled licences', backend_id_rules: evidence.backendIdRules.example }));
      strict = dashed(await gw.waldur.create('offerings', { name: 'Unique licences', backend_id_rules: { uniqueness: { scope: 'offering' } } }));
    });

    it('are enforced by the simulator as Waldur documents them, and check_unique_backend_id answers as the SDK parses it', async () => {
      const c = companies[2]!;
      const r = await gw.waldur.create('resources', { name: 'Direct', project: c.projectUuid, offering: ruled });
      const set = (value: string) => waldur(`/api/marketplace-provider-resources/${r}/set_backend_id/`, { method: 'POST', body: JSON.stringify({ backend_id: value }) });
      const bad = await set('XSP700021');
      expect(bad.status).toBe(400);
      expect((await bad.json()).backend_id[0]).toContain('Must be 2 uppercase letters, dash, 6 digits');
      expect((await set('AB-123456')).status).toBe(200);
      expect((await set('')).status).toBe(200); // an empty backend_id is exempt
      const check = async (offering: string, value: string) => {
        const body = { backend_id: value, use_offering_rules: true };
        expect(sdkViolations(sdk.models, 'CheckUniqueBackendIDRequest', body, 'request')).toEqual([]);
        const res = await waldur(`/api/marketplace-provider-offerings/${offering.replace(/-/g, '')}/check_unique_backend_id/`, { method: 'POST', body: JSON.stringify(body) });
        const json = await res.json();
        expect(sdkViolations(sdk.models, 'CheckUniqueBackendIDResponse', json, 'answer')).toEqual([]);
        return json;
      };
      expect(await check(ruled, 'XSP1')).toMatchObject({ is_unique: true, is_valid_format: false });
      expect(await check(ruled, 'AB-654321')).toEqual({ is_unique: true, is_valid_format: true, errors: [] });
      // include_terminated defaults to true: a terminated holder still counts
      expect(evidence.backendIdRules.includeTerminatedDefault).toBe(true);
      await gw.waldur.create('resources', { name: 'Old', project: c.projectUuid, offering: strict, backend_id: 'XSP-OLD', state: 'Terminated' });
      expect(await check(strict, 'XSP-OLD')).toMatchObject({ is_unique: false, is_valid_format: null });
    });

    it('are checked before a link: a format or a terminated holder Waldur would refuse is a typed BackendIdRuleError, and nothing is written', async () => {
      const c = companies[3]!;
      const inRuled = dashed(await gw.waldur.create('resources', { name: 'Azure in ruled', project: c.projectUuid, offering: ruled }));
      const inStrict = dashed(await gw.waldur.create('resources', { name: 'M365 in strict', project: c.projectUuid, offering: strict }));
      // company 3's second licence was once held by a resource, terminated since: the gateway's live check lets it through
      await gw.waldur.create('resources', { name: 'Terminated M365', project: c.projectUuid, offering: strict, backend_id: 'XSP700031', state: 'Terminated' });
      await gw.syncWaldur(true);
      gw.waldur.resetStats();
      const format = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: inRuled, ref: 'XSP700031' })).data.linkResource;
      expect(format).toMatchObject({ __typename: 'BackendIdRuleError', rule: 'FORMAT', message: expect.stringContaining("Offering Ruled licences's backend_id rules in Waldur refuse licence XSP700031: format (Must be 2 uppercase letters, dash, 6 digits)") });
      const unique = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: inStrict, ref: 'XSP700031' })).data.linkResource;
      expect(unique).toMatchObject({ __typename: 'BackendIdRuleError', rule: 'UNIQUENESS', message: expect.stringContaining('uniqueness within offering (terminated resources counted)') });
      expect(unique.waldurErrors[0]).toContain('Terminated M365');
      expect(await gw.waldur.stats()).toMatchObject({ checkBackendId: 2 });
      expect((await gw.waldur.stats()).setBackendId).toBeUndefined();
      // an offering without rules costs no check
      gw.waldur.resetStats();
      const plain = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700031' })).data.linkResource;
      expect(plain.result.resource.licenseReference).toBe('XSP700031');
      expect((await gw.waldur.stats()).checkBackendId).toBeUndefined();
    });

    it('are checked before an import, and REST answers the refusal 400 naming the rule', async () => {
      const c = companies[4]!;
      const imported = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700041', offering: ruled, project: c.projectUuid })).data.importLicense;
      expect(imported).toMatchObject({ __typename: 'BackendIdRuleError', rule: 'FORMAT' });
      const rest = await listen(gw.server);
      try {
        const answer = await postMappingAction(rest.base, gw.staffToken, `${c.mappingUuid}/import_license/`, { license_reference: 'XSP700041', offering_uuid: ruled, project_uuid: c.projectUuid });
        expect(answer.status).toBe(400);
        expect(JSON.stringify(answer.body)).toContain("Offering Ruled licences's backend_id rules in Waldur refuse licence XSP700041: format");
      } finally {
        await rest.close();
      }
      const left = await (await waldur(`/api/backend-resources/?backend_id=XSP700041`)).json();
      expect(left).toEqual([]);
    });
  });

  describe('the event feed, for a token that is neither staff nor support', () => {
    it('is answered 200 [] by Waldur, so the mirror scans customers, and waldurSync says so and why', async () => {
      const hidden = await waldur('/api/events/?feature=customers', { token: PROVIDER });
      expect([hidden.status, await hidden.json()]).toEqual([evidence.eventsForOthers.status, evidence.eventsForOthers.body]);
      await asStaff(false);
      try {
        await gw.syncWaldur(true);
        const state = (await gw.gql('{ waldurSync { customersFollowedBy customersFollowedWhy } }')).data.waldurSync;
        expect(state).toEqual({ customersFollowedBy: 'SCANS', customersFollowedWhy: "Waldur shows its event log only to staff and support, and the gateway's token (user staff) is neither" });
        // a rename is seen by the next incremental sync all the same (the scan)
        await gw.waldur.change('customers', companies[5]!.customerUuid, { name: 'Company 5 renamed' });
        gw.waldur.resetStats();
        expect((await gw.syncWaldur()).changes.customers.updated).toBe(1);
        expect(await gw.waldur.stats()).toMatchObject({ customers: 1 });
      } finally {
        await asStaff(true);
      }
      await gw.syncWaldur(true);
      expect((await gw.gql('{ waldurSync { customersFollowedBy customersFollowedWhy } }')).data.waldurSync).toEqual({
        customersFollowedBy: 'EVENT_FEED',
        customersFollowedWhy: "the gateway's token (user staff) is staff, who read Waldur's event log",
      });
    });
  });

  describe('imports', () => {
    it('the simulator checks roles as Waldur does: creating a backend resource needs the role, importing needs staff', async () => {
      const c = companies[5]!;
      const create = await waldur('/api/backend-resources/', { method: 'POST', token: PROVIDER, body: JSON.stringify({ name: 'x', project: c.projectUuid, offering: offeringUuid, backend_id: 'XSP-ROLE' }) });
      expect(create.status).toBe(evidence.backendResources.createWithoutRole);
      const made = await (await waldur('/api/backend-resources/', { method: 'POST', body: JSON.stringify({ name: 'x', project: c.projectUuid, offering: offeringUuid, backend_id: 'XSP-ROLE' }) })).json();
      const importing = await waldur(`/api/backend-resources/${made.uuid}/import_resource/`, { method: 'POST', token: PROVIDER, body: '{}' });
      expect(importing.status).toBe(evidence.backendResources.importByNonStaff);
      expect((await waldur(`/api/backend-resources/${made.uuid}/`, { method: 'DELETE' })).status).toBe(204);
    });

    it('a lost answer to the backend-resource create is adopted, not made twice: one resource, nothing left to import', async () => {
      const c = companies[5]!;
      await gw.waldur.setFaults({ endpoints: ['backendResources'], errorRate: 1, times: 1, lostAnswer: true, after: 1 });
      try {
        const imported = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700051', offering: offeringUuid, project: c.projectUuid })).data.importLicense;
        expect(imported.result.resource.backendId).toBe('XSP700051');
      } finally {
        await gw.waldur.setFaults({});
      }
      expect(await (await waldur('/api/backend-resources/?backend_id=XSP700051')).json()).toEqual([]);
      const inWaldur = await (await waldur('/api/marketplace-resources/?backend_id=XSP700051')).json();
      expect(inWaldur).toHaveLength(1);
    });

    it("an earlier attempt's backend resource left in the importable list is adopted by the next import", async () => {
      const c = companies[0]!;
      const earlier = await (await waldur('/api/backend-resources/', { method: 'POST', body: JSON.stringify({ name: 'Left behind', project: c.projectUuid, offering: offeringUuid, backend_id: 'XSP700001' }) })).json();
      const imported = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700001', offering: offeringUuid, project: c.projectUuid })).data.importLicense;
      expect(imported.__typename).toBe('MutationImportLicenseSuccess');
      expect(await (await waldur(`/api/backend-resources/?backend_id=XSP700001`)).json()).toEqual([]);
      const resource = await (await waldur(`/api/marketplace-resources/${imported.result.resourceUuid.replace(/-/g, '')}/`)).json();
      expect(resource.name).toBe(earlier.name);
    });

    it("takes the offering's only plan, and refuses an import without a plan into an offering with several, naming them", async () => {
      const c = companies[2]!;
      const one = dashed(await gw.waldur.create('offerings', { name: 'One plan', plans: [{ name: 'Monthly' }] }));
      const two = dashed(await gw.waldur.create('offerings', { name: 'Two plans', plans: [{ name: 'Monthly' }, { name: 'Yearly' }] }));
      await gw.syncWaldur(true);
      const refused = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700021', offering: two, project: c.projectUuid })).data.importLicense;
      expect(refused).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'planUuid', messages: [expect.stringContaining('Offering Two plans has 2 plans (Monthly')] }] });
      const taken = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700021', offering: one, project: c.projectUuid })).data.importLicense;
      const plan = await gw.t.db.prisma.offeringPlan.findFirstOrThrow({ where: { offeringUuid: one } });
      expect((await gw.t.db.prisma.resource.findUniqueOrThrow({ where: { uuid: taken.result.resourceUuid } })).planUuid).toBe(plan.uuid);
    });
  });
});
