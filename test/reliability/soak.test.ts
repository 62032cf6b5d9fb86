import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faultSoak, mixSoak, startWorld } from '../../soak/scenarios.js';
import { infrastructureSoak } from '../../soak/infrastructure.js';
import { createPostgresDatabase, databaseKinds } from '../support/db.js';

// Small versions of `npm run soak` (which runs 1,000 queries and 50 clients for 60 s).
describe('soak, small', () => {
  it('with Arrow at 20% errors, 10% 429s and 200 ms: no 5xx, every failed field typed, every answer within the bound', async () => {
    const world = await startWorld({ customers: 8, faults: { errorRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 1, latencyMs: 200 }, cacheTtlMs: 0, timeoutMs: 2000 });
    try {
      const r = await faultSoak(world, 60, 8, 5);
      expect(r.status5xx).toBe(0);
      expect(r.untypedFailures).toBe(0);
      expect(r.maxMs).toBeLessThan(r.boundMs);
      expect(r.failedFields + r.arrowDataErrors).toBeGreaterThan(0); // the faults did hit
    } finally {
      await world.close();
    }
  }, 180_000);

  it.each(databaseKinds)('50 clients mixing reads, links, imports, creates and deletes keep every invariant (%s)', async (kind) => {
    const pg = kind === 'postgresql' ? await createPostgresDatabase() : null;
    const world = await startWorld({ customers: 10, cacheTtlMs: 60_000, timeoutMs: 2000, databaseUrl: pg?.url });
    try {
      const r = await mixSoak(world, 50, 5);
      expect(r.serverErrors).toEqual([]);
      expect(r.status5xx).toBe(0);
      expect(r.violations).toEqual([]);
      expect(r.byOperation.import?.ok).toBeGreaterThan(0);
      expect(r.byOperation.import?.refused).toBeGreaterThan(0); // duplicates were tried and refused
      expect(r.byOperation.link?.ok).toBeGreaterThan(0);
      expect(r.byOperation.link?.refused).toBeGreaterThan(0); // other customers' licences, held ones without move
      expect(r.byOperation.unlink?.ok).toBeGreaterThan(0);
      expect(r.byOperation.create?.ok).toBeGreaterThan(0);
    } finally {
      await world.close();
      await pg?.drop();
    }
  }, 180_000);
});

describe.runIf(!!process.env.TEST_DATABASE_URL && fs.existsSync('/usr/bin/redis-server'))("soak's faults section, small", () => {
  it('a mixed workload through PostgreSQL going down and Redis pausing: the outage said as 503s, nothing else failing, recovered within seconds', async () => {
    const figures = await infrastructureSoak({ adminUrl: process.env.TEST_DATABASE_URL!, clients: 4, seconds: { steady: 1, outage: 2, pause: 2 } });
    expect(figures.map((f) => f.alive)).toEqual([true, true, true, true]);
    expect(figures.map((f) => f.otherErrors)).toEqual([0, 0, 0, 0]);
    const [steady, outage, pause, after] = figures;
    expect(steady!.unavailable + after!.unavailable + pause!.unavailable).toBe(0);
    expect(outage!.unavailable).toBeGreaterThan(0);
    expect(outage!.slowestMs).toBeLessThan(5000);
    expect(pause!.slowestMs).toBeLessThan(5000);
    expect(outage!.recoveredMs).not.toBeNull();
    expect(outage!.recoveredMs!).toBeLessThan(10_000);
    expect(after!.ok).toBe(after!.requests);
  }, 120_000);
});
