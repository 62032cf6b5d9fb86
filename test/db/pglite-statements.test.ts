import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * PGlite keeps the statements PostgreSQL's connections would keep parsed (statementNames' rules) as
 * named prepared statements, and answers them exactly as PGlite's own unnamed path does: rows, types,
 * errors, transactions, and a change of schema under a prepared statement.
 */
describe('statements kept prepared on PGlite', () => {
  let test: TestDatabase;
  const prepared = async () => (await test.db.prisma.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements`);
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
  });
  afterAll(() => test?.drop());

  it('prepares a repeated read once and answers it as the unnamed path does', async () => {
    const { prisma } = test.db;
    const made = await prisma.arrowSettings.create({ data: { apiUrl: 'https://arrow.example/', apiKey: 'k', exportTypeReference: 'E', partnerName: 'Arrow "EU" ✓' } });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await prisma.arrowSettings.findMany({ where: { isActive: true } }));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    // the same row through an IN list, which stays unnamed (its text changes with the list's length)
    const unnamed = await prisma.arrowSettings.findMany({ where: { uuid: { in: [made.uuid, '00000000-0000-4000-8000-000000000000'] } } });
    expect(answers[0]).toEqual(unnamed);
    expect(answers[0]![0]!.created).toBeInstanceOf(Date);
    const statements = await prepared();
    const settingsReads = statements.filter((s) => s.statement.includes('FROM "public"."arrow_settings"') && s.statement.includes('"is_active" = $1'));
    expect(settingsReads).toHaveLength(1);
    expect(settingsReads[0]!.name).toMatch(/^gw_\d+$/);
    expect(statements.some((s) => /IN \(\$1,\s*\$2\)/.test(s.statement))).toBe(false);
  });

  it('gives a prepared statement\'s error as PGlite would, every time, and the session goes on', async () => {
    const { prisma } = test.db;
    const existing = (await prisma.arrowSettings.findFirstOrThrow()).uuid;
    for (let i = 0; i < 3; i++) {
      const err = await prisma.arrowSettings.create({ data: { uuid: existing, apiUrl: 'https://arrow.example/', apiKey: 'k', exportTypeReference: 'E' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
      expect((err as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
    }
    expect(await prisma.arrowSettings.count()).toBe(1);
  });

  it('runs prepared statements inside a transaction, and a rollback undoes them', async () => {
    const { prisma } = test.db;
    const failed = await prisma
      .$transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.arrowSettings.updateMany({ where: { isActive: true }, data: { partnerName: `renamed ${i}` } });
        expect((await tx.arrowSettings.findFirstOrThrow({ where: { isActive: true } })).partnerName).toBe('renamed 2');
        throw new Error('changed my mind');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('changed my mind');
    expect((await prisma.arrowSettings.findFirstOrThrow()).partnerName).toBe('Arrow "EU" ✓');
    expect((await prepared()).some((s) => s.statement.startsWith('UPDATE "public"."arrow_settings"'))).toBe(true);
    await prisma.$transaction(async (tx) => void (await tx.arrowSettings.updateMany({ where: { isActive: true }, data: { partnerName: 'kept' } })));
    expect((await prisma.arrowSettings.findFirstOrThrow()).partnerName).toBe('kept');
  });

  it('prepares a statement again when a change of schema changes its result', async () => {
    const query = <T>(text: string, params?: unknown[]) => test.db.withAdvisoryLock(0n, (sql) => sql.query<T>(text, params));
    await query('CREATE TABLE probe (n int)');
    await query('INSERT INTO probe VALUES ($1)', [7]);
    for (let i = 0; i < 3; i++) expect(await query('SELECT * FROM probe WHERE n = $1', [7])).toEqual([{ n: 7 }]);
    await query('ALTER TABLE probe ADD COLUMN label text DEFAULT \'seven\'');
    expect(await query('SELECT * FROM probe WHERE n = $1', [7])).toEqual([{ n: 7, label: 'seven' }]);
    await query('DROP TABLE probe');
  });
});
