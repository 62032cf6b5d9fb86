import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrate.js';

export type DatabaseKind = 'pglite' | 'postgresql';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL names a server. */
export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];

export interface TestDatabase {
  db: Database;
  /** For PostgreSQL: the URL of this test's own database. */
  url?: string;
  drop(): Promise<void>;
}

/** A PostgreSQL database of its own for one test file, dropped afterwards. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `gw_test_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Blob | undefined;

/**
 * The migrated, empty database this run's PGlite databases start from (made once, by
 * pglite-template-global.ts), or none outside the suite's run.
 */
export function migratedTemplate(): Blob | undefined {
  const file = process.env.PGLITE_TEMPLATE;
  if (!file || !fs.existsSync(file)) return undefined;
  return (template ??= new Blob([fs.readFileSync(file)]));
}

/** A fresh, migrated database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind, { migrate = true } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://', startFrom: migrate ? migratedTemplate() : undefined });
    // started from the template, this finds every migration applied (and would apply a newer one)
    if (migrate) await applyMigrations(db);
    return { db, drop: () => db.close() };
  }
  const pgdb = await createPostgresDatabase();
  const db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' });
  if (migrate) await applyMigrations(db);
  return {
    db,
    url: pgdb.url,
    async drop() {
      await db.close();
      await pgdb.drop();
    },
  };
}

/** Counts the SQL statements Prisma sends while fn runs. */
export async function countQueries<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const stop = db.onQuery((sql) => queries.push(sql));
  try {
    return { result: await fn(), queries };
  } finally {
    stop();
  }
}
