import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { countQueries, databaseKinds } from '../support/db.js';
import { listen, postMappingAction } from '../support/http.js';
import { createGateway } from '../../src/server.js';
import { openDatabase } from '../../src/db/database.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { createToken, createUser } from '../../src/domain/users.js';
import { redisSharedCache } from '../../src/domain/shared-cache.js';
import crypto from 'node:crypto';
import net from 'node:net';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every machine here runs Redis; where none answers, the replicas share no Arrow cache and that test is skipped. */
const redisUp = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = net.connect(Number(port || 6379), hostname, () => (socket.end(), resolve(true)));
  socket.on('error', () => resolve(false));
});

const period = '2026-10';
const SCREEN = `query($uuid: UUID!, $period: String) {
  customerMapping(uuid: $uuid) {
    arrowCompanyName isActive waldurCustomer { name }
    waldurResources { name backendId }
    arrowLicenses { licenseReference friendlyName }
    arrowData(period: $period) { billingTotalSell }
  }
  consumptionRecords(first: 10, mappingUuid: $uuid) { edges { node { licenseReference consumedSell } } }
}`;

/**
 * The response cache (src/graphql/response-cache.ts): a repeated screen is answered from it, and
 * no answer is ever older than a write the gateway made or saw, whichever path made it.
 */
describe.each(databaseKinds)('the response cache (%s)', (kind) => {
  let gw: TestGateway;
  let rest: { base: string; close(): Promise<void> };
  let company: SeededCompany;
  let settingsUuid: string;
  const screen = async (g: { gql: TestGateway['gql'] } = gw) => {
    const r = await g.gql(SCREEN, { uuid: company.mappingUuid, period });
    expect(r.errors).toBeUndefined();
    return { ...r.data.customerMapping, consumptionRecords: r.data.consumptionRecords.edges.map((e: { node: unknown }) => e.node) };
  };

  // on PostgreSQL the gateway shares Arrow's answers through Redis, as replicas do
  const namespace = `gateway-test:${crypto.randomUUID()}:`;
  const shared = kind === 'postgresql' && redisUp ? redisSharedCache(REDIS_URL, namespace) : undefined;

  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(2, period), { cacheTtlMs: 400, responseCache: { entries: 8, maxAgeMs: 60_000 }, shared });
    gw.arrow.onDrop = async () => void (await gw.t.db.prisma.$executeRaw`UPDATE data_version SET version = version + 1 WHERE id = 1`);
    rest = await listen(gw.server);
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    [company] = await seedCompanies(gw, { n: 2, settingsUuid, offeringUuid });
  });
  afterAll(async () => {
    await rest.close();
    await gw.close();
    await shared?.close();
  });

  it('answers a repeated screen from the cache: one statement (the token with the data version), no Arrow request', async () => {
    const first = await screen();
    gw.sim.resetStats();
    const again = await countQueries(gw.t.db, () => screen());
    expect(again.result).toEqual(first);
    expect(again.queries).toHaveLength(1);
    expect(again.queries[0]).toMatch(/api_tokens[^]*data_version/);
    expect(gw.sim.stats()).toEqual({});
    // asked to, it computes the answer afresh
    const fresh = await countQueries(gw.t.db, async () =>
      gw.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}`, 'cache-control': 'no-cache' }, body: JSON.stringify({ query: SCREEN, variables: { uuid: company.mappingUuid, period } }) }),
    );
    expect(fresh.queries.length).toBeGreaterThan(1);
  });

  it('computes an answer once for everyone asking while it is computed, and each gets it whole', async () => {
    const alone = await countQueries(gw.t.db, async () => {
      await gw.gql(`mutation($u: UUID!) { updateCustomerMapping(uuid: $u, input: { isActive: true }) { __typename } }`, { u: company.mappingUuid });
      return screen();
    });
    const computation = alone.queries.length;
    // after a write, eight at once: each reads its token with the data version, one computes
    const together = await countQueries(gw.t.db, async () => {
      await gw.gql(`mutation($u: UUID!) { updateCustomerMapping(uuid: $u, input: { isActive: true }) { __typename } }`, { u: company.mappingUuid });
      return Promise.all(Array.from({ length: 8 }, () => screen()));
    });
    for (const answer of together.result) expect(answer).toEqual(alone.result);
    expect(together.queries).toHaveLength(computation + 7);
  });

  it('a GraphQL mutation is seen at once', async () => {
    await screen();
    await gw.gql(`mutation($u: UUID!) { updateCustomerMapping(uuid: $u, input: { arrowCompanyName: "Renamed by GraphQL" }) { __typename } }`, { u: company.mappingUuid });
    expect((await screen()).arrowCompanyName).toBe('Renamed by GraphQL');
  });

  it('a REST write is seen at once', async () => {
    await screen();
    const res = await fetch(`${rest.base}/api/admin/arrow/customer-mappings/${company.mappingUuid}/`, { method: 'PATCH', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ arrow_company_name: 'Renamed by REST' }) });
    expect(res.status).toBe(200);
    expect((await screen()).arrowCompanyName).toBe('Renamed by REST');
  });

  it("a flow's writes are seen at once (a 202 action's background flow)", async () => {
    expect((await screen()).consumptionRecords).toEqual([]);
    const res = await fetch(`${rest.base}/api/admin/arrow/billing-syncs/trigger_consumption_sync/`, { method: 'POST', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ year: 2026, month: 10 }) });
    expect(res.status).toBe(202);
    await gw.background.settled();
    expect((await screen()).consumptionRecords).toEqual([{ licenseReference: 'XSP700000', consumedSell: '15.50' }]);
  });

  it("the Waldur mirror's changes are seen at once", async () => {
    await screen();
    await gw.waldur.change('resources', company.resourceUuids[1]!, { name: 'Renamed in Waldur' });
    await gw.syncWaldur();
    expect((await screen()).waldurResources.map((r: { name: string }) => r.name)).toContain('Renamed in Waldur');
  });

  it("a Waldur sync that found nothing keeps the kept answers; long work's progress and the sync's own state are never kept", async () => {
    // the mapping's database fields only: a kept answer bounded by nothing but the data version
    // (the screen's Arrow data would bound it by the Arrow cache's 400 ms TTL here)
    const mapping = `{ customerMapping(uuid: "${company.mappingUuid}") { uuid waldurCustomerName waldurResources { uuid name backendId } } }`;
    const version = async () => (await gw.t.db.prisma.$queryRaw<{ version: bigint }[]>`SELECT version FROM data_version WHERE id = 1`)[0]!.version;
    await gw.syncWaldur();
    const first = await gw.gql(mapping);
    expect(first.errors).toBeUndefined();
    const versionBefore = await version();
    await gw.syncWaldur(); // Waldur has nothing new: only the sync's own bookkeeping is written
    expect(await version()).toBe(versionBefore); // so nothing a kept answer depends on moved
    const again = await countQueries(gw.t.db, () => gw.gql(mapping));
    expect(again.result).toEqual(first);
    expect(again.queries).toHaveLength(1); // the token with the data version: still the kept answer
    const work = '{ recentWork { uuid state done } }';
    expect((await gw.gql(work)).errors).toBeUndefined();
    const twice = await countQueries(gw.t.db, () => gw.gql(work));
    expect(twice.queries.some((q) => /"work"/.test(q))).toBe(true); // read afresh
    const synced = async () => (await gw.gql('{ waldurSync { lastIncrementalAt } }')).data.waldurSync.lastIncrementalAt;
    const before = await synced();
    await gw.syncWaldur();
    expect(await synced()).not.toBe(before);
  });

  it("a write through the gateway's own write path to Waldur is seen at once", async () => {
    await screen();
    const linked = await postMappingAction(rest.base, gw.staffToken, `${company.mappingUuid}/link_resource/`, { resource_uuid: company.resourceUuids[1], license_reference: 'XSP700001' });
    expect(linked.status).toBe(200);
    expect((await screen()).waldurResources.map((r: { backendId: string }) => r.backendId).sort()).toEqual(['XSP700000', 'XSP700001']);
  });

  it("Arrow's listing is seen as soon as the Arrow cache would show it: after its TTL, or at once when it is dropped", async () => {
    const licence = gw.sim.fixture.licenses.find((l) => l.license_id === 'XSP700000')!;
    await screen();
    licence.friendlyName = 'Renamed in Arrow';
    await new Promise((r) => setTimeout(r, 450)); // the Arrow cache's TTL is 400 ms here
    expect((await screen()).arrowLicenses.find((l: { licenseReference: string }) => l.licenseReference === 'XSP700000').friendlyName).toBe('Renamed in Arrow');
    licence.friendlyName = 'Renamed again';
    gw.arrow.invalidate(settingsUuid);
    expect((await screen()).arrowLicenses.find((l: { licenseReference: string }) => l.licenseReference === 'XSP700000').friendlyName).toBe('Renamed again');
  });

  it('keeps no answer with an error, and none of a viewer for another', async () => {
    await createUser(gw.t.db.prisma, 'staff2', true);
    const other = await createToken(gw.t.db.prisma, 'staff2');
    const mine = (await gw.gql('{ viewer { username } }')).data.viewer;
    const theirs = (await gw.gql('{ viewer { username } }', {}, other)).data.viewer;
    expect([mine.username, theirs.username]).toEqual(['staff', 'staff2']);
    // a user who is no longer staff is refused, however recently their answer was kept
    expect((await gw.gql(SCREEN, { uuid: company.mappingUuid, period }, other)).errors).toBeUndefined();
    await gw.t.db.prisma.user.update({ where: { username: 'staff2' }, data: { isStaff: false } });
    expect((await gw.gql(SCREEN, { uuid: company.mappingUuid, period }, other)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    gw.sim.setFaults({ errorRate: 1 });
    gw.arrow.invalidate();
    try {
      const failing = await gw.gql(SCREEN, { uuid: company.mappingUuid, period });
      gw.sim.setFaults({});
      const after = await gw.gql(SCREEN, { uuid: company.mappingUuid, period });
      expect(JSON.stringify(after)).not.toEqual(JSON.stringify(failing));
    } finally {
      gw.sim.setFaults({});
    }
  });

  it.runIf(kind === 'postgresql' && redisUp)("another replica: one Arrow fetch serves both, and a write or an Arrow drop through one is seen at once through the other", async () => {
    // a second gateway on the same PostgreSQL and Redis, with its own connection, Arrow source and caches
    const db = await openDatabase({ databaseUrl: gw.t.url!, dataDir: 'unused' });
    const replicaShared = redisSharedCache(REDIS_URL, namespace);
    const arrow = new ArrowSource({ timeoutMs: 3000, retries: 1, maxInFlight: 8, cacheTtlMs: 60_000, shared: replicaShared });
    arrow.onDrop = async () => void (await db.prisma.$executeRaw`UPDATE data_version SET version = version + 1 WHERE id = 1`);
    const replica = createGateway({ db, arrow, waldur: gw.waldurClient, responseCache: { entries: 8, maxAgeMs: 60_000 } });
    const onReplica = async () => {
      const res = await replica.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` }, body: JSON.stringify({ query: SCREEN, variables: { uuid: company.mappingUuid, period } }) });
      const body = (await res.json()) as { data: any; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data.customerMapping;
    };
    try {
      await gw.arrow.invalidate();
      await screen();
      gw.sim.resetStats();
      const viaReplica = await onReplica();
      expect(gw.sim.stats()).toEqual({}); // the first gateway's Arrow answers served the replica
      expect(viaReplica.arrowLicenses).toEqual((await screen()).arrowLicenses);
      await gw.gql(`mutation($u: UUID!) { updateCustomerMapping(uuid: $u, input: { arrowCompanyName: "Renamed on the other replica" }) { __typename } }`, { u: company.mappingUuid });
      expect((await onReplica()).arrowCompanyName).toBe('Renamed on the other replica');
      const licence = gw.sim.fixture.licenses.find((l) => l.license_id === 'XSP700001')!;
      licence.friendlyName = 'Dropped on the first replica';
      await gw.arrow.invalidate(settingsUuid);
      expect((await onReplica()).arrowLicenses.find((l: { licenseReference: string }) => l.licenseReference === 'XSP700001').friendlyName).toBe('Dropped on the first replica');
    } finally {
      replica.server.close();
      await replicaShared.close();
      await db.close();
    }
  });
});
