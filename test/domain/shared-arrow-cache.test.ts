import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { redisSharedCache, type SharedCache } from '../../src/domain/shared-cache.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import { companiesFixture } from '../support/seed.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every machine here runs Redis; elsewhere these tests say so and are skipped. */
const redisUp = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = net.connect(Number(port || 6379), hostname, () => (socket.end(), resolve(true)));
  socket.on('error', () => resolve(false));
});

/** Two replicas' Arrow caches sharing one Redis (REDIS_URL): one fetch serves both, a drop by one is a drop for both. */
describe.runIf(redisUp)('the Arrow cache shared by replicas through Redis', () => {
  let sim: RunningSimulator;
  let caches: SharedCache[];
  let a: ArrowSource;
  let b: ArrowSource;
  const settings = () => ({ uuid: '11111111-1111-4111-8111-111111111111', apiUrl: sim.apiUrl, apiKey: 'test-key' });
  const requests = () => Object.values(sim.stats()).reduce((x, y) => x + y, 0);

  beforeAll(async () => {
    sim = await startArrowSimulator(companiesFixture(3, '2026-10'));
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await Promise.all((caches ?? []).map((c) => c.close()));
    // a namespace of its own: test files and runs never see each other's keys
    const namespace = `gateway-test:${crypto.randomUUID()}:`;
    caches = [redisSharedCache(REDIS_URL, namespace), redisSharedCache(REDIS_URL, namespace)];
    const replica = (shared: SharedCache) => new ArrowSource({ timeoutMs: 3000, retries: 0, maxInFlight: 8, cacheTtlMs: 60_000, shared });
    [a, b] = [replica(caches[0]!), replica(caches[1]!)];
    sim.resetStats();
  });
  afterAll(async () => Promise.all(caches.map((c) => c.close())));

  it('one Arrow fetch serves both replicas', async () => {
    const first = await a.customers(settings());
    const asked = requests();
    expect(asked).toBeGreaterThan(0);
    expect(await b.customers(settings())).toEqual(first);
    expect(requests()).toBe(asked);
  });

  it('replicas asking at once make one Arrow request between them', async () => {
    const [x, y] = await Promise.all([a.licensesOf(settings(), ['XSP500001']), b.licensesOf(settings(), ['XSP500001'])]);
    expect(x.items).toEqual(y.items);
    expect(x.items.map((l) => l.licenseReference).sort()).toEqual(['XSP700010', 'XSP700011']);
    expect(sim.stats()).toEqual({ customerLicenses: 1 });
  });

  it('a drop by one replica is a drop for the other: its next read asks Arrow again', async () => {
    await a.customers(settings());
    const asked = requests();
    sim.fixture.customers[0]!.CompanyName = 'Renamed in Arrow';
    await a.invalidate(settings().uuid);
    expect((await b.customers(settings())).find((c) => c.reference === 'XSP500000')!.companyName).toBe('Renamed in Arrow');
    expect(requests()).toBeGreaterThan(asked);
  });
});
