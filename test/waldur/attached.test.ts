import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, dashed, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen, postMappingAction } from '../support/http.js';
import type { WaldurEndpoint, WaldurFaults } from '../../src/waldur-sim/server.js';

const period = '2026-10';
const ERR = '... on Error { __typename message }';
const LINK = `mutation($mapping: UUID!, $resource: UUID!, $ref: String!, $move: Boolean) {
  linkResource(mappingUuid: $mapping, resourceUuid: $resource, licenseReference: $ref, move: $move) {
    ... on MutationLinkResourceSuccess { result { licenseReference resource { backendId modified } movedFrom { uuid backendId } } } ${ERR} } }`;
const IMPORT = `mutation($mapping: UUID!, $ref: String!, $offering: UUID!, $project: UUID!) {
  importLicense(mappingUuid: $mapping, licenseReference: $ref, offeringUuid: $offering, projectUuid: $project) {
    ... on MutationImportLicenseSuccess { result { resourceUuid orderUuid resource { state backendId } } } ${ERR} } }`;
const APPLY = `mutation($mapping: UUID!) { applyLicenseSuggestions(mappingUuid: $mapping, minConfidence: 0) {
  ... on MutationApplyLicenseSuggestionsSuccess { result { linked { uuid backendId } } } ${ERR} } }`;

/** The gateway over a Waldur: reads mirror it, writes go to Waldur first (WALDUR.md §4, §8). */
describe('the gateway attached to a Waldur', () => {
  let gw: TestGateway;
  let rest: { base: string; close(): Promise<void> };
  let companies: SeededCompany[];
  let offeringUuid: string;
  const prisma = () => gw.t.db.prisma;
  /** A resource as the Waldur simulator's own API answers it. */
  const inWaldur = async (uuid: string) => {
    const res = await fetch(`${gw.waldur.apiUrl}/api/marketplace-resources/${uuid.replace(/-/g, '')}/`, { headers: { authorization: `Token ${gw.waldur.token}` } });
    return res.status === 200 ? ((await res.json()) as { backend_id: string; state: string; name: string; modified: string }) : null;
  };
  const waldurResources = async () => {
    const res = await fetch(`${gw.waldur.apiUrl}/api/marketplace-resources/?page_size=300`, { headers: { authorization: `Token ${gw.waldur.token}` } });
    return (await res.json()) as { uuid: string; backend_id: string; name: string }[];
  };
  const post = (path: string, body: object) => postMappingAction(rest.base, gw.staffToken, path, body);
  const screen = async (uuid: string) =>
    (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { waldurCustomer { name projects { name } } waldurResources { uuid name backendId state } } }`, { uuid })).data.customerMapping;

  beforeAll(async () => {
    // Waldur as a process of its own, driven through its REST, as a real one would be
    gw = await startTestGateway('pglite', companiesFixture(3, period), { waldur: 'process' });
    rest = await listen(gw.server);
    offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await prisma().arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
  });
  afterAll(async () => {
    await rest.close();
    await gw.close();
  });
  beforeEach(async () => {
    await gw.waldur.setFaults({});
    await gw.waldur.resetStats();
  });

  describe('reads: the mirror follows Waldur', () => {
    it('shows a change, a termination, a new resource and a deletion after one incremental sync, exactly as Waldur has it', async () => {
      const c = companies[2]!;
      await gw.waldur.change('customers', c.customerUuid, { name: 'Company 2 (renamed)' });
      await gw.waldur.change('resources', c.resourceUuids[1]!, { name: 'M365 E3 (renamed)' });
      await gw.waldur.change('resources', c.resourceUuids[0]!, { state: 'Terminated' });
      const added = await gw.waldur.create('resources', { name: 'Added in Waldur', project: c.projectUuid, offering: offeringUuid, backend_id: 'XSP700021' });
      const result = await gw.syncWaldur();
      expect(result.full).toBe(false);
      const s = await screen(c.mappingUuid!);
      expect(s.waldurCustomer.name).toBe('Company 2 (renamed)');
      expect(s.waldurResources.map((r: { name: string; backendId: string; state: string }) => [r.name, r.backendId, r.state])).toEqual([
        ['Added in Waldur', 'XSP700021', 'OK'],
        ['Azure Plan', 'XSP700020', 'TERMINATED'],
        ['M365 E3 (renamed)', '', 'OK'],
      ]);
      // a hard delete is noticed by a full sync (the reconcile), through the mutation
      await gw.waldur.remove('resources', added);
      const full = (await gw.gql(`mutation { syncFromWaldur(full: true) { ... on MutationSyncFromWaldurSuccess { result { full changes { entity deleted } } } } }`)).data.syncFromWaldur.result;
      expect(full.full).toBe(true);
      expect(full.changes.find((ch: { entity: string }) => ch.entity === 'resources').deleted).toBe(1);
      expect((await screen(c.mappingUuid!)).waldurResources.map((r: { uuid: string }) => r.uuid)).not.toContain(dashed(added));
      await gw.waldur.change('resources', c.resourceUuids[0]!, { state: 'OK' });
      await gw.waldur.change('resources', c.resourceUuids[1]!, { name: 'Microsoft 365 E3' });
      await gw.syncWaldur();
    });

    it('an incremental sync with nothing changed asks one page per entity type', async () => {
      await gw.syncWaldur();
      await gw.waldur.resetStats();
      const result = await gw.syncWaldur();
      expect(Object.values(result.changes).every((c) => c.created + c.updated + c.deleted === 0)).toBe(true);
      expect(await gw.waldur.stats()).toEqual({ events: 1, projects: 1, offerings: 1, resources: 1, orders: 1 });
    });

    it('waldurSync says how fresh the mirror is', async () => {
      const s = (await gw.gql('{ waldurSync { lastFullAt lastIncrementalAt lagSeconds running error } }')).data.waldurSync;
      expect(s).toMatchObject({ running: false, error: null });
      expect(s.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(s.lastIncrementalAt)).toBeGreaterThanOrEqual(Date.parse(s.lastFullAt));
    });

    it('a sync that meets 5xx and 429 is retried; one Waldur cannot answer keeps the mirror and says why', async () => {
      const before = await prisma().resource.count();
      await gw.waldur.setFaults({ errorRate: 1, times: 1 });
      await gw.syncWaldur(); // the one 5xx is retried
      await gw.waldur.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0, times: 1 });
      await gw.syncWaldur();
      await gw.waldur.setFaults({ errorRate: 1 });
      const r = (await gw.gql(`mutation { syncFromWaldur { ... on WaldurUnavailableError { message retryAfterSeconds } } }`)).data.syncFromWaldur;
      expect(r.message).toMatch(/^Cannot sync from Waldur: Waldur \w+ failed \(HTTP 50[03]\)/);
      const s = (await gw.gql('{ waldurSync { error lagSeconds } }')).data.waldurSync;
      expect(s.error).toMatch(/HTTP 50[03]/);
      expect(s.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(await prisma().resource.count()).toBe(before);
      // Waldur back: once the circuit's cool-down is over, the next sync succeeds and clears the error
      await gw.waldur.setFaults({});
      await new Promise((r) => setTimeout(r, 150));
      await gw.syncWaldur();
      expect((await gw.gql('{ waldurSync { error } }')).data.waldurSync.error).toBeNull();
    });
  });

  describe('writes go to Waldur first, and the mirror has them in the same answer', () => {
    it('link: set_backend_id in Waldur, and the resource read back (3 Waldur requests)', async () => {
      const c = companies[0]!;
      const answer = await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700001' });
      expect(answer.errors).toBeUndefined();
      const r = answer.data.linkResource.result;
      expect(r.resource.backendId).toBe('XSP700001');
      // the holder lookup, the write, the read back
      expect(await gw.waldur.stats()).toEqual({ resources: 2, setBackendId: 1 });
      const waldur = await inWaldur(c.resourceUuids[1]!);
      expect(waldur!.backend_id).toBe('XSP700001');
      expect(new Date(r.resource.modified).toISOString()).toBe(new Date(waldur!.modified).toISOString());
    });

    it('move: the holder gives the licence up first, both read back (5 Waldur requests)', async () => {
      const c = companies[0]!;
      const answer = await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0], ref: 'XSP700001', move: true });
      expect(answer.errors).toBeUndefined();
      const r = answer.data.linkResource.result;
      expect(r.movedFrom).toEqual({ uuid: c.resourceUuids[1], backendId: '' });
      expect(await gw.waldur.stats()).toEqual({ resources: 3, setBackendId: 2 });
      expect((await inWaldur(c.resourceUuids[0]!))!.backend_id).toBe('XSP700001');
      expect((await inWaldur(c.resourceUuids[1]!))!.backend_id).toBe('');
    });

    it('a link made in Waldur since the last sync is a conflict, not a second holder', async () => {
      const [a, b] = [companies[0]!, companies[1]!];
      await gw.waldur.change('resources', b.resourceUuids[1]!, { backend_id: 'XSP700000' }); // behind the gateway's back
      const r = (await gw.gql(LINK, { mapping: a.mappingUuid, resource: a.resourceUuids[1], ref: 'XSP700000' })).data.linkResource;
      expect(r.__typename).toBe('ConflictError');
      expect((await inWaldur(a.resourceUuids[1]!))!.backend_id).toBe('');
      await gw.waldur.change('resources', b.resourceUuids[1]!, { backend_id: '' });
    });

    it('import: a backend resource (looked for first, then made) imported as a resource with its done order (5 Waldur requests)', async () => {
      const c = companies[1]!;
      const r = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700011', offering: offeringUuid, project: c.projectUuid })).data.importLicense.result;
      expect(r.resource).toEqual({ state: 'OK', backendId: 'XSP700011' });
      expect(await gw.waldur.stats()).toEqual({ resources: 1, backendResources: 2, importResource: 1, orders: 1 });
      expect((await inWaldur(r.resourceUuid))!.backend_id).toBe('XSP700011');
      const order = await prisma().order.findUniqueOrThrow({ where: { uuid: r.orderUuid } });
      expect(order).toMatchObject({ resourceUuid: r.resourceUuid, type: 'CREATE', state: 'DONE' });
    });

    it('a retried import after a lost answer creates no second resource', async () => {
      const c = companies[1]!;
      // the import happened in Waldur but its answer never reached the mirror
      const made = await gw.waldur.create('resources', { name: 'XSP700021', project: c.projectUuid, offering: offeringUuid, backend_id: 'XSP700021' });
      await gw.waldur.create('orders', { resource: made, type: 'Create', state: 'done' });
      const before = (await waldurResources()).length;
      const mapping = companies[2]!;
      const r = (await gw.gql(IMPORT, { mapping: mapping.mappingUuid, ref: 'XSP700021', offering: offeringUuid, project: mapping.projectUuid })).data.importLicense;
      // another customer's project: a conflict; the same project: adopted
      expect(r.__typename).toBe('ConflictError');
      await gw.waldur.change('resources', made, { project: mapping.projectUuid });
      const again = (await gw.gql(IMPORT, { mapping: mapping.mappingUuid, ref: 'XSP700021', offering: offeringUuid, project: mapping.projectUuid })).data.importLicense.result;
      expect(again.resourceUuid).toBe(dashed(made));
      expect(again.orderUuid).toBeTruthy();
      expect((await waldurResources()).length).toBe(before);
    });

    it('applyLicenseSuggestions links every suggestion in Waldur, or none when one fails', async () => {
      const c = companies[2]!;
      gw.sim.fixture.licenses.push({ license_id: 'XSP700027', friendlyName: 'Microsoft 365 E3', customer_ref: c.arrowReference, service_ref: 'MS-0B-O365-ENTERPRIS', name: 'Microsoft 365 E3', sku: 'E3', state: 'active', seats: 1 });
      gw.arrow.invalidate();
      const before = await waldurResources();
      await gw.waldur.setFaults({ errorRate: 1, endpoints: ['setBackendId'] });
      const failed = (await gw.gql(APPLY, { mapping: c.mappingUuid })).data.applyLicenseSuggestions;
      expect(failed.__typename).toBe('WaldurUnavailableError');
      expect(await waldurResources()).toEqual(before);
      await gw.waldur.setFaults({});
      const ok = (await gw.gql(APPLY, { mapping: c.mappingUuid })).data.applyLicenseSuggestions.result;
      expect(ok.linked).toEqual([{ uuid: c.resourceUuids[1], backendId: 'XSP700027' }]);
      const linked = await prisma().resource.findMany({ where: { project: { customerUuid: c.customerUuid } } });
      for (const r of linked) expect((await inWaldur(r.uuid))!.backend_id).toBe(r.backendId);
    });
  });

  describe('Waldur failing during a write', () => {
    it('5xx on set_backend_id: a typed error in GraphQL, 503 with Retry-After in REST, nothing changed on either side', async () => {
      const c = companies[0]!;
      const mirrorBefore = await prisma().resource.findMany({ orderBy: { uuid: 'asc' } });
      const waldurBefore = await waldurResources();
      await gw.waldur.setFaults({ errorRate: 1, endpoints: ['setBackendId'] });
      const r = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000', move: true })).data.linkResource;
      expect(r.__typename).toBe('WaldurUnavailableError');
      const viaRest = await post(`${c.mappingUuid}/link_resource/`, { resource_uuid: c.resourceUuids[1], license_reference: 'XSP700000', move: true });
      expect(viaRest).toMatchObject({ status: 503, retryAfter: '30' });
      expect(viaRest.body.detail).toMatch(/^Cannot set the backend_id of resource/);
      expect(await prisma().resource.findMany({ orderBy: { uuid: 'asc' } })).toEqual(mirrorBefore);
      expect(await waldurResources()).toEqual(waldurBefore);
    });

    it('the second step of a move failing undoes the first', async () => {
      const c = companies[0]!;
      const holder = (await prisma().resource.findFirstOrThrow({ where: { backendId: 'XSP700001' } })).uuid;
      const target = c.resourceUuids.find((u) => u !== holder)!;
      const waldurBefore = await waldurResources();
      const mirrorBefore = await prisma().resource.findMany({ orderBy: { uuid: 'asc' } });
      // the holder's clearing goes through; the link and its retry fail
      await gw.waldur.setFaults({ errorRate: 1, endpoints: ['setBackendId'], after: 1, times: 2 });
      const r = (await gw.gql(LINK, { mapping: c.mappingUuid, resource: target, ref: 'XSP700001', move: true })).data.linkResource;
      expect(r.__typename).toBe('WaldurUnavailableError');
      await gw.waldur.setFaults({});
      expect((await inWaldur(holder))!.backend_id).toBe('XSP700001');
      expect((await waldurResources()).map((w) => [w.uuid, w.backend_id])).toEqual(waldurBefore.map((w) => [w.uuid, w.backend_id]));
      expect(await prisma().resource.findMany({ orderBy: { uuid: 'asc' } })).toEqual(mirrorBefore);
    });

    it('an import whose second step fails deletes its backend resource: no resource on either side', async () => {
      const c = companies[0]!;
      gw.sim.fixture.licenses.push({ license_id: 'XSP700008', friendlyName: 'New', customer_ref: c.arrowReference, service_ref: 'MS-0B-O365-ENTERPRIS', name: 'New', sku: 'N', state: 'active', seats: 1 });
      try {
        const waldurBefore = await waldurResources();
        const mirrorBefore = await prisma().resource.count();
        await gw.waldur.setFaults({ errorRate: 1, endpoints: ['importResource'] });
        await gw.waldur.resetStats();
        const r = (await gw.gql(IMPORT, { mapping: c.mappingUuid, ref: 'XSP700008', offering: offeringUuid, project: c.projectUuid })).data.importLicense;
        expect(r.__typename).toBe('WaldurUnavailableError');
        // the lookup, a look for a backend resource left earlier, the backend resource, the import (not retried: not idempotent), its undo
        expect(await gw.waldur.stats()).toEqual({ resources: 1, backendResources: 3, importResource: 1 });
        await gw.waldur.setFaults({});
        expect(await waldurResources()).toEqual(waldurBefore);
        expect(await prisma().resource.count()).toBe(mirrorBefore);
      } finally {
        gw.sim.fixture.licenses.pop();
        gw.arrow.invalidate();
      }
    });
  });
  describe.each([
    ['5xx', { errorRate: 1 }],
    ['429', { rateLimitRate: 1, retryAfterSeconds: 0 }],
    ['down (every endpoint failing)', { errorRate: 1, endpoints: [] }],
  ] as [string, Partial<WaldurFaults>][])('Waldur answering %s during each write', (_, faults) => {
    const UNLINK = `mutation($mapping: UUID!, $resource: UUID!) { unlinkResource(mappingUuid: $mapping, resourceUuid: $resource) { __typename ${ERR} } }`;
    // company 1: its first resource holds XSP700010, its second is free; XSP700018 is a new licence of its
    const c = () => companies[1]!;
    const writes: [string, WaldurEndpoint[], () => [string, Record<string, unknown>]][] = [
      ['link', ['setBackendId'], () => [LINK, { mapping: c().mappingUuid, resource: c().resourceUuids[1], ref: 'XSP700018' }]],
      ['move', ['setBackendId'], () => [LINK, { mapping: c().mappingUuid, resource: c().resourceUuids[1], ref: 'XSP700010', move: true }]],
      ['unlink', ['setBackendId'], () => [UNLINK, { mapping: c().mappingUuid, resource: c().resourceUuids[0] }]],
      ['import', ['backendResources', 'importResource'], () => [IMPORT, { mapping: c().mappingUuid, ref: 'XSP700018', offering: offeringUuid, project: c().projectUuid }]],
      ['applyLicenseSuggestions', ['setBackendId'], () => [APPLY, { mapping: c().mappingUuid }]],
    ];
    beforeAll(() => {
      gw.sim.fixture.licenses.push({ license_id: 'XSP700018', friendlyName: 'Microsoft 365 E3', customer_ref: c().arrowReference, service_ref: 'MS-0B-O365-ENTERPRIS', name: 'Microsoft 365 E3', sku: 'E3', state: 'active', seats: 1 });
      gw.arrow.invalidate();
    });
    afterAll(() => {
      gw.sim.fixture.licenses.pop();
      gw.arrow.invalidate();
    });

    it.each(writes)('%s: a typed WaldurUnavailableError, nothing changed on either side', async (_, endpoints, write) => {
      const mirrorBefore = await prisma().resource.findMany({ orderBy: { uuid: 'asc' }, include: { orders: true } });
      const waldurBefore = (await waldurResources()).map((w) => [w.uuid, w.backend_id, w.name]);
      await gw.waldur.setFaults({ endpoints: [...endpoints], ...faults });
      const [document, variables] = write();
      const answer = await gw.gql(document, variables);
      await gw.waldur.setFaults({});
      expect(answer.errors).toBeUndefined();
      expect(Object.values(answer.data)[0]).toMatchObject({ __typename: 'WaldurUnavailableError', message: expect.stringMatching(/Waldur|HTTP (429|50[03])/) });
      expect((await waldurResources()).map((w) => [w.uuid, w.backend_id, w.name])).toEqual(waldurBefore);
      expect(await prisma().resource.findMany({ orderBy: { uuid: 'asc' }, include: { orders: true } })).toEqual(mirrorBefore);
    });
  });
});
