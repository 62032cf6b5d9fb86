import type { Prisma } from './database.js';

/**
 * The query planner's statistics, kept up to date by the gateway after its bulk writes.
 *
 * PGlite runs no autovacuum, so a table filled by the first Waldur sync or a consumption sync
 * was never analysed: the planner then guessed the mappings screen's joins into hash joins over
 * every resource (47 ms where the indexes answer in 2 ms, measured on the large bench). PostgreSQL's
 * autovacuum would come to it within a minute or so; asking at once costs it nothing more.
 *
 * A table is analysed when the rows just written are more than autovacuum's own threshold
 * (50 rows plus a tenth of the table as last analysed), so a quiet sync costs one small read.
 */
export type PlannedTable = 'waldur_customers' | 'projects' | 'offerings' | 'resources' | 'orders' | 'consumption_records' | 'billing_syncs' | 'billing_sync_items';

export async function refreshPlannerStatistics(prisma: Prisma, written: Partial<Record<PlannedTable, number>>): Promise<PlannedTable[]> {
  const tables = (Object.entries(written) as [PlannedTable, number][]).filter(([, rows]) => rows > 50).map(([t]) => t);
  if (!tables.length) return [];
  const known = await prisma.$queryRaw<{ table: PlannedTable; rows: number }[]>`
    SELECT relname AS table, greatest(reltuples, 0)::float8 AS rows FROM pg_class
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname = ANY(${tables}::text[])`;
  const stale = tables.filter((t) => (written[t] ?? 0) > 50 + 0.1 * (known.find((k) => k.table === t)?.rows ?? 0));
  // one table at a time: PGlite's one session is held for each table's ANALYZE only
  for (const table of stale) await prisma.$executeRawUnsafe(`ANALYZE "${table}"`);
  return stale;
}

/**
 * Analyses the tables the planner has no statistics for yet (a database from before the gateway
 * kept them, or just migrated): at start, so the first screens are planned on real numbers.
 */
export async function analyseUnplannedTables(prisma: Prisma): Promise<string[]> {
  const never = await prisma.$queryRaw<{ table: string }[]>`
    SELECT relname AS table FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples < 0 ORDER BY relname`;
  for (const { table } of never) await prisma.$executeRawUnsafe(`ANALYZE "${table.replace(/"/g, '""')}"`);
  return never.map((t) => t.table);
}
