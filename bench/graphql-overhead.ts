/**
 * The bench's GraphQL overhead: the mappings screen's data through Yoga + Pothos, and by the same
 * domain and Prisma calls made directly, timed alternately in one process.
 *
 * `npm run bench` runs this file as its own child process over the bench's database, as the
 * gateway itself would run: the bench's process holds the generated dataset, both simulators and
 * the matcher's ten million pairs, and a heap that size makes each garbage collection cost several
 * times what it does in the gateway, on whichever side it lands. bench/profile-screen.ts uses the
 * same two paths for its CPU profiles.
 */
import { pathToFileURL } from 'node:url';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/database.js';
import { ArrowSource } from '../src/domain/arrow-source.js';
import { createGateway } from '../src/server.js';
import { viewerFrom } from '../src/graphql/context.js';
import { listMappings } from '../src/domain/mappings.js';
import { billingSummaries } from '../src/domain/billing-summary.js';
import { discoverLicenses } from '../src/domain/licenses.js';
import { fetchArrowData } from '../src/domain/arrow-data.js';
import { resourcesOfCustomers } from '../src/domain/resources.js';
import { FULL_SCREEN_QUERY } from '../src/graphql/screen-query.js';
import { WaldurClient } from '../src/waldur/client.js';

export interface ScreenTwoWays {
  /** The screen query through the gateway's Yoga in-process; its answer's text, as sent. */
  viaGraphQL(): Promise<string>;
  /** The same domain and Prisma calls, made directly: the caller's token first, as every request does. */
  direct(): Promise<unknown>;
}

export function screenTwoWays(options: { db: Database; arrow: ArrowSource; waldur: WaldurClient; authorization: string; first: number; period: string }): ScreenTwoWays {
  const { db, arrow, waldur, authorization, first, period } = options;
  const { yoga } = createGateway({ db, arrow, waldur });
  const body = JSON.stringify({ query: FULL_SCREEN_QUERY, variables: { first, period } });
  return {
    async viaGraphQL() {
      const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
      return res.text(); // the answer as sent; parsing it is the client's cost, not the gateway's
    },
    async direct() {
      if (!(await viewerFrom(db.prisma, authorization))?.isStaff) throw new Error('the bench token is not staff');
      const { items } = await listMappings(db.prisma, {}, { offset: 0, limit: first });
      const resources = resourcesOfCustomers(db.prisma, items.map((m) => m.waldurCustomerUuid));
      const settingsRows = db.prisma.arrowSettings.findMany({ where: { uuid: { in: [...new Set(items.map((m) => m.settingsUuid))] } } }).then((r) => new Map(r.map((s) => [s.uuid, s])));
      const deps = { prisma: db.prisma, arrow, waldur, reads: { resourcesOfCustomers: () => resources, settings: () => settingsRows } };
      return Promise.all([resources, settingsRows, billingSummaries(db.prisma, items), discoverLicenses(deps, items), fetchArrowData(deps, items, period, 'SYNCED')]);
    },
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The q-quantile of latencies already sorted ascending (0 when there are none). */
export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** The screen answered whole: no errors, Arrow asked and answering for every mapping. */
export function checkScreen(text: string) {
  const answer = JSON.parse(text) as { errors?: unknown[]; data?: { customerMappings: { edges: { node: { licenseDiscoveryError: string | null } }[] } } };
  const failed = answer.data?.customerMappings.edges.find((e) => e.node.licenseDiscoveryError);
  if (answer.errors || failed) throw new Error(`the screen did not answer whole: ${JSON.stringify(answer.errors ?? failed).slice(0, 500)}`);
}

/** Warm-up (Arrow's listings into the cache, the code optimised), then `runs` of each way, alternately. */
export async function timeBothWays(ways: ScreenTwoWays, runs: number, warmUps = 5) {
  checkScreen(await ways.viaGraphQL());
  for (let i = 0; i < warmUps; i++) {
    await ways.direct();
    await ways.viaGraphQL();
  }
  const directMs: number[] = [];
  const graphqlMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, into] of [[ways.direct, directMs], [ways.viaGraphQL, graphqlMs]] as const) {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  }
  return { directMs: median(directMs), graphqlMs: median(graphqlMs) };
}

export interface OverheadRun {
  dataDir: string;
  waldurApiUrl: string;
  waldurToken: string;
  authorization: string;
  first: number;
  period: string;
  runs: number;
}

// as a child process: the run's options as JSON in argv, the two medians as JSON on stdout
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = JSON.parse(process.argv[2]!) as OverheadRun;
  const db = await openDatabase({ dataDir: run.dataDir });
  const arrow = new ArrowSource({ timeoutMs: 30_000, retries: 0, maxInFlight: 8, cacheTtlMs: 600_000 });
  const waldur = new WaldurClient({ apiUrl: run.waldurApiUrl, token: run.waldurToken, timeoutMs: 60_000 });
  const result = await timeBothWays(screenTwoWays({ db, arrow, waldur, authorization: run.authorization, first: run.first, period: run.period }), run.runs);
  await db.close();
  process.stdout.write(JSON.stringify(result));
}
