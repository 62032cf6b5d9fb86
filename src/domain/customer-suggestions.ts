import crypto from 'node:crypto';
import { Matching, namePool, threadsFor, type NamePool } from '../matching/match-workers.js';
import type { Prisma } from '../db/database.js';
import type { SharedCache } from './shared-cache.js';

/** A Waldur customer is suggested for an Arrow customer only above this similarity. */
export const CUSTOMER_MATCH_THRESHOLD = 0.5;

export interface WaldurCustomerSummary {
  uuid: string;
  name: string;
  abbreviation: string;
}

export interface CustomerMatch {
  customer: WaldurCustomerSummary;
  confidence: number;
}

/**
 * Every Waldur customer in name order, as the suggestions take them: one JSON text, as 50,000 rows
 * handed over one value at a time took Prisma half a second.
 */
export async function waldurCustomersByName(prisma: Prisma): Promise<WaldurCustomerSummary[]> {
  const [found] = await prisma.$queryRaw<{ customers: string | null }[]>`
    SELECT json_agg(json_build_array(uuid, name, abbreviation) ORDER BY name, uuid)::text AS customers FROM waldur_customers`;
  return (JSON.parse(found?.customers ?? '[]') as [string, string, string][]).map(([uuid, name, abbreviation]) => ({ uuid, name, abbreviation }));
}

/** How long a set of Waldur customers' matches are kept in the shared cache after their last write. */
const SHARED_TTL_MS = 24 * 3600_000;

/**
 * The best Waldur customer for Arrow company names, remembered per set of Waldur customers. A
 * name's match depends only on the name and on the Waldur customers in their order (ties keep
 * the first), so the memo is keyed by a hash of those customers: exact by construction, it is
 * used until a Waldur customer is added, renamed or removed, and a new Arrow customer costs only
 * its own match. With a shared cache (Redis), replicas share the matches too: one replica's work
 * serves all.
 */
export class CustomerSuggestions {
  /** Per Waldur customers' hash (the last two): the pool (for a few names matched here) and each name's match. */
  private readonly memo = new Map<string, { pool?: NamePool; matches: Map<string, [string | null, number]> }>();
  /** Names matched in full by this process (the others came from a memo): tests and metrics. */
  matched = 0;

  constructor(
    private readonly shared?: SharedCache,
    private readonly onMatched?: (names: number) => void,
  ) {}

  /** For each name, its best Waldur customer above the threshold, or null. `waldurCustomers` in name order. */
  async best(names: readonly string[], waldurCustomers: WaldurCustomerSummary[]): Promise<Map<string, CustomerMatch | null>> {
    const suggester = this.for(waldurCustomers, names.length);
    try {
      return await suggester.best(names);
    } finally {
      suggester.close();
    }
  }

  /**
   * Matches against these Waldur customers (in name order) for names that come a batch at a time,
   * about `expectedNames` in all (the threads a large matching takes start with the first batch
   * that needs matching, and serve the later ones); close it when done.
   */
  for(waldurCustomers: WaldurCustomerSummary[], expectedNames: number): Suggester {
    const key = hashOf(waldurCustomers);
    let memo = this.memo.get(key);
    if (!memo) {
      memo = { matches: new Map() };
      this.memo.set(key, memo);
      while (this.memo.size > 2) this.memo.delete(this.memo.keys().next().value!);
    }
    const known = memo;
    const waldurNames = waldurCustomers.map((c) => c.name);
    let byUuid: Map<string, WaldurCustomerSummary> | undefined;
    let matching: Matching | undefined;
    return {
      best: async (names) => {
        const distinct = [...new Set(names)];
        let missing = distinct.filter((n) => !known.matches.has(n));
        if (missing.length && this.shared) {
          const found = await this.shared.getFields(`suggestions|${key}`, missing);
          missing.forEach((name, i) => found[i] !== null && known.matches.set(name, JSON.parse(found[i]!) as [string | null, number]));
          missing = missing.filter((n) => !known.matches.has(n));
        }
        if (missing.length) {
          matching ??= new Matching(waldurNames, CUSTOMER_MATCH_THRESHOLD, {
            workers: threadsFor(Math.max(expectedNames, missing.length), waldurNames.length),
            pool: () => (known.pool ??= namePool(waldurNames)),
          });
          const found = await matching.match(missing);
          const fresh: [string, string][] = [];
          missing.forEach((name, i) => {
            const [at, confidence] = found[i]!;
            const entry: [string | null, number] = at < 0 ? [null, 0] : [waldurCustomers[at]!.uuid, confidence];
            known.matches.set(name, entry);
            fresh.push([name, JSON.stringify(entry)]);
          });
          this.matched += missing.length;
          this.onMatched?.(missing.length);
          await this.shared?.setFields(`suggestions|${key}`, fresh, SHARED_TTL_MS);
        }
        byUuid ??= new Map(waldurCustomers.map((c) => [c.uuid, c]));
        return new Map(
          distinct.map((name) => {
            const [uuid, confidence] = known.matches.get(name)!;
            return [name, uuid === null ? null : { customer: byUuid!.get(uuid)!, confidence }];
          }),
        );
      },
      close: () => matching?.close(),
    };
  }
}

/** Matches against one set of Waldur customers, batch by batch (see CustomerSuggestions.for). */
export interface Suggester {
  best(names: readonly string[]): Promise<Map<string, CustomerMatch | null>>;
  close(): void;
}

function hashOf(customers: WaldurCustomerSummary[]): string {
  const h = crypto.createHash('sha256');
  for (const c of customers) h.update(`${c.uuid}\u0000${c.name}\u0001`);
  return h.digest('hex').slice(0, 32);
}
