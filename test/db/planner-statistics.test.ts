import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/db.js';
import { analyseUnplannedTables, refreshPlannerStatistics } from '../../src/db/planner-statistics.js';
import { startWaldurSimulator } from '../../src/waldur-sim/server.js';
import { generateWaldurFixture } from '../../src/waldur-sim/generate.js';
import { generateFixture } from '../../src/arrow-sim/generate.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { syncFromWaldur } from '../../src/waldur/mirror.js';

/**
 * PGlite runs no autovacuum: the gateway analyses the tables its bulk writes filled, so the
 * planner uses the indexes rather than hash joins over every resource.
 */
describe.each(databaseKinds)('the planner statistics (%s)', (kind) => {
  let t: TestDatabase;
  const planned = async (table: string) =>
    Number((await t.db.prisma.$queryRawUnsafe<{ rows: number }[]>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = $1 AND relnamespace = 'public'::regnamespace`, table))[0]!.rows);
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.drop());

  it('a new database: every table analysed at start', async () => {
    const analysed = await analyseUnplannedTables(t.db.prisma);
    expect(analysed).toContain('resources');
    expect(await planned('resources')).toBe(0);
    expect(await analyseUnplannedTables(t.db.prisma)).toEqual([]); // nothing left
  });

  it("the first full Waldur sync leaves the mirror's tables analysed, with their real sizes; a quiet sync analyses nothing", async () => {
    const arrow = generateFixture({ seed: 3, customers: 40, licenses: 400, periods: ['2026-10'], apiKey: 'k' });
    const fixture = generateWaldurFixture({ arrow, customers: 120, resources: 480, linked: 20, token: 't'.repeat(40) });
    const sim = await startWaldurSimulator(fixture);
    try {
      const waldur = new WaldurClient({ apiUrl: sim.apiUrl, token: fixture.token, timeoutMs: 10_000 });
      await syncFromWaldur(t.db, waldur, { full: true });
      expect(await planned('resources')).toBe(480);
      expect(await planned('waldur_customers')).toBe(120);
      expect(await planned('projects')).toBe(120);
      const statements: string[] = [];
      const stop = t.db.onQuery((sql) => statements.push(sql));
      try {
        await syncFromWaldur(t.db, waldur, {});
      } finally {
        stop();
      }
      expect(statements.filter((s) => /ANALYZE|pg_class/.test(s))).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('analyses only what grew past autovacuum\'s threshold (50 rows and a tenth of the table)', async () => {
    expect(await refreshPlannerStatistics(t.db.prisma, { resources: 40 })).toEqual([]);
    expect(await refreshPlannerStatistics(t.db.prisma, { resources: 90 })).toEqual([]); // 50 + 48 of 480
    expect(await refreshPlannerStatistics(t.db.prisma, { resources: 99, projects: 70 })).toEqual(['resources', 'projects']);
  });
});
