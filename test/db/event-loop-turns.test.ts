import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { inBackground } from '../../src/http/resilient.js';

/**
 * PGlite answers in the gateway's own thread, each answer a resolved promise: without a turn of
 * the event loop between statements, a request that arrives while a screen is computed is not
 * even read until the screen is sent, and waiting clients are then served in whatever order the
 * event loop reads their sockets.
 */
describe('the embedded database is shared fairly', () => {
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

  it('between statements asked for at once (a screen\'s batched loaders): the turn comes as each one runs', async () => {
    let finished = 0;
    let firedAfter = -1;
    const statements = Array.from({ length: 20 }, () =>
      db.prisma.$queryRawUnsafe('SELECT count(*) FROM generate_series(1, 100000)').then(() => finished++),
    );
    setTimeout(() => (firedAfter = finished), 15);
    await Promise.all(statements);
    expect(firedAfter).toBeGreaterThanOrEqual(0);
    expect(firedAfter).toBeLessThan(statements.length / 2);
  });

  it("lets statements someone waits for go before background work's (a flow, the Waldur sync)", async () => {
    const finished: string[] = [];
    const run = async (who: string, n: number) => {
      for (let i = 0; i < n; i++) {
        await db.prisma.$queryRaw`SELECT 1`;
        finished.push(who);
      }
    };
    const background = inBackground(() => run('background', 10));
    await run('foreground', 10);
    await background;
    // the background's first statement was under way before the foreground began; then it waits
    expect(finished.slice(0, finished.lastIndexOf('foreground')).filter((w) => w === 'background').length).toBeLessThanOrEqual(2);
  });
});
