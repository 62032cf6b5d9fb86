import { isDatabaseUnavailable } from './unavailable.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlSession } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** Any fixed number: every replica must use the same one. */
const MIGRATION_LOCK_KEY = 0x4172_726f_7757n;

export class MigrationError extends Error {}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations the way `prisma migrate deploy` would, keeping its
 * `_prisma_migrations` bookkeeping (checksum = sha256 of the file), so Prisma's CLI elsewhere
 * agrees with what was done here. Each migration runs in one transaction with its bookkeeping row.
 */
export async function applyMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  return db.withAdvisoryLock(MIGRATION_LOCK_KEY, async (sql) => {
    await ensureBookkeeping(sql);
    const rows = await sql.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
    const done: string[] = [];
    for (const m of migrations) {
      const row = applied.get(m.name);
      if (row) {
        if (!row.finished_at) {
          throw new MigrationError(`Migration ${m.file} started but never finished; resolve it by hand before starting`);
        }
        if (row.checksum !== m.checksum) {
          throw new MigrationError(`Migration ${m.file} was changed after it was applied; restore it or add a new migration`);
        }
        continue;
      }
      try {
        await sql.exec('BEGIN');
        await sql.exec(m.sql);
        await sql.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await sql.exec('COMMIT');
      } catch (err) {
        await sql.exec('ROLLBACK').catch(() => undefined);
        // the transaction died with its connection: nothing was applied, and a start tries again
        if (isDatabaseUnavailable(err)) throw err;
        throw new MigrationError(`Migration ${m.file} failed: ${(err as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  });
}

function readMigrations(dir: string) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'migration.sql')))
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      const sql = fs.readFileSync(file, 'utf8');
      return {
        name,
        file: path.relative(process.cwd(), file) || file,
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    });
}

async function ensureBookkeeping(sql: SqlSession) {
  await sql.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

/** Migrations in the folder that the database has not applied (for /readyz). */
export async function pendingMigrations(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return readMigrations(dir).map((m) => m.name).filter((name) => !applied.has(name));
}
