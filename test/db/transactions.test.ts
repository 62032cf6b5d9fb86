import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma as P } from '../../src/generated/prisma/client.js';
import { transactionRetryingConflicts } from '../../src/db/transactions.js';
import type { Transaction } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * Two transactions that lock the same two rows in opposite orders deadlock on PostgreSQL, which
 * ends one of them (P2034). transactionRetryingConflicts runs the victim again, so both complete.
 * (PGlite is one session: its transactions take turns and never deadlock.)
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)('transactions that deadlock (postgresql)', () => {
  let test: TestDatabase;
  let rows: string[];
  beforeAll(async () => {
    test = await createTestDatabase('postgresql');
    const { prisma } = test.db;
    rows = [];
    for (const name of ['a', 'b']) rows.push((await prisma.arrowSettings.create({ data: { apiUrl: 'https://arrow.example/', apiKey: 'k', partnerName: name } })).uuid);
  });
  afterAll(() => test?.drop());

  /** Each locks its first row, waits until the other has locked its own, then writes the other's. */
  const crossing = () => {
    let arrived = 0;
    let bothThere!: () => void;
    const barrier = new Promise<void>((resolve) => (bothThere = resolve));
    let attempts = 0;
    const writer = (first: string, second: string, name: string) => async (tx: Transaction) => {
      attempts++;
      await tx.$queryRaw`SELECT uuid FROM arrow_settings WHERE uuid = ${first}::uuid FOR UPDATE`;
      if (++arrived === 2) bothThere();
      await barrier;
      await tx.arrowSettings.update({ where: { uuid: second }, data: { partnerName: name } });
      return name;
    };
    return { writer, attempts: () => attempts };
  };

  it('deadlocks without a retry: PostgreSQL ends one of the two (P2034)', async () => {
    const { writer } = crossing();
    const results = await Promise.allSettled([test.db.prisma.$transaction(writer(rows[0]!, rows[1]!, 'one')), test.db.prisma.$transaction(writer(rows[1]!, rows[0]!, 'two'))]);
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(P.PrismaClientKnownRequestError);
    expect((failed[0] as P.PrismaClientKnownRequestError).code).toBe('P2034');
  });

  it('completes both when the victim runs again, and nothing of its failed attempt stands', async () => {
    const { writer, attempts } = crossing();
    const results = await Promise.all([
      transactionRetryingConflicts(test.db.prisma, writer(rows[0]!, rows[1]!, 'one')),
      transactionRetryingConflicts(test.db.prisma, writer(rows[1]!, rows[0]!, 'two')),
    ]);
    expect(results).toEqual(['one', 'two']);
    expect(attempts()).toBe(3);
    const names = (await test.db.prisma.arrowSettings.findMany({ where: { uuid: { in: rows } } })).map((r) => [r.uuid, r.partnerName]);
    // each wrote the other's row: 'one' wrote b, 'two' wrote a
    expect(Object.fromEntries(names)).toEqual({ [rows[0]!]: 'two', [rows[1]!]: 'one' });
  });

  it('does not run again a transaction that failed otherwise', async () => {
    let attempts = 0;
    const err = await transactionRetryingConflicts(test.db.prisma, async (tx) => {
      attempts++;
      await tx.arrowSettings.create({ data: { uuid: rows[0]!, apiUrl: 'https://arrow.example/', apiKey: 'k' } });
    }).catch((e: unknown) => e);
    expect((err as P.PrismaClientKnownRequestError).code).toBe('P2002');
    expect(attempts).toBe(1);
  });
});
