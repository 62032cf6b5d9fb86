import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { createPostgresDatabase, createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';
import { startProcess } from '../support/process.js';
import { startWaldurSimulator } from '../../src/waldur-sim/server.js';

const migrationNames = fs.readdirSync(MIGRATIONS_DIR).filter((d) => fs.existsSync(path.join(MIGRATIONS_DIR, d, 'migration.sql'))).sort();

function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe.each(databaseKinds)('applying migrations at start (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind, { migrate: false });
  });
  afterAll(() => t.drop());

  it('applies every migration once and records it as Prisma does', async () => {
    expect(await applyMigrations(t.db)).toEqual(migrationNames);
    const rows = await t.db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it('applies nothing on a restart', async () => {
    expect(await applyMigrations(t.db)).toEqual([]);
    const [{ n }] = await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(n)).toBe(migrationNames.length);
  });

  it('refuses to start when an applied migration file has changed, naming the file', async () => {
    const dir = copyMigrations();
    const file = path.join(dir, migrationNames[0]!, 'migration.sql');
    fs.appendFileSync(file, '\n-- edited after the fact\n');
    await expect(applyMigrations(t.db, dir)).rejects.toThrow(new RegExp(`${migrationNames[0]}/migration\\.sql was changed after it was applied`));
  });

  it('rolls back a failing migration completely and names it', async () => {
    const dir = copyMigrations();
    fs.mkdirSync(path.join(dir, '99999999999999_broken'));
    fs.writeFileSync(path.join(dir, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n');
    await expect(applyMigrations(t.db, dir)).rejects.toThrow(/99999999999999_broken\/migration\.sql failed/);
    const tables = await t.db.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toEqual([]);
    expect(await applyMigrations(t.db)).toEqual([]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('two gateways starting at once on one PostgreSQL', () => {
  it('both come up and the migrations are applied once', async () => {
    const pgdb = await createPostgresDatabase();
    // gateways sharing a database share one Waldur (each refuses to run its own beside another's)
    const waldur = await startWaldurSimulator({ token: 'w'.repeat(40), customers: [], projects: [], offerings: [], resources: [] });
    const env = { DATABASE_URL: pgdb.url, PORT: '0', DEMO_DATA: 'false', FLOW_INTERVAL_MINUTES: '0', LOG_LEVEL: 'warn', WALDUR_API_URL: waldur.apiUrl, WALDUR_API_TOKEN: waldur.token };
    const gateways = [startProcess('src/main.ts', [], env), startProcess('src/main.ts', [], env)];
    try {
      const bases = await Promise.all(gateways.map((g) => g.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000)));
      for (const [, base] of bases) expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const said = gateways.map((g) => g.output());
      expect(said.filter((o) => o.includes(`applied ${migrationNames.join(', ')}`))).toHaveLength(1);
      expect(said.filter((o) => o.includes('migrations up to date'))).toHaveLength(1);
      const db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' });
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM "_prisma_migrations" ORDER BY 1');
      await db.close();
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
      await waldur.close();
      await pgdb.drop();
    }
  });
});
