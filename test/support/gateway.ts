import { createGateway } from '../../src/server.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { startArrowSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/arrow-sim/server.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';
import { createToken, createUser } from '../../src/domain/users.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './db.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { record } from './secret-scan.js';
import { companiesFixture, seedCompanies, type SeededCompany } from './seed.js';

export interface TestGateway {
  t: TestDatabase;
  sim: RunningSimulator;
  arrow: ArrowSource;
  yoga: ReturnType<typeof createGateway>['yoga'];
  server: ReturnType<typeof createGateway>['server'];
  staffToken: string;
  userToken: string;
  /** POSTs a GraphQL document in-process (yoga.fetch), as the given token (staff by default). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  close(): Promise<void>;
}

export async function startTestGateway(kind: DatabaseKind, fixture: ArrowFixture, options: { sim?: SimulatorOptions; cacheTtlMs?: number; retries?: number; timeoutMs?: number } = {}): Promise<TestGateway> {
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
  });
  const { yoga, server } = createGateway({ db: t.db, arrow, maxPageSize: 300, metrics });
  await createUser(t.db.prisma, 'staff', true);
  await createUser(t.db.prisma, 'user', false);
  const staffToken = await createToken(t.db.prisma, 'staff');
  const userToken = await createToken(t.db.prisma, 'user');
  return {
    t,
    sim,
    arrow,
    yoga,
    server,
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
      await sim.close();
      await t.drop();
    },
  };
}

/** A PGlite gateway over `n` seeded companies (the first `mapped` of them mapped) and one settings row. */
export async function startSeededGateway(n: number, period: string, options: { mapped?: number } = {}): Promise<{ gw: TestGateway; settingsUuid: string; offeringUuid: string; companies: SeededCompany[] }> {
  const gw = await startTestGateway('pglite', companiesFixture(n, period));
  const prisma = gw.t.db.prisma;
  const offeringUuid = (await prisma.offering.create({ data: { name: 'Arrow licences' } })).uuid;
  const settingsUuid = (await prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
  const companies = await seedCompanies(prisma, { n, settingsUuid, offeringUuid, mapped: options.mapped });
  return { gw, settingsUuid, offeringUuid, companies };
}
