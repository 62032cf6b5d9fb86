import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { availableCustomers } from '../../src/domain/customers.js';
import { waldurCustomersByName } from '../../src/domain/customer-suggestions.js';
import { redisSharedCache, type SharedCache } from '../../src/domain/shared-cache.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies } from '../support/seed.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import { generateFixture } from '../../src/arrow-sim/generate.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = net.connect(Number(port || 6379), hostname, () => (socket.end(), resolve(true)));
  socket.on('error', () => resolve(false));
});

/** What the answer says, in short: each available Arrow customer's suggestion and confidence. */
const brief = (a: Awaited<ReturnType<typeof availableCustomers>>) => a.suggestions.map((s) => [s.arrowCustomer.reference, s.suggestedWaldurCustomer?.name ?? null, s.confidence]);

/**
 * Customer suggestions are matched once per (Arrow names, Waldur customers): reused by later
 * requests and, through Redis, by another replica on the same database, until a Waldur customer
 * or an Arrow customer changes; then only what changed is matched again.
 */
describe.runIf(redisUp).each(databaseKinds)('customer suggestions, remembered across requests and replicas (%s)', (kind) => {
  let gw: TestGateway;
  let shared: SharedCache[];
  let replica: { db: Database; arrow: ArrowSource };
  const ask = (r: { db: Database; arrow: ArrowSource }) => availableCustomers(r.db.prisma, r.arrow);

  beforeAll(async () => {
    const namespace = `gateway-test:${crypto.randomUUID()}:`;
    shared = [redisSharedCache(REDIS_URL, namespace), redisSharedCache(REDIS_URL, namespace)];
    gw = await startTestGateway(kind, companiesFixture(6, '2026-10'), { shared: shared[0] });
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    await seedCompanies(gw, { n: 6, settingsUuid, offeringUuid, mapped: 2 });
    // the other replica: its own connection to the same database, its own Arrow source and memo
    const db = kind === 'postgresql' ? await openDatabase({ databaseUrl: gw.t.url!, dataDir: 'unused' }) : gw.t.db;
    replica = { db, arrow: new ArrowSource({ timeoutMs: 3000, retries: 0, maxInFlight: 8, cacheTtlMs: 60_000, shared: shared[1] }) };
  });
  afterAll(async () => {
    if (replica.db !== gw.t.db) await replica.db.close();
    await gw.close();
    await Promise.all(shared.map((s) => s.close()));
  });

  it('matches each name once: again in this process and in the other replica, nothing is matched', async () => {
    const first = await ask({ db: gw.t.db, arrow: gw.arrow });
    expect(brief(first)).toEqual([
      ['XSP500002', 'Company 2', 18 / 23],
      ['XSP500003', 'Company 3', 18 / 23],
      ['XSP500004', 'Company 4', 18 / 23],
      ['XSP500005', 'Company 5', 18 / 23],
    ]);
    expect(gw.arrow.suggestions.matched).toBe(4);
    expect(brief(await ask({ db: gw.t.db, arrow: gw.arrow }))).toEqual(brief(first));
    expect(gw.arrow.suggestions.matched).toBe(4);
    expect(brief(await ask(replica))).toEqual(brief(first));
    expect(replica.arrow.suggestions.matched).toBe(0);
  });

  it('a Waldur customer renamed: every name is matched again, once, and the answer shows the new name', async () => {
    const company3 = await gw.t.db.prisma.waldurCustomer.findFirstOrThrow({ where: { name: 'Company 3' } });
    await gw.t.db.prisma.waldurCustomer.update({ where: { uuid: company3.uuid }, data: { name: 'Company 3 GmbH' } });
    const before = gw.arrow.suggestions.matched;
    const renamed = await ask(replica);
    expect(brief(renamed)).toContainEqual(['XSP500003', 'Company 3 GmbH', 1]);
    expect(replica.arrow.suggestions.matched).toBe(4);
    expect(brief(await ask({ db: gw.t.db, arrow: gw.arrow }))).toEqual(brief(renamed));
    expect(gw.arrow.suggestions.matched).toBe(before);
  });

  it('a new Arrow customer: only its name is matched', async () => {
    gw.sim.fixture.customers.push({ ...gw.sim.fixture.customers[5]!, Reference: 'XSP500099', CompanyName: 'Company 4 Holding' });
    await gw.arrow.invalidate();
    const before = gw.arrow.suggestions.matched;
    const answer = await ask({ db: gw.t.db, arrow: gw.arrow });
    expect(brief(answer)).toContainEqual(['XSP500099', 'Company 4', 18 / 26]);
    expect(gw.arrow.suggestions.matched).toBe(before + 1);
  });
});

/**
 * Arrow's listing of many pages is matched as its pages come, not after its last one: the same
 * suggestions as when every name is matched at once, each name matched once.
 */
describe('customer suggestions for a listing of many pages', () => {
  const fixture = generateFixture({ seed: 3, customers: 650, licenses: 0 });
  let sim: RunningSimulator;
  let t: TestDatabase;
  beforeAll(async () => {
    sim = await startArrowSimulator(fixture);
    t = await createTestDatabase('pglite');
    // Waldur customers named like some Arrow customers, and some mapped already
    await t.db.prisma.waldurCustomer.createMany({ data: fixture.customers.filter((_, i) => i % 3 === 0).map((c, i) => ({ uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `${c.CompanyName.split(' ')[0]} Holding`, abbreviation: '' })) });
    const settings = await t.db.prisma.arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: fixture.apiKey, exportTypeReference: 'EXP' } });
    await t.db.prisma.customerMapping.createMany({ data: fixture.customers.slice(0, 40).map((c, i) => ({ settingsUuid: settings.uuid, arrowReference: c.Reference, arrowCompanyName: c.CompanyName, waldurCustomerUuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, isActive: i % 2 === 0 })) });
  });
  afterAll(async () => {
    await t.drop();
    await sim.close();
  });

  it('matches each page as it comes, with the answer of one matching of all names', async () => {
    const batches: number[] = [];
    const arrow = new ArrowSource({ timeoutMs: 3000, retries: 0, maxInFlight: 8, cacheTtlMs: 60_000, onMatched: (n) => batches.push(n) });
    const paged = await availableCustomers(t.db.prisma, arrow);
    expect(sim.stats()).toMatchObject({ customers: 7 });
    // the 630 customers no active mapping covers, a page at a time (the first page less its 20)
    expect(paged.arrowCustomers).toHaveLength(630);
    expect(batches).toHaveLength(7);
    expect(new Set(paged.arrowCustomers.map((c) => c.companyName)).size).toBe(batches.reduce((a, b) => a + b));
    expect(paged.suggestions.filter((s) => s.suggestedWaldurCustomer).length).toBeGreaterThan(100);
    // the same listing, kept: matched in one go by a source that never matched any
    const once = new ArrowSource({ timeoutMs: 3000, retries: 0, maxInFlight: 8, cacheTtlMs: 60_000, onMatched: (n) => batches.push(n) });
    await once.customers({ uuid: paged.settings.uuid, apiUrl: sim.apiUrl, apiKey: fixture.apiKey });
    batches.length = 0;
    expect(brief(await availableCustomers(t.db.prisma, once))).toEqual(brief(paged));
    expect(batches).toHaveLength(1);
  });
});

describe.each(databaseKinds)('the Waldur customers the suggestions take (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.drop());

  it("are Prisma's rows in name order, ties by uuid: case, umlauts, spaces, the same name twice", async () => {
    const names = ['alpha', 'Alpha', 'Ärger AG', 'Arger AG', 'zeta', 'Zeta GmbH', ' leading space', 'Same', 'Same', 'Ωmega', ''];
    await t.db.prisma.waldurCustomer.createMany({ data: names.map((name, i) => ({ uuid: `00000000-0000-4000-8000-${String(names.length - i).padStart(12, '0')}`, name, abbreviation: i % 2 ? `A${i}` : '' })) });
    const prismaRows = await t.db.prisma.waldurCustomer.findMany({ select: { uuid: true, name: true, abbreviation: true }, orderBy: [{ name: 'asc' }, { uuid: 'asc' }] });
    expect(await waldurCustomersByName(t.db.prisma)).toStrictEqual(prismaRows);
    await t.db.prisma.waldurCustomer.deleteMany();
    expect(await waldurCustomersByName(t.db.prisma)).toStrictEqual([]);
  });
});
