import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';

/**
 * PGlite answers in the gateway's own thread, each answer a resolved promise: without a turn of
 * the event loop between statements, a request that arrives while a screen is computed is not
 * even read until the screen is sent, and waiting clients are then served in whatever order the
 * event loop reads their sockets.
 */
describe('the embedded database lets the event loop turn', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => db.close());

  it('between statements run back to back: a timer due meanwhile fires within the run, not after it', async () => {
    let statements = 0;
    let firedAfter = -1;
    // PGlite's own session (what Prisma's adapter calls): its answers never wait on the event loop
    await db.withAdvisoryLock(1n, async (session) => {
      setTimeout(() => (firedAfter = statements), 0);
      const started = performance.now();
      while (performance.now() - started < 200) {
        await session.query('SELECT 1');
        statements++;
      }
    });
    expect(firedAfter).toBeGreaterThanOrEqual(0);
    expect(firedAfter).toBeLessThan(statements / 2); // within the first ~20 ms of 200
  });
});
