import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

/**
 * A database whose connections are all busy is busy, not unavailable: a query or a transaction
 * that waits a few seconds for one of the pool's ten connections is answered when one frees up,
 * never 503 "the database is unavailable" (the soak's 50 clients met that on a loaded machine).
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)('PostgreSQL with every pooled connection busy', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgresql');
  });
  afterAll(() => t?.drop());

  it('queues a query and a transaction behind statements longer than the connect timeout', async () => {
    const busy = Array.from({ length: 10 }, () => t.db.prisma.$queryRawUnsafe('SELECT pg_sleep(3.5)::text'));
    await new Promise((r) => setTimeout(r, 200)); // the ten connections are taken
    const started = performance.now();
    const [count, inTransaction] = await Promise.all([
      t.db.prisma.customerMapping.count(),
      t.db.prisma.$transaction(async (tx) => (await tx.arrowSettings.findMany()).length),
      ...busy,
    ]);
    expect(performance.now() - started).toBeGreaterThan(3000); // they did wait past 3 s
    expect(count).toBe(0);
    expect(inTransaction).toBe(0);
  }, 30_000);

  it('still says an unreachable server is unavailable', () => {
    expect(isDatabaseUnavailable(new Error('timeout expired'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated due to connection timeout'))).toBe(true);
  });
});
