import { describe, expect, it } from 'vitest';
import { faultSoak, mixSoak, startWorld } from '../../soak/scenarios.js';
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
