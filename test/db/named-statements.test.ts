import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/db.js';
import { openDatabase, statementNames, type Database } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrate.js';

/**
 * On PostgreSQL a statement that repeats is named, so each connection parses it once; one whose
 * text changes with a list's length is not (it would leave a prepared statement per length on
 * every connection), and `?pgbouncer=true` turns naming off.
 */
describe('statement names', () => {
  const name = statementNames('postgresql://u@h/db')!;

  it('gives one name per repeated text, and none to parameter lists', () => {
    const single = { sql: 'SELECT "t0"."uuid" FROM "public"."projects" AS "t0" WHERE "t0"."uuid" = $1 LIMIT $2', args: ['x', 1] };
    expect(name(single)).toMatch(/^gw_[0-9a-f]{24}$/);
    expect(name({ ...single })).toBe(name(single));
    expect(name({ sql: single.sql.replace('LIMIT', 'OFFSET'), args: single.args })).not.toBe(name(single));
    expect(name({ sql: 'SELECT 1 FROM projects WHERE uuid IN ($1,$2,$3)', args: ['a', 'b', 'c'] })).toBeUndefined();
    expect(name({ sql: 'UPDATE r SET n = v.n FROM (VALUES ($1::uuid, $2::text), ($3::uuid, $4::text)) v(u, n)', args: [1, 2, 3, 4] })).toBeUndefined();
    expect(name({ sql: 'SELECT $1', args: Array.from({ length: 17 }, () => 1) })).toBeUndefined();
  });

  it('names nothing behind a pooler in transaction mode', () => {
    expect(statementNames('postgresql://u@h/db?pgbouncer=true')).toBeUndefined();
    // a URL that does not parse is pg's to refuse, not a TypeError carrying the URL from here
    expect(() => statementNames('postgresql://u:secret@h:notaport/db')).not.toThrow();
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('named statements on PostgreSQL', () => {
  let pgdb: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const opened: Database[] = [];
  const open = async (url: string) => {
    const db = await openDatabase({ databaseUrl: url, dataDir: 'unused' });
    opened.push(db);
    return db;
  };
  /** The statements prepared on the connection that answers (the pool hands back the one used last). */
  const prepared = async (db: Database) => (await db.prisma.$queryRaw<{ statement: string }[]>`SELECT statement FROM pg_prepared_statements`).map((r) => r.statement);
  beforeAll(async () => {
    pgdb = await createPostgresDatabase();
    await applyMigrations(await open(pgdb.url));
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await pgdb?.drop();
  });

  it('keeps a repeated statement parsed on its connection and answers it the same', async () => {
    const db = opened[0]!;
    await db.prisma.arrowSettings.create({ data: { apiUrl: 'https://arrow.example/', apiKey: 'k', exportTypeReference: 'E' } });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await db.prisma.arrowSettings.findMany({ where: { isActive: true } }));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toHaveLength(1);
    const statements = await prepared(db);
    expect(statements.some((s) => s.includes('FROM "public"."arrow_settings"'))).toBe(true);
    // a list of parameters stays unnamed
    await db.prisma.arrowSettings.findMany({ where: { uuid: { in: [answers[0]![0]!.uuid, '00000000-0000-4000-8000-000000000000'] } } });
    expect((await prepared(db)).some((s) => /IN \(\$1,\s*\$2\)/.test(s))).toBe(false);
  });

  it('prepares nothing with ?pgbouncer=true', async () => {
    const url = new URL(pgdb.url);
    url.searchParams.set('pgbouncer', 'true');
    const db = await open(url.toString());
    for (let i = 0; i < 3; i++) await db.prisma.arrowSettings.findMany();
    expect(await prepared(db)).toEqual([]);
  });
});
