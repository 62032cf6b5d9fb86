import { createGateway } from '../../src/server.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import type { SharedCache } from '../../src/domain/shared-cache.js';
import { startArrowSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/arrow-sim/server.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';
import { createToken, createUser } from '../../src/domain/users.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './db.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { record } from './secret-scan.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from './seed.js';
import { startWaldurSim, type WaldurSim } from './waldur-sim.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { syncFromWaldur, type MirrorResult } from '../../src/waldur/mirror.js';

export interface TestGateway {
  t: TestDatabase;
  sim: RunningSimulator;
  arrow: ArrowSource;
  /** The Waldur the gateway mirrors and writes to (a simulator of its own, empty at first). */
  waldur: WaldurSim;
  waldurClient: WaldurClient;
  /** Brings the mirror up to the Waldur simulator (incremental unless `full`). */
  syncWaldur(full?: boolean): Promise<MirrorResult>;
  yoga: ReturnType<typeof createGateway>['yoga'];
  /** Flows the 202 actions started: `await gw.background.settled()` waits for them. */
  background: ReturnType<typeof createGateway>['background'];
  server: ReturnType<typeof createGateway>['server'];
  staffToken: string;
  userToken: string;
  /** POSTs a GraphQL document in-process (yoga.fetch), as the given token (staff by default). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  close(): Promise<void>;
}

export async function startTestGateway(kind: DatabaseKind, fixture: ArrowFixture, options: { sim?: SimulatorOptions; cacheTtlMs?: number; retries?: number; timeoutMs?: number; waldur?: 'in-process' | 'process'; waldurTimeoutMs?: number; responseCache?: { entries: number; maxAgeMs: number }; shared?: SharedCache; trustedDocumentsOnly?: boolean; waldurUsers?: import('../../src/waldur-sim/fixture.js').WaldurFixture['users']; logger?: import('../../src/observability/logger.js').Logger } = {}): Promise<TestGateway> {
  const t = await createTestDatabase(kind);
  const sim = await startArrowSimulator(fixture, options.sim);
  const metrics = createMetrics({ defaultMetrics: false });
  const arrow = new ArrowSource({
    timeoutMs: options.timeoutMs ?? 3000,
    retries: options.retries ?? 1,
    retryBaseMs: 5,
    maxInFlight: 8,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    onRequest: metrics.onArrowRequest,
    onCache: (hit) => metrics.arrowCache.inc({ result: hit ? 'hit' : 'miss' }),
    shared: options.shared,
  });
  const waldur = await startWaldurSim({ token: 'w'.repeat(40), users: options.waldurUsers, customers: [], projects: [], offerings: [], resources: [] }, options.waldur ?? 'in-process');
  const waldurClient = new WaldurClient({ apiUrl: waldur.apiUrl, token: waldur.token, timeoutMs: options.waldurTimeoutMs ?? 10_000, retries: 1, retryBaseMs: 5, breakerCooldownMs: 100 });
  const { yoga, server, background } = createGateway({ db: t.db, arrow, waldur: waldurClient, maxPageSize: 300, metrics, responseCache: options.responseCache, trustedDocumentsOnly: options.trustedDocumentsOnly, logger: options.logger });
  await createUser(t.db.prisma, 'staff', true);
  await createUser(t.db.prisma, 'user', false);
  const staffToken = await createToken(t.db.prisma, 'staff');
  const userToken = await createToken(t.db.prisma, 'user');
  return {
    t,
    sim,
    arrow,
    waldur,
    waldurClient,
    syncWaldur: (full = false) => syncFromWaldur(t.db, waldurClient, { full, overlapMs: 0 }),
    yoga,
    server,
    background,
    staffToken,
    userToken,
    async gql(query, variables, token = staffToken) {
      const res = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      if (token) record('token', token);
      record('body', text);
      return JSON.parse(text);
    },
    async close() {
      await background.settled(); // a 202's flow finishes before its database goes
      await sim.close();
      await waldur.close();
      await t.drop();
    },
  };
}

/** A PGlite gateway over `n` seeded companies (the first `mapped` of them mapped) and one settings row. */
export async function startSeededGateway(n: number, period: string, options: { mapped?: number } = {}): Promise<{ gw: TestGateway; settingsUuid: string; offeringUuid: string; companies: SeededCompany[] }> {
  const gw = await startTestGateway('pglite', companiesFixture(n, period));
  const offeringUuid = await createOffering(gw, 'Arrow licences');
  const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
  const companies = await seedCompanies(gw, { n, settingsUuid, offeringUuid, mapped: options.mapped });
  return { gw, settingsUuid, offeringUuid, companies };
}
