import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, dashed, seedCompanies, type SeededCompany, createOffering } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';
import { listen, postMappingAction } from '../support/http.js';
import { runConsumptionSync } from '../../src/domain/flows/consumption-sync.js';

const period = '2026-10';
const ERR = '... on Error { __typename message } ... on ValidationError { fields { field messages } }';
const LINK = `mutation($mapping: UUID!, $resource: UUID!, $ref: String!, $move: Boolean) {
  linkResource(mappingUuid: $mapping, resourceUuid: $resource, licenseReference: $ref, move: $move) {
    ... on MutationLinkResourceSuccess { result { licenseReference previousBackendId movedFrom { uuid } } } ${ERR} } }`;
const IMPORT = `mutation($mapping: UUID!, $ref: String!, $offering: UUID!, $project: UUID!) {
  importLicense(mappingUuid: $mapping, licenseReference: $ref, offeringUuid: $offering, projectUuid: $project) {
    ... on MutationImportLicenseSuccess { result { resourceUuid licenseReference } } ${ERR} } }`;
const UNLINK = `mutation($mapping: UUID!, $resource: UUID!) {
  unlinkResource(mappingUuid: $mapping, resourceUuid: $resource) {
    ... on MutationUnlinkResourceSuccess { result { previousBackendId success resource { uuid backendId } } } ${ERR} } }`;

/**
 * A licence reference must name a licence of the mapping's own Arrow customer, and back at most
 * one live resource in any offering; billing figures never count a licence twice.
 */
describe.each(databaseKinds)('licence links protect billing (%s)', (kind) => {
  let gw: TestGateway;
  let rest: { base: string; close(): Promise<void> };
  let companies: SeededCompany[];
  let settingsUuid: string;
  let offeringUuid: string;
  let otherOfferingUuid: string;
  const prisma = () => gw.t.db.prisma;
  const snapshot = async () => ({
    resources: await prisma().resource.findMany({ orderBy: { uuid: 'asc' } }),
    orders: await prisma().order.count(),
    records: await prisma().consumptionRecord.findMany({ orderBy: { uuid: 'asc' } }),
  });
  const post = async (path: string, body: object) => {
    const { status, body: answer } = await postMappingAction(rest.base, gw.staffToken, path, body);
    return { status, body: answer };
  };

  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(3, period), { cacheTtlMs: 60_000 });
    rest = await listen(gw.server);
    offeringUuid = await createOffering(gw, 'Arrow licences');
    otherOfferingUuid = await createOffering(gw, 'Microsoft CSP');
    settingsUuid = (await prisma().arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
  });
  afterAll(async () => {
    await rest.close();
    await gw.close();
  });
  beforeEach(async () => {
    gw.sim.setFaults({});
    gw.arrow.invalidate();
    // each company, in Waldur and so in the mirror: resource 0 linked to its first licence, resource 1 unlinked, nothing else
    await prisma().consumptionRecord.deleteMany();
    const seeded = new Set(companies.flatMap((c) => c.resourceUuids));
    for (const r of await prisma().resource.findMany({ select: { uuid: true } })) if (!seeded.has(r.uuid)) await gw.waldur.remove('resources', r.uuid);
    for (const [i, c] of companies.entries()) {
      await gw.waldur.change('resources', c.resourceUuids[0]!, { backend_id: `XSP${700000 + i * 10}`, state: 'OK', offering: offeringUuid });
      await gw.waldur.change('resources', c.resourceUuids[1]!, { backend_id: '', state: 'OK', offering: offeringUuid });
    }
    await gw.syncWaldur(true);
  });
  /** A change made in Waldur behind the gateway's back, then mirrored. */
  const inWaldur = async (resourceUuid: string, fields: Record<string, unknown>) => {
    await gw.waldur.change('resources', resourceUuid, fields);
    await gw.syncWaldur();
  };

  describe('a licence Arrow does not list for the mapping\'s customer is refused, changing nothing', () => {
    it('linkResource("NOPE")', async () => {
      const c = companies[0]!;
      const before = await snapshot();
      const r = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'NOPE' })).data.linkResource;
      expect(r).toEqual({ __typename: 'ValidationError', message: 'Arrow has no licence NOPE', fields: [{ field: 'licenseReference', messages: ['Arrow has no licence NOPE'] }] });
      expect(await snapshot()).toEqual(before);
    });

    it('importLicense("GHOST-1")', async () => {
      const c = companies[0]!;
      const before = await snapshot();
      const r = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'GHOST-1', offering: offeringUuid, project: c.projectUuid })).data.importLicense;
      expect(r).toMatchObject({ __typename: 'ValidationError', message: 'Arrow has no licence GHOST-1' });
      expect(await snapshot()).toEqual(before);
    });

    it("a licence of another Arrow customer, linked, moved or imported (REST too)", async () => {
      const [a, b] = [companies[0]!, companies[1]!];
      const before = await snapshot();
      const expected = `Licence XSP700010 belongs to Arrow customer XSP500001, not to XSP500000 of this mapping`;
      for (const move of [false, true]) {
        const r = (await gw.gql(LINK, { mapping: a.mappingUuid, resource: a.resourceUuids[1], ref: 'XSP700010', move })).data.linkResource;
        expect(r).toMatchObject({ __typename: 'ValidationError', message: expected });
      }
      const imported = (await gw.gql(IMPORT, { mapping: a.mappingUuid, ref: 'XSP700010', offering: otherOfferingUuid, project: a.projectUuid })).data.importLicense;
      expect(imported).toMatchObject({ __typename: 'ValidationError', message: expected });
      expect(await post(`${a.mappingUuid}/link_resource/`, { resource_uuid: a.resourceUuids[1], license_reference: 'XSP700010', move: true })).toEqual({
        status: 400,
        body: { license_reference: [expected] },
      });
      expect(await post(`${a.mappingUuid}/import_license/`, { license_reference: 'XSP700010', offering_uuid: offeringUuid, project_uuid: a.projectUuid })).toEqual({
        status: 400,
        body: { license_reference: [expected] },
      });
      expect((await snapshot()).resources).toEqual(before.resources);
      expect(b.mappingUuid).toBeTruthy();
    });

    it('says so clearly when Arrow is down', async () => {
      const c = companies[0]!;
      gw.sim.setFaults({ errorRate: 1 });
      const before = await snapshot();
      const r = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700001' })).data.linkResource;
      expect(r.__typename).toBe('ArrowUnavailableError');
      expect(r.message).toMatch(/^Cannot check licence XSP700001 with Arrow: /);
      const rest = await post(`${c.mappingUuid}/import_license/`, { license_reference: 'XSP700001', offering_uuid: offeringUuid, project_uuid: c.projectUuid });
      expect(rest.status).toBe(400);
      expect(rest.body.error).toMatch(/^Cannot check licence XSP700001 with Arrow: /);
      expect(await snapshot()).toEqual(before);
    });

    it('finds a licence Arrow listed after the cached listing was taken', async () => {
      const c = companies[0]!;
      await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'NOPE' }); // caches the listing
      gw.sim.fixture.licenses.push({ license_id: 'XSP700009', friendlyName: 'New', customer_ref: c.arrowReference, service_ref: 'MS-0B-O365-ENTERPRIS', name: 'New', sku: 'N', state: 'active', seats: 1 });
      try {
        gw.sim.resetStats();
        const r = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700009' })).data.linkResource;
        expect(r.result).toMatchObject({ licenseReference: 'XSP700009' });
        // only this customer's licences were asked again; the cached customer stayed
        expect(gw.sim.stats()).toEqual({ customerLicenses: 1 });
      } finally {
        gw.sim.fixture.licenses.pop();
      }
    });
  });

  describe('a licence backs at most one live resource, in any offering', () => {
    it('refuses to import a linked licence into another offering, and allows it once that resource is terminated', async () => {
      const c = companies[0]!;
      const before = await snapshot();
      const r = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700000', offering: otherOfferingUuid, project: c.projectUuid })).data.importLicense;
      expect(r.__typename).toBe('ConflictError');
      expect(r.message).toBe(`License XSP700000 has already been imported: it backs resource ${c.resourceUuids[0]} (Azure Plan) in offering Arrow licences`);
      expect(await snapshot()).toEqual(before);
      await inWaldur(c.resourceUuids[0]!, { state: 'Terminated' });
      const again = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700000', offering: otherOfferingUuid, project: c.projectUuid })).data.importLicense;
      expect(again.result).toMatchObject({ licenseReference: 'XSP700000' });
    });

    it('refuses to link a licence held in another offering unless moved, and moves it within the customer', async () => {
      const c = companies[0]!;
      await inWaldur(c.resourceUuids[1]!, { offering: otherOfferingUuid });
      const refused = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000' })).data.linkResource;
      expect(refused).toMatchObject({ __typename: 'ConflictError', message: `License XSP700000 is already linked to resource ${c.resourceUuids[0]} (Azure Plan) in offering Arrow licences; pass move to take it over` });
      const moved = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000', move: true })).data.linkResource.result;
      expect(moved.movedFrom).toEqual({ uuid: c.resourceUuids[0] });
      const held = await prisma().resource.findMany({ where: { backendId: 'XSP700000' } });
      expect(held.map((r) => r.uuid)).toEqual([c.resourceUuids[1]]);
    });

    it("will not move a licence from a customer not mapped to the same Arrow customer", async () => {
      const [a, b] = [companies[0]!, companies[1]!];
      // data from before links were checked: company 1's resource holds company 0's licence
      await inWaldur(b.resourceUuids[1]!, { backend_id: 'XSP700001' });
      const before = await snapshot();
      const r = (await gw.gql(LINK, { mapping: a.mappingUuid, resource: a.resourceUuids[1], ref: 'XSP700001', move: true })).data.linkResource;
      expect(r.__typename).toBe('ConflictError');
      expect(r.message).toMatch(/of a customer not mapped to Arrow customer XSP500000; it cannot be moved from there$/);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('unlinking', () => {
    it('unlinkResource clears the backend_id; unlinking again changes nothing', async () => {
      const c = companies[0]!;
      const r = (await gw.gql(UNLINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0] })).data.unlinkResource.result;
      expect(r).toEqual({ previousBackendId: 'XSP700000', success: true, resource: { uuid: c.resourceUuids[0], backendId: '' } });
      const again = (await gw.gql(UNLINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0] })).data.unlinkResource.result;
      expect(again.previousBackendId).toBe('');
      const foreign = (await gw.gql(UNLINK, { mapping: c.mappingUuid, resource: companies[1]!.resourceUuids[0] })).data.unlinkResource;
      expect(foreign).toEqual({ __typename: 'NotFoundError', message: `Resource ${companies[1]!.resourceUuids[0]} not found for this customer` });
    });

    it('REST: link_resource with an empty license_reference unlinks, answering the link shape', async () => {
      const c = companies[1]!;
      const r = await post(`${c.mappingUuid}/link_resource/`, { resource_uuid: c.resourceUuids[0], license_reference: '' });
      expect(r).toEqual({ status: 200, body: { resource_uuid: c.resourceUuids[0], resource_name: 'Azure Plan', license_reference: '', previous_backend_id: 'XSP700010', success: true } });
      expect((await prisma().resource.findUniqueOrThrow({ where: { uuid: c.resourceUuids[0] } })).backendId).toBe('');
    });
  });

  describe('figures count a licence once', () => {
    const arrowData = `query($uuid: UUID!, $source: ConsumptionSource!) { customerMapping(uuid: $uuid) { arrowData(period: "${period}", consumption: $source) {
      consumptionTotalSell matchedResources consumptionLines { licenseReference resourceUuid sellPrice error } } } }`;

    it('a licence on two live resources (data from before the checks) counts once in arrowData and in the consumption sync', async () => {
      const c = companies[0]!;
      const older = c.resourceUuids[0]!;
      const twin = { uuid: dashed(await gw.waldur.create('resources', { name: 'Azure Plan (copy)', backend_id: 'XSP700000', project: c.projectUuid, offering: otherOfferingUuid })) };
      await gw.syncWaldur();
      for (const source of ['LIVE', 'SYNCED']) {
        if (source === 'SYNCED') {
          const run = await runConsumptionSync({ db: gw.t.db, arrow: gw.arrow }, { settingsUuid, period });
          expect(run).toMatchObject({ status: 'SUCCEEDED', skipped: 1 });
          expect((await prisma().consumptionRecord.findMany({ where: { licenseReference: 'XSP700000' } })).map((r) => r.resourceUuid)).toEqual([older]);
        }
        const d = (await gw.gql(arrowData, { uuid: c.mappingUuid, source })).data.customerMapping.arrowData;
        expect(d.consumptionTotalSell).toBe('15.50');
        expect(d.matchedResources).toBe(1);
        expect(d.consumptionLines.find((l: any) => l.resourceUuid === twin.uuid)).toEqual({
          licenseReference: 'XSP700000', resourceUuid: twin.uuid, sellPrice: null, error: `Licence XSP700000 is counted once, on resource ${older} (Azure Plan)`,
        });
      }
    });

    it('a moved licence keeps one record for the month, on the resource that holds it now', async () => {
      const c = companies[0]!;
      const sync = () => runConsumptionSync({ db: gw.t.db, arrow: gw.arrow }, { settingsUuid, period });
      expect(await sync()).toMatchObject({ created: 3 });
      await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000', move: true });
      expect(await sync()).toMatchObject({ created: 0, updated: 1 });
      const records = await prisma().consumptionRecord.findMany({ where: { licenseReference: 'XSP700000' } });
      expect(records.map((r) => [r.resourceUuid, r.consumedSell.toFixed(2)])).toEqual([[c.resourceUuids[1], '15.50']]);
      const summary = (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { billingSummary { totalConsumptionRecords totalConsumedSell } } }`, { uuid: c.mappingUuid })).data.customerMapping.billingSummary;
      expect(summary).toEqual({ totalConsumptionRecords: 1, totalConsumedSell: '15.50' });
    });
  });
});
