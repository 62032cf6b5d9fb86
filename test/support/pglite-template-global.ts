import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrate.js';

/**
 * One migrated, empty embedded database for the whole run, as a tar file the tests' PGlite
 * databases start from (test/support/db.ts): creating an empty PGlite database runs initdb, 2.3 s
 * of CPU each time, and the suite creates hundreds.
 */
export async function setup() {
  const db = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(db);
  const dump = await db.dumpDataDir!();
  await db.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.PGLITE_TEMPLATE = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
