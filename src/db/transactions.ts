import { setTimeout as sleep } from 'node:timers/promises';
import { Prisma as P } from '../generated/prisma/client.js';
import type { Prisma, Transaction } from './database.js';

/** Attempts of a transaction PostgreSQL ended as a deadlock's victim or a serialization failure. */
const ATTEMPTS = 3;

/**
 * `prisma.$transaction(fn)`, run again when PostgreSQL ended it to break a deadlock or a
 * serialization failure (40P01, 40001: Prisma's P2034, "please retry your transaction"). Nothing of
 * the failed attempt stands, so `fn` runs afresh; it must touch nothing but the database.
 * A soak on PostgreSQL once answered a link 500: two writes mirroring the same two resources in
 * opposite orders, one of them the deadlock's victim.
 */
export async function transactionRetryingConflicts<T>(prisma: Prisma, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn);
    } catch (err) {
      if (attempt >= ATTEMPTS || !(err instanceof P.PrismaClientKnownRequestError && err.code === 'P2034')) throw err;
      // apart, so the two do not meet again at once
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}
