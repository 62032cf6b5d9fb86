import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createGateway } from '../../src/server.js';
import { databaseKinds } from '../support/db.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';

const period = '2026-10';
const ERR = '... on Error { __typename message }';
const LINK = `mutation($mapping: UUID!, $resource: UUID!, $ref: String!, $move: Boolean) {
  linkResource(mappingUuid: $mapping, resourceUuid: $resource, licenseReference: $ref, move: $move) {
    __typename ... on MutationLinkResourceSuccess { result { licenseReference resource { uuid backendId } } } ${ERR} } }`;
const UNLINK = `mutation($mapping: UUID!, $resource: UUID!) { unlinkResource(mappingUuid: $mapping, resourceUuid: $resource) { __typename ${ERR} } }`;
const IMPORT = `mutation($mapping: UUID!, $ref: String!, $offering: UUID!, $project: UUID!) {
  importLicense(mappingUuid: $mapping, licenseReference: $ref, offeringUuid: $offering, projectUuid: $project) { __typename ${ERR} } }`;
const SCREEN = `query($uuid: UUID!) { customerMapping(uuid: $uuid) { isActive waldurResources { uuid backendId } } }`;

/**
 * A write that waits on Waldur holds nothing anyone else needs: no database connection (PGlite has
 * only one), no lock but its licence's. Writers of one licence still take turns, in one process and
 * across gateways, so a licence never backs two live resources.
 */
describe.each(databaseKinds)('writes waiting on Waldur beside everything else (%s)', (kind) => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let offeringUuid: string;
  const prisma = () => gw.t.db.prisma;
  const waldurBackendIds = async () => {
    const res = await fetch(`${gw.waldur.apiUrl}/api/marketplace-resources/?page_size=300`, { headers: { authorization: `Token ${gw.waldur.token}` } });
    return Object.fromEntries(((await res.json()) as { uuid: string; backend_id: string }[]).map((r) => [r.uuid.replace(/-/g, ''), r.backend_id]));
  };
  const mirrorBackendIds = async () => Object.fromEntries((await prisma().resource.findMany({ select: { uuid: true, backendId: true } })).map((r) => [r.uuid.replace(/-/g, ''), r.backendId]));
  /** Resolves once the Waldur simulator has been asked `endpoint` `n` times since the last reset. */
  const asked = async (endpoint: string, n = 1) => {
    while ((((await gw.waldur.stats()) as Record<string, number>)[endpoint] ?? 0) < n) await new Promise((r) => setTimeout(r, 10));
  };

  beforeAll(async () => {
    // a short Waldur timeout: a hanging Waldur fails the write in seconds, not the default's ten
    gw = await startTestGateway(kind, companiesFixture(3, period), { waldur: 'process', waldurTimeoutMs: 800 });
    offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await prisma().arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
  });
  afterAll(() => gw.close());
  beforeEach(async () => {
    await gw.waldur.setFaults({});
    await gw.waldur.resetStats();
  });

  it.each([
    ['link', ['setBackendId'], () => [LINK, { mapping: companies[1]!.mappingUuid, resource: companies[1]!.resourceUuids[1], ref: 'XSP700011' }]],
    ['unlink', ['setBackendId'], () => [UNLINK, { mapping: companies[1]!.mappingUuid, resource: companies[1]!.resourceUuids[0] }]],
    ['import', ['backendResources'], () => [IMPORT, { mapping: companies[1]!.mappingUuid, ref: 'XSP700011', offering: offeringUuid, project: companies[1]!.projectUuid }]],
  ] as [string, string[], () => [string, Record<string, unknown>]][])(
    'a %s to a Waldur that hangs stalls only itself: reads and writes that need no Waldur answer meanwhile; it fails WaldurUnavailable, nothing changed',
    async (_, endpoints, write) => {
      const waldurBefore = await waldurBackendIds();
      const mirrorBefore = await mirrorBackendIds();
      await gw.waldur.setFaults({ hangRate: 1, endpoints: endpoints as never });
      const [document, variables] = write();
      let settled = false;
      const writing = gw.gql(document, variables).finally(() => (settled = true));
      await asked(endpoints[0]!);
      // the write is waiting on Waldur now: the same customer's screen, another mapping's change and
      // REST's list all answer, while it still waits
      const c = companies[1]!;
      const screen = await gw.gql(SCREEN, { uuid: c.mappingUuid });
      expect(screen.errors).toBeUndefined();
      expect(screen.data.customerMapping.waldurResources).toHaveLength(2);
      const toggled = await gw.gql(`mutation($uuid: UUID!) { updateCustomerMapping(uuid: $uuid, input: { isActive: false }) { __typename } }`, { uuid: companies[2]!.mappingUuid });
      expect(toggled.data.updateCustomerMapping.__typename).toBe('MutationUpdateCustomerMappingSuccess');
      const rest = await listen(gw.server);
      try {
        const list = await fetch(`${rest.base}/api/admin/arrow/customer-mappings/`, { headers: { authorization: `Token ${gw.staffToken}` } });
        expect(list.status).toBe(200);
        expect(((await list.json()) as { uuid: string; is_active: boolean }[]).find((m) => m.uuid === companies[2]!.mappingUuid)!.is_active).toBe(false);
      } finally {
        await rest.close();
      }
      expect(settled).toBe(false);
      const answer = Object.values((await writing).data)[0] as { __typename: string; message: string };
      expect(answer).toMatchObject({ __typename: 'WaldurUnavailableError', message: expect.stringMatching(/Waldur/) });
      await gw.waldur.setFaults({});
      await gw.gql(`mutation($uuid: UUID!) { updateCustomerMapping(uuid: $uuid, input: { isActive: true }) { __typename } }`, { uuid: companies[2]!.mappingUuid });
      expect(await waldurBackendIds()).toEqual(waldurBefore);
      expect(await mirrorBackendIds()).toEqual(mirrorBefore);
    },
  );

  it('writers of one licence take turns while Waldur is slow: two links of it at once, exactly one holder', async () => {
    const c = companies[0]!;
    await gw.waldur.setFaults({ latencyMs: 150 });
    // company 0's Azure Plan licence XSP700000 is on its first resource; both others ask for XSP700001
    const [a, b] = await Promise.all([
      gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700001' }),
      gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0], ref: 'XSP700001' }),
    ]);
    const kinds = [a.data.linkResource.__typename, b.data.linkResource.__typename].sort();
    expect(kinds).toEqual(['ConflictError', 'MutationLinkResourceSuccess']);
    const holders = Object.values(await waldurBackendIds()).filter((id) => id === 'XSP700001');
    expect(holders).toHaveLength(1);
    expect(Object.values(await mirrorBackendIds()).filter((id) => id === 'XSP700001')).toHaveLength(1);
  });

  it.runIf(kind === 'postgresql')('two gateways on one PostgreSQL: links of one licence from both at once, exactly one holder', async () => {
    // a second gateway process's worth: its own database handle (pools, lock sessions) and schema
    const second: Database = await openDatabase({ databaseUrl: gw.t.url!, dataDir: 'unused' });
    try {
      const other = createGateway({ db: second, arrow: gw.arrow, waldur: gw.waldurClient, maxPageSize: 300 });
      const gql2 = async (query: string, variables: Record<string, unknown>) =>
        (await other.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` }, body: JSON.stringify({ query, variables }) })).json();
      const c = companies[2]!;
      await gw.waldur.setFaults({ latencyMs: 150 });
      // company 2: XSP700020 on its first resource; XSP700021 is free; each gateway links it to another resource
      for (let round = 0; round < 3; round++) {
        const [a, b] = await Promise.all([
          gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700021' }),
          gql2(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0], ref: 'XSP700021' }),
        ]);
        const kinds = [a.data.linkResource.__typename, b.data.linkResource.__typename];
        expect(kinds.filter((k) => k === 'MutationLinkResourceSuccess')).toHaveLength(1);
        expect(Object.values(await waldurBackendIds()).filter((id) => id === 'XSP700021')).toHaveLength(1);
        // back to the start for the next round
        const holder = a.data.linkResource.__typename === 'MutationLinkResourceSuccess' ? c.resourceUuids[1] : c.resourceUuids[0];
        await gw.gql(UNLINK, { mapping: c.mappingUuid, resource: holder });
        if (holder === c.resourceUuids[0]) await gw.gql(LINK, { mapping: c.mappingUuid, resource: c.resourceUuids[0], ref: 'XSP700020' });
      }
    } finally {
      await second.close();
    }
  });
});
