import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';
import { listen, postMappingAction } from '../support/http.js';
import { createGateway } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { syncFromWaldur } from '../../src/waldur/mirror.js';

const period = '2026-10';
const SCREEN = `query($uuid: UUID!, $period: String) {
  customerMapping(uuid: $uuid) {
    arrowCompanyName waldurResources { name backendId }
    arrowData(period: $period) { billingTotalSell }
  }
  consumptionRecords(first: 10, mappingUuid: $uuid) { edges { node { licenseReference consumedSell } } }
}`;

/** One gateway as the test drives it: GraphQL in-process, REST over HTTP, its own database handle and background work. */
interface Replica {
  name: string;
  gql(query: string, variables: Record<string, unknown>, headers?: Record<string, string>): Promise<any>;
  rest: string;
  db: Database;
  settled(): Promise<void>;
}

/**
 * No answer computed after a write is older than the write: whichever path made it (a GraphQL
 * mutation, a REST write, a write through to Waldur, a flow, the Waldur mirror's sync), whichever
 * gateway made it, and however many readers kept the response cache busy while it ran. Each
 * answer read after the write is checked against a fresh computation (`Cache-Control: no-cache`)
 * on the same gateway, and shows the write. On PostgreSQL two gateways share the database: the
 * writes alternate between them and both read.
 */
describe.each(databaseKinds)('an answer is never older than a write (%s)', (kind) => {
  let gw: TestGateway;
  let company: SeededCompany;
  const replicas: Replica[] = [];
  const closers: (() => Promise<void>)[] = [];

  const screen = async (r: Replica, fresh = false) => {
    const body = await r.gql(SCREEN, { uuid: company.mappingUuid, period }, fresh ? { 'cache-control': 'no-cache' } : {});
    expect(body.errors).toBeUndefined();
    return { ...body.data.customerMapping, consumptionRecords: body.data.consumptionRecords.edges.map((e: { node: unknown }) => e.node) };
  };

  /** Readers on every replica fill the response cache while `write` runs; after it, every replica's answer is fresh and shows it. */
  const afterWrite = async (write: () => Promise<void>, shows: (answer: any) => void) => {
    for (const r of replicas) await screen(r); // a kept answer from before the write
    let writing = true;
    const readers = replicas.map(async (r) => {
      while (writing) {
        await screen(r);
        // an in-process read of a kept answer may never leave the microtask queue: let HTTP in
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    try {
      await write();
    } finally {
      writing = false;
      await Promise.all(readers);
    }
    for (const r of replicas) {
      const answer = await screen(r);
      expect(answer, `on ${r.name}`).toEqual(await screen(r, true));
      shows(answer);
    }
  };
  const writer = (i: number) => replicas[i % replicas.length]!;

  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(2, period), { responseCache: { entries: 32, maxAgeMs: 60_000 } });
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    [company] = await seedCompanies(gw, { n: 2, settingsUuid, offeringUuid });
    const rest = await listen(gw.server);
    closers.push(rest.close);
    const gqlOn = (yoga: TestGateway['yoga']) => async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
      (await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}`, ...headers }, body: JSON.stringify({ query, variables }) })).json();
    replicas.push({ name: 'the first gateway', gql: gqlOn(gw.yoga), rest: rest.base, db: gw.t.db, settled: () => gw.background.settled() });
    if (kind === 'postgresql') {
      // a second gateway on the same PostgreSQL: its own connections, Arrow cache and response cache
      const db = await openDatabase({ databaseUrl: gw.t.url!, dataDir: 'unused' });
      const arrow = new ArrowSource({ timeoutMs: 3000, retries: 1, maxInFlight: 8, cacheTtlMs: 60_000 });
      const second = createGateway({ db, arrow, waldur: gw.waldurClient, responseCache: { entries: 32, maxAgeMs: 60_000 } });
      const secondRest = await listen(second.server);
      closers.push(async () => {
        await secondRest.close();
        await second.background.settled();
        await db.close();
      });
      replicas.push({ name: 'the second gateway', gql: gqlOn(second.yoga), rest: secondRest.base, db, settled: () => second.background.settled() });
    }
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await gw.close();
  });

  it('a GraphQL mutation', async () => {
    await afterWrite(
      async () => void (await writer(0).gql(`mutation($u: UUID!) { updateCustomerMapping(uuid: $u, input: { arrowCompanyName: "Renamed by GraphQL" }) { __typename } }`, { u: company.mappingUuid })),
      (a) => expect(a.arrowCompanyName).toBe('Renamed by GraphQL'),
    );
  });

  it('a REST write', async () => {
    await afterWrite(
      async () => {
        const res = await fetch(`${writer(1).rest}/api/admin/arrow/customer-mappings/${company.mappingUuid}/`, { method: 'PATCH', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ arrow_company_name: 'Renamed by REST' }) });
        expect(res.status).toBe(200);
      },
      (a) => expect(a.arrowCompanyName).toBe('Renamed by REST'),
    );
  });

  it('a link through to Waldur (GraphQL), then an unlink (REST)', async () => {
    await afterWrite(
      async () => {
        const linked = await writer(0).gql(`mutation($m: UUID!, $r: UUID!) { linkResource(mappingUuid: $m, resourceUuid: $r, licenseReference: "XSP700001") { __typename } }`, { m: company.mappingUuid, r: company.resourceUuids[1] });
        expect(linked.data.linkResource.__typename).toBe('MutationLinkResourceSuccess');
      },
      (a) => expect(a.waldurResources.map((r: { backendId: string }) => r.backendId).sort()).toEqual(['XSP700000', 'XSP700001']),
    );
    await afterWrite(
      async () => expect((await postMappingAction(writer(1).rest, gw.staffToken, `${company.mappingUuid}/link_resource/`, { resource_uuid: company.resourceUuids[1], license_reference: '' })).status).toBe(200),
      (a) => expect(a.waldurResources.map((r: { backendId: string }) => r.backendId).sort()).toEqual(['', 'XSP700000']),
    );
  });

  it("a flow's writes (REST's 202 consumption sync, run in the background)", async () => {
    await afterWrite(
      async () => {
        const res = await fetch(`${writer(1).rest}/api/admin/arrow/billing-syncs/trigger_consumption_sync/`, { method: 'POST', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ year: 2026, month: 10 }) });
        expect(res.status).toBe(202);
        await writer(1).settled();
      },
      (a) => expect(a.consumptionRecords).toEqual([{ licenseReference: 'XSP700000', consumedSell: '15.50' }]),
    );
  });

  it("the Waldur mirror's sync of a change made in Waldur", async () => {
    await afterWrite(
      async () => {
        await gw.waldur.change('resources', company.resourceUuids[1]!, { name: 'Renamed in Waldur' });
        await syncFromWaldur(writer(0).db, gw.waldurClient, { overlapMs: 0 });
      },
      (a) => expect(a.waldurResources.map((r: { name: string }) => r.name)).toContain('Renamed in Waldur'),
    );
  });
});
