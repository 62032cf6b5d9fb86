/**
 * npm run bench [-- --size small|large|tiny]
 * Generates a dataset, runs the gateway (a child process, as deployed) against the ArrowSphere
 * simulator with added upstream latency, and prints a markdown table, also written to
 * bench/results/latest.md. Every figure comes from this one run, so ratios are fair.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { exitWithUsage, integerOption, parseCommandLine } from '../src/cli-args.js';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';
import { startArrowSimulator } from '../src/arrow-sim/server.js';
import { bestMatch, bestMatchAllPairs, candidates } from '../src/matching/best-match.js';
import { CUSTOMER_MATCH_THRESHOLD } from '../src/domain/customers.js';
import { FULL_SCREEN_QUERY, FULL_SCREEN_QUERY_LIVE } from '../src/graphql/screen-query.js';
import { periodOf } from '../src/domain/periods.js';
import { BENCH_API_KEY, SIZES, benchFixture, benchWaldur, seedMappings } from './dataset.js';
import { startWaldurSimulator } from '../src/waldur-sim/server.js';
import { WaldurClient } from '../src/waldur/client.js';
import { syncFromWaldur } from '../src/waldur/mirror.js';
import { measureConsoleRender } from './console-render.js';
import { gatewayNodeArgs, gatewayNodeEnv } from '../scripts/build-gateway.mjs';
import { runXlarge } from './xlarge.js';
import { metricOf, rssMbOf, startGatewayProcess as startSharedGatewayProcess } from './gateway-process.js';
import { hostileTable, hostileTraffic } from './hostile.js';
import { median, type OverheadRun } from './graphql-overhead.js';
import { readsBesideWrites, writeTargets, type ReadsBesideWrites } from './writes-beside-reads.js';
import { GATEWAY_DATABASE_QUERY, POSTGRAPHILE_QUERY, POSTGRAPHILE_VERSION, startPostGraphile } from './postgraphile.js';
import { generatedUuid } from '../src/waldur-sim/generate.js';

const USAGE = `Usage: npm run bench -- [--size small|large|tiny|xlarge] [--latency MS] [--out FILE]
  --size      small (default, about 2 min), large (about 5 min), tiny (the test suite's: every row, least data),
              or xlarge (ten times large: its syncs, screen and matcher only, bench/results/xlarge.md)
  --latency   milliseconds added to every Arrow answer (default 50)
  --out       where to write the results table (default bench/results/latest.md)`;
const { values } = parseCommandLine('bench', USAGE, { size: { type: 'string', default: 'small' }, latency: { type: 'string', default: '50' }, out: { type: 'string' } });
if (values.size !== 'small' && values.size !== 'large' && values.size !== 'tiny' && values.size !== 'xlarge') exitWithUsage('bench', USAGE, `--size is small, large, tiny or xlarge, not "${values.size}"`);
const size = SIZES[values.size as 'tiny' | 'small' | 'large'];
const latencyMs = (() => {
  try {
    return integerOption('--latency', values.latency, 0);
  } catch (err) {
    return exitWithUsage('bench', USAGE, (err as Error).message);
  }
})();
if (values.size === 'xlarge') {
  await runXlarge({ latencyMs, out: values.out ?? path.join(import.meta.dirname, 'results', 'xlarge.md') });
  process.exit(0);
}
const period = periodOf(new Date());
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const SCREEN_SIZE = 100;
const started = performance.now();
const log = (line: string) => process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0)} s]: ${line}\n`);

// --- dataset -------------------------------------------------------------------------------
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-'));
const fixture = benchFixture(size, period);
const sim = await startArrowSimulator(fixture, { faults: { latencyMs } });
const db = await openDatabase({ dataDir });
await applyMigrations(db);
const settings = await db.prisma.arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: BENCH_API_KEY, exportTypeReference: 'EXPORT-STD' } });
// Waldur's side is a Waldur simulator's; the mirror's first full sync and an idle incremental one are measured here
const WALDUR_TOKEN = 'bench-waldur-token-0123456789abcdef';
const bench = benchWaldur(size, fixture, WALDUR_TOKEN);
const { waldurNames, linked } = bench;
// what the writer of section 11 links, unlinks and imports: half on PGlite, the other half on PostgreSQL
const writerTargets = writeTargets(fixture, bench.waldur, size.mappings);
const WAITING_WALDUR_MS = 300;
const besideSeconds = values.size === 'tiny' ? 3 : 6;
/** Section 11 on one gateway: Waldur answers every request 300 ms late while it runs. */
const besideOn = async (gatewayBase: string, targets: typeof writerTargets) => {
  waldurSim.setFaults({ latencyMs: WAITING_WALDUR_MS });
  try {
    return await readsBesideWrites({ base: gatewayBase, headers, offering: generatedUuid('offering', 0), targets, seconds: besideSeconds });
  } finally {
    waldurSim.setFaults({});
  }
};
const waldurSim = await startWaldurSimulator(bench.waldur);
const waldurClient = new WaldurClient({ apiUrl: waldurSim.apiUrl, token: WALDUR_TOKEN, timeoutMs: 60_000 });
const waldurRequests = () => Object.values(waldurSim.stats()).reduce((a, b) => a + b, 0);
const syncOnce = async (full: boolean) => {
  waldurSim.resetStats();
  const t0 = performance.now();
  const result = await syncFromWaldur(db, waldurClient, { full });
  return { ms: performance.now() - t0, requests: waldurRequests(), byEndpoint: waldurSim.stats(), rows: Object.values(result.changes).reduce((a, c) => a + c.created + c.updated + c.deleted, 0) };
};
const firstSync = await syncOnce(true);
log(`first full Waldur sync: ${(firstSync.ms / 1000).toFixed(1)} s, ${firstSync.requests} requests, ${firstSync.rows} rows`);
const idleSync = await syncOnce(false);
log(`idle incremental Waldur sync: ${idleSync.ms.toFixed(0)} ms, ${idleSync.requests} requests, ${idleSync.rows} rows`);
await seedMappings(db.prisma, bench.mappings(settings.uuid));
await db.close();
log(`dataset: ${size.arrowCustomers} Arrow customers, ${size.licenses} licences, ${size.waldurCustomers} Waldur customers, ${size.resources} resources (${linked} linked), ${size.mappings} mappings`);

// --- the gateway, as its own process ---------------------------------------------------------
/** The gateway on this database (the bench's own by default) and the simulated Waldur. */
const startGatewayProcess = (database: { DATA_DIR?: string; DATABASE_URL?: string }) =>
  startSharedGatewayProcess({ DATA_DIR: dataDir, ...database, WALDUR_API_URL: waldurSim.apiUrl, WALDUR_API_TOKEN: WALDUR_TOKEN, ADMIN_TOKEN });
const gateway = await startGatewayProcess({ DATA_DIR: dataDir });
const child = gateway.child;
const base = gateway.base;

/** Peak resident memory of the gateway process per phase, sampled every 20 ms. */
let peak = 0;
const rssMb = () => rssMbOf(child.pid);
const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
const phase = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  peak = rssMb();
  const result = await fn();
  return [result, Math.max(peak, rssMb())];
};

const headers = { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}` };
const screenBody = JSON.stringify({ query: FULL_SCREEN_QUERY, variables: { first: SCREEN_SIZE, period } });
const liveScreenBody = JSON.stringify({ query: FULL_SCREEN_QUERY_LIVE, variables: { first: SCREEN_SIZE, period } });
const oneMappingBody = JSON.stringify({ query: FULL_SCREEN_QUERY, variables: { first: 1, period } });
/** `Cache-Control: no-cache` makes the gateway compute the answer rather than take it from its response cache. */
const computed = { ...headers, 'cache-control': 'no-cache' };
const gql = async (body: string, requestHeaders: Record<string, string> = computed) => {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: requestHeaders, body });
  const text = await res.text();
  const json = JSON.parse(text) as { errors?: unknown[]; data?: unknown };
  if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return { ...json, bytes: Buffer.byteLength(text) };
};
/** SQL statements a gateway has sent so far (its /metrics runs none). */
const sqlCount = (gatewayBase = base) => metricOf(gatewayBase, 'gateway_sql_statements_total');
const arrowCount = () => Object.values(sim.stats()).reduce((a, b) => a + b, 0);
const dropArrowCache = () => gql(JSON.stringify({ query: `mutation { updateArrowSettings(uuid: "${settings.uuid}", input: {}) { __typename } }` }));
const timed = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
};

const byEndpoint = (counts: Record<string, number>) => Object.entries(counts).map(([endpoint, n]) => `${endpoint} ${n}`).join(', ') || 'none';

async function measureRequest(body = screenBody, requestHeaders: Record<string, string> = computed) {
  const sql0 = await sqlCount();
  sim.resetStats();
  const { ms, value } = await timed(() => gql(body, requestHeaders));
  const sql = (await sqlCount()) - sql0 - 0; // /metrics itself runs no SQL
  return { ms, sql, arrow: arrowCount(), byEndpoint: sim.stats(), kB: value.bytes / 1000 };
}

// 0. this month's consumption sync, which the screen's consumption figures come from
sim.resetStats();
const consumptionSync = await timed(() =>
  gql(JSON.stringify({ query: `mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settings.uuid}") { ... on MutationRunConsumptionSyncSuccess { run { status created } } } }` })),
);
const consumptionSyncArrow = arrowCount();
log(`consumption sync: ${(consumptionSync.ms / 1000).toFixed(1)} s, ${consumptionSyncArrow} Arrow requests`);

// 1. the full screen
const [screen, screenPeak] = await phase(async () => {
  await dropArrowCache();
  const cold = await measureRequest();
  const warm = await measureRequest();
  // the same answer again, from the response cache (nothing was written in between)
  const cached = await measureRequest(screenBody, headers);
  await dropArrowCache();
  const liveCold = await measureRequest(liveScreenBody);
  const liveWarm = await measureRequest(liveScreenBody);
  await dropArrowCache();
  const oneCold = await measureRequest(oneMappingBody);
  const oneWarm = await measureRequest(oneMappingBody);
  const load = async (connections: number, requestHeaders: Record<string, string>) => {
    const r = await autocannon({ url: `${base}/graphql`, method: 'POST', headers: requestHeaders, body: screenBody, connections, duration: size.loadSeconds, timeout: 120 });
    if (r.non2xx || r.errors) throw new Error(`load run had ${r.non2xx} non-2xx and ${r.errors} errors`);
    return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average };
  };
  return {
    cold, warm, cached, liveCold, liveWarm, oneCold, oneWarm,
    one: await load(1, headers), sixteen: await load(16, headers),
    oneComputed: await load(1, computed), sixteenComputed: await load(16, computed),
  };
});
log('screen done');

// 2. the same screen the REST way
const M = `${base}/api/admin/arrow/customer-mappings`;
async function restScreen() {
  let trips = 0;
  const get = async (url: string) => {
    trips++;
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  };
  const { ms } = await timed(async () => {
    const list = (await get(`${M}/?page_size=${SCREEN_SIZE}`)) as { uuid: string }[];
    for (const m of list) {
      await get(`${M}/${m.uuid}/billing_summary/`);
      await get(`${M}/${m.uuid}/discover_licenses/`);
      await get(`${M}/${m.uuid}/fetch_arrow_data/?period=${period}`);
    }
  });
  return { ms, trips };
}
const [rest, restPeak] = await phase(async () => {
  // REST's fetch_arrow_data reads consumption live, so GraphQL does too here
  await dropArrowCache();
  const graphqlCold = (await measureRequest(liveScreenBody)).ms;
  await dropArrowCache();
  const restCold = await restScreen();
  const restWarm = await restScreen();
  const graphqlWarm = (await measureRequest(liveScreenBody)).ms;
  return { graphqlCold, graphqlWarm, restCold, restWarm };
});
log('REST done');

// 3. availableArrowCustomers, and the matchers on the same names
const [available, availablePeak] = await phase(async () => {
  // the first asks Arrow for its listing and matches every name; the second finds the matches remembered
  const query = JSON.stringify({ query: '{ availableArrowCustomers { ... on QueryAvailableArrowCustomersSuccess { result { suggestions { confidence } } } } }' });
  const first = await timed(() => gql(query));
  const again = await timed(() => gql(query));
  return { first: first.ms, again: again.ms, same: JSON.stringify(first.value.data) === JSON.stringify(again.value.data) };
});
log('availableArrowCustomers done');

// 8. the staff console: the mappings screen's 100 rows in headless Chromium, after its one answer
const [consoleRender, consolePeak] = await phase(() => measureConsoleRender(base, ADMIN_TOKEN, Math.min(SCREEN_SIZE, size.mappings)));
log(consoleRender ? `console: ${consoleRender.renderMs.toFixed(0)} ms to render after the answer` : 'console: skipped (no /usr/bin/chromium)');
// 9. hostile traffic: the eight attacks of issue 26 at once while a staff client reads the screen
const [hostile, hostilePeak] = await phase(() => hostileTraffic({ base, staffHeaders: { authorization: `Token ${ADMIN_TOKEN}` }, screenBody, settingsUuid: settings.uuid, seconds: values.size === 'tiny' ? 2 : 6, alive: () => child.exitCode === null }));
log(`hostile traffic: staff p99 ${hostile.staff.p99.toFixed(0)} ms, ${hostile.staff.errors} errors, peak RSS ${hostilePeak.toFixed(0)} MB, ${hostile.alive ? 'up' : 'DOWN'}`);
// 10. the month's billing lines onto Waldur's invoices (import_usage, then each customer's invoice read back)
const [invoicePush, invoicePushPeak] = await phase(async () => {
  await gql(JSON.stringify({ query: `mutation { updateArrowSettings(uuid: "${settings.uuid}", input: { waldurBilling: INVOICE_ITEMS }) { __typename } }` }));
  await gql(JSON.stringify({ query: `mutation { runBillingSync(period: "${period}", settingsUuid: "${settings.uuid}") { __typename } }` }));
  const before = waldurSim.stats();
  const pushQuery = JSON.stringify({ query: `mutation { runInvoicePush(period: "${period}", settingsUuid: "${settings.uuid}") { ... on MutationRunInvoicePushSuccess { run { status created failed } } } }` });
  const first = await timed(async () => (await (await fetch(`${base}/graphql`, { method: 'POST', headers: computed, body: pushQuery })).json()) as { data: { runInvoicePush: { run: { status: string; created: number; failed: number } } } });
  const firstStats = waldurSim.stats();
  const again = await timed(() => fetch(`${base}/graphql`, { method: 'POST', headers: computed, body: pushQuery }).then((r) => r.text()));
  const delta = (a: Record<string, number>, b: Record<string, number>, k: string) => (a[k] ?? 0) - (b[k] ?? 0);
  return {
    ms: first.ms,
    run: first.value.data.runInvoicePush.run,
    importUsage: delta(firstStats, before, 'importUsage'),
    invoiceReads: delta(firstStats, before, 'invoices'),
    againMs: again.ms,
    againRequests: delta(waldurSim.stats(), firstStats, 'importUsage') + delta(waldurSim.stats(), firstStats, 'invoices'),
  };
});
log(`invoice push: ${invoicePush.run.created} items in ${invoicePush.ms.toFixed(0)} ms, ${invoicePush.importUsage} import_usage and ${invoicePush.invoiceReads} invoice reads`);
// 11. reads beside writes that wait on a Waldur 300 ms away
const [beside, besidePeak] = await phase(() => besideOn(base, writerTargets.slice(0, Math.ceil(writerTargets.length / 2))));
log(`reads beside writes (PGlite): p99 ${beside.reads.p99.toFixed(0)} ms, max ${beside.reads.max.toFixed(0)} ms; ${beside.writes.n} writes`);
// 13. 16 clients read the screen while a licence is linked or unlinked every second and this month's consumption sync runs
// its own licence: section 11 leaves the first half's linked or imported. Arrow's cache is warm
// when the clock starts, as in section 1 (the screen computed once first: the earlier sections'
// "look again"s may have dropped it), and a cold screen costs Arrow's latency (section 1's cold
// column), which no write causes.
const busyWarmUp = await timed(() => gql(screenBody));
const [busy, busyPeak] = await phase(() => screenWhileWriting(writerTargets.at(-1)!));
log(`screen while others write: p99 ${busy.p99.toFixed(0)} ms, ${busy.rps.toFixed(1)} screens/s, computed ${busy.computed} times; ${busy.writes} writes (${busy.refused} refused), consumption sync ${busy.syncRan ? 'ran' : 'did not run'}`);
await gateway.stop();
clearInterval(sampler);

// 5. PostgreSQL beside PGlite: the same dataset and screen on the local server, one gateway process and two
const postgres = await postgresSide();
log(postgres ? 'PostgreSQL done' : 'PostgreSQL skipped');

/** The computed screen on a gateway process over PostgreSQL, then over two processes sharing it; null without a server. */
async function postgresSide() {
  const admin = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
  const name = `gw_bench_${process.pid}`;
  const server = new pg.Client({ connectionString: admin });
  try {
    await server.connect();
    await server.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    log(`PostgreSQL at ${new URL(admin).host}: ${(err as Error).message}`);
    return null;
  } finally {
    await server.end().catch(() => undefined);
  }
  const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
  const gateways: Awaited<ReturnType<typeof startGatewayProcess>>[] = [];
  try {
    const pgdb = await openDatabase({ databaseUrl: url, dataDir: 'unused' });
    await applyMigrations(pgdb);
    const pgSettings = await pgdb.prisma.arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: BENCH_API_KEY, exportTypeReference: 'EXPORT-STD' } });
    gateways.push(await startGatewayProcess({ DATABASE_URL: url })); // its first full sync fills the mirror
    await seedMappings(pgdb.prisma, bench.mappings(pgSettings.uuid));
    await pgdb.close();
    const ask = async (g: { base: string }, body: string) => {
      const res = await fetch(`${g.base}/graphql`, { method: 'POST', headers: computed, body });
      if (!res.ok) throw new Error(`PostgreSQL gateway answered ${res.status}`);
      await res.text();
    };
    await ask(gateways[0]!, JSON.stringify({ query: `mutation { runConsumptionSync(period: "${period}", settingsUuid: "${pgSettings.uuid}") { __typename } }` }));
    await ask(gateways[0]!, screenBody); // Arrow listings into its cache
    const warm = await timed(() => ask(gateways[0]!, screenBody));
    const one = await loadOn(gateways, 1);
    const sixteen = await loadOn(gateways, 16);
    gateways.push(await startGatewayProcess({ DATABASE_URL: url }));
    await ask(gateways[1]!, screenBody);
    const two = await loadOn(gateways, 16);
    const peer = await besidePostGraphile(url, gateways[0]!.base);
    log(peer.skipped ? `PostGraphile skipped: ${peer.skipped}` : 'PostGraphile done');
    const beside = await besideOn(gateways[0]!.base, writerTargets.slice(Math.ceil(writerTargets.length / 2), -1));
    log(`reads beside writes (PostgreSQL): p99 ${beside.reads.p99.toFixed(0)} ms, max ${beside.reads.max.toFixed(0)} ms; ${beside.writes.n} writes`);
    return { warmMs: warm.ms, one, sixteen, two, beside, peer };
  } finally {
    for (const g of gateways) await g.stop();
    const drop = new pg.Client({ connectionString: admin });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  }
}

/**
 * The screen's database fields from the gateway (computed, one process) and from PostGraphile on
 * the same PostgreSQL: one request each (the gateway's SQL statements counted), then 1 and 16 clients.
 */
async function besidePostGraphile(databaseUrl: string, gatewayBase: string) {
  const peer = await startPostGraphile(databaseUrl, { install: values.size !== 'tiny' });
  if ('skipped' in peer) return { skipped: peer.skipped };
  try {
    type Way = { url: string; headers: Record<string, string>; body: string };
    const ours: Way = { url: `${gatewayBase}/graphql`, headers: computed, body: JSON.stringify({ query: GATEWAY_DATABASE_QUERY, variables: { first: SCREEN_SIZE } }) };
    const theirs: Way = { url: peer.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { first: SCREEN_SIZE } }) };
    const resources = async (way: Way) => {
      const res = await fetch(way.url, { method: 'POST', headers: way.headers, body: way.body });
      const text = await res.text();
      if (!res.ok || text.includes('"errors"')) throw new Error(`${way.url} answered ${res.status}: ${text.slice(0, 300)}`);
      return { kB: Buffer.byteLength(text) / 1000, resources: (text.match(/"backendId"/g) ?? []).length };
    };
    const sql0 = await sqlCount(gatewayBase);
    const oursOnce = await resources(ours);
    const statements = (await sqlCount(gatewayBase)) - sql0;
    const theirsOnce = await resources(theirs);
    for (let i = 0; i < 5; i++) await Promise.all([resources(ours), resources(theirs)]); // both warm
    const load = async (way: Way, connections: number) => {
      const r = await autocannon({ url: way.url, method: 'POST', headers: way.headers, body: way.body, connections, duration: size.loadSeconds, timeout: 60 });
      if (r.non2xx || r.errors) throw new Error(`load run had ${r.non2xx} non-2xx and ${r.errors} errors`);
      return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average };
    };
    return {
      skipped: null,
      ours: { ...oursOnce, statements, one: await load(ours, 1), sixteen: await load(ours, 16) },
      theirs: { ...theirsOnce, one: await load(theirs, 1), sixteen: await load(theirs, 16) },
    };
  } finally {
    await peer.stop();
  }
}

/**
 * The screen as staff read it while others work (target 1 of issue 32): 16 clients, the response
 * cache allowed, while one client links or unlinks a licence every second and the month's
 * consumption sync runs (forced, so it writes). Each write drops the kept answers it changes.
 */
async function screenWhileWriting(target: (typeof writerTargets)[number]) {
  let writing = true;
  let writes = 0;
  let refused = 0;
  const writer = (async () => {
    for (let linked = false; writing; linked = !linked) {
      const t0 = performance.now();
      const query = linked
        ? `mutation { unlinkResource(mappingUuid: "${target.mapping}", resourceUuid: "${target.resource}") { __typename } }`
        : `mutation { linkResource(mappingUuid: "${target.mapping}", resourceUuid: "${target.resource}", licenseReference: "${target.link}") { __typename } }`;
      const answer = JSON.stringify((await gql(JSON.stringify({ query }))).data);
      if (answer.includes('Success')) writes++;
      else refused++;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t0))));
    }
  })();
  const computations = () => metricOf(base, 'gateway_response_cache_total{result="miss"}');
  const computed0 = await computations();
  const sync = gql(JSON.stringify({ query: `mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settings.uuid}", force: true) { __typename } }` })).then(() => true, () => false);
  try {
    const r = await autocannon({ url: `${base}/graphql`, method: 'POST', headers, body: screenBody, connections: 16, duration: size.loadSeconds, timeout: 120 });
    if (r.non2xx || r.errors) throw new Error(`load run had ${r.non2xx} non-2xx and ${r.errors} errors`);
    return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, writes, refused, computed: (await computations()) - computed0, syncRan: await sync };
  } finally {
    writing = false;
    await writer;
  }
}

/** The computed screen from `connections` clients spread over these gateways at once: p50, the worst p99, and screens/s in all. */
async function loadOn(gateways: { base: string }[], connections: number) {
  const runs = await Promise.all(
    gateways.map((g) => autocannon({ url: `${g.base}/graphql`, method: 'POST', headers: computed, body: screenBody, connections: Math.max(1, Math.round(connections / gateways.length)), duration: size.loadSeconds, timeout: 120 })),
  );
  for (const r of runs) if (r.non2xx || r.errors) throw new Error(`load run had ${r.non2xx} non-2xx and ${r.errors} errors`);
  return { p50: Math.max(...runs.map((r) => r.latency.p50)), p99: Math.max(...runs.map((r) => r.latency.p99)), rps: runs.reduce((a, r) => a + r.requests.average, 0) };
}

const arrowNames = fixture.customers.map((c) => c.CompanyName); // every Arrow customer against every Waldur customer
const sortedWaldur = waldurNames.map((name, index) => ({ name, index })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index));
const pool = candidates(sortedWaldur, (c) => [c.name]);
const pick = (m: { item: { index: number }; confidence: number } | null) => [m?.item.index ?? null, m?.confidence ?? 0] as const;
const pruned = await timed(async () => arrowNames.map((n) => pick(bestMatch(n, pool, CUSTOMER_MATCH_THRESHOLD))));
log(`pruned matcher: ${(pruned.ms / 1000).toFixed(2)} s`);
// all pairs and CPython on samples (the first names): the bench stays under five minutes
const allPairsNames = arrowNames.slice(0, size.allPairsSample);
const allPairs = await timed(async () => allPairsNames.map((n) => pick(bestMatchAllPairs(n, pool, CUSTOMER_MATCH_THRESHOLD))));
log(`all-pairs matcher: ${(allPairs.ms / 1000).toFixed(2)} s`);
const sample = arrowNames.slice(0, size.pythonSample);
const python = JSON.parse(
  execFileSync('python3', [path.join(import.meta.dirname, 'difflib_allpairs.py')], {
    input: JSON.stringify({ queries: sample, candidates: sortedWaldur.map((c) => c.name), threshold: CUSTOMER_MATCH_THRESHOLD }),
    maxBuffer: 64 * 1024 * 1024,
  }).toString(),
) as { suggestions: [number | null, number][]; seconds: number };
const pythonAsOurs = python.suggestions.map(([i, r]) => [i === null ? null : sortedWaldur[i]!.index, r] as const);
const same = (a: readonly (readonly [number | null, number])[], b: readonly (readonly [number | null, number])[]) => a.length === b.length && a.every((x, i) => x[0] === b[i]![0] && x[1] === b[i]![1]);
const prunedEqualsAllPairs = same(allPairs.value, pruned.value.slice(0, allPairsNames.length));
const pythonEqualsOurs = same(pythonAsOurs, pruned.value.slice(0, sample.length));
log(`CPython sample: ${python.seconds.toFixed(2)} s`);

// 4. GraphQL overhead: the same reads through the domain directly, and through Yoga, in a process of its own
const runs = values.size === 'large' ? 31 : values.size === 'tiny' ? 5 : 11;
const gatewayFlags = gatewayNodeArgs().filter((a) => a.startsWith('--'));
// Several processes, one after another: a process's ratio moves by ±0.05 with where its garbage
// collections happen to fall, how its code was optimised and what else the machine is doing,
// more than within one process, so the bench takes the median of three processes' ratios (the
// tiny bench, which only shows that every row is filled, one).
const OVERHEAD_PROCESSES = values.size === 'tiny' ? 1 : 3;
// spawned, not run synchronously: the Arrow simulator it warms its cache from lives in this process
const overheadRun = () =>
  new Promise<{ directMs: number; graphqlMs: number }>((resolve, reject) => {
    const options: OverheadRun = { dataDir, waldurApiUrl: waldurSim.apiUrl, waldurToken: WALDUR_TOKEN, authorization: headers.authorization, first: SCREEN_SIZE, period, runs };
    const child = spawn(process.execPath, [...process.execArgv, ...gatewayFlags, path.join(import.meta.dirname, 'graphql-overhead.ts'), JSON.stringify(options)], { env: { ...gatewayNodeEnv(), ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the GraphQL overhead run exited with ${code}`))));
  });
const overheads: { directMs: number; graphqlMs: number; ratio: number }[] = [];
for (let i = 0; i < OVERHEAD_PROCESSES; i++) {
  const o = await overheadRun();
  overheads.push({ ...o, ratio: o.graphqlMs / o.directMs });
  log(`GraphQL overhead, process ${i + 1}: ${o.directMs.toFixed(1)} ms directly, ${o.graphqlMs.toFixed(1)} ms through Yoga`);
}
const overheadRatio = median(overheads.map((o) => o.ratio));
await sim.close();
await waldurSim.close();
fs.rmSync(dataDir, { recursive: true, force: true });

// --- the table -------------------------------------------------------------------------------
function peerTable() {
  const peer = postgres?.peer;
  if (!postgres || !peer) return 'Skipped: no PostgreSQL server answered (set BENCH_POSTGRES_URL).';
  if (peer.skipped !== null) return `Skipped: ${peer.skipped}.`;
  const row = (who: string, w: NonNullable<typeof peer.theirs>, statements: string) =>
    `| ${who} | ${w.resources} | ${f0(w.kB)} | ${statements} | ${f0(w.one.p50)} / ${f0(w.one.p99)} | ${f1(w.one.rps)} | ${f0(w.sixteen.p50)} / ${f0(w.sixteen.p99)} | ${f1(w.sixteen.rps)} |`;
  return `| server | resources | response kB | SQL statements | 1 client p50 / p99 ms | requests/s | 16 clients p50 / p99 ms | requests/s |
|---|---|---|---|---|---|---|---|
${row('the gateway (one process, \`Cache-Control: no-cache\`)', peer.ours!, String(peer.ours!.statements))}
${row(`PostGraphile ${POSTGRAPHILE_VERSION} (Amber preset, its own process)`, peer.theirs!, '1 (by its design)')}

The gateway's query: \`customerMappings { waldurCustomer { projects } waldurResources { project offering } }\`;
PostGraphile's: \`allCustomerMappings { waldurCustomerByWaldurCustomerUuid { projectsByCustomerUuid { resourcesByProjectUuid { offeringByOfferingUuid } } } }\`,
the same rows (its resources nested under their projects).`;
}

function besideRow(database: string, r: ReadsBesideWrites) {
  return `| ${database} | ${r.reads.n} | ${f0(r.reads.p50)} | ${f0(r.reads.p99)} | ${f0(r.reads.max)} | ${r.writes.n} | ${f0(r.writes.p50)} | ${f0(r.writes.max)} | ${r.writes.failed} |`;
}
const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const pairs = arrowNames.length * waldurNames.length;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = `# Benchmark (${values.size})

Machine: ${cpu}, ${os.cpus().length} cores, ${f0(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 16)}Z.
Dataset: ${size.arrowCustomers} Arrow customers, ${size.licenses} licences, ${size.waldurCustomers} Waldur customers, ${size.resources} resources (${linked} linked), ${size.mappings} mappings.
Gateway: a separate process on the embedded database (PGlite); ArrowSphere simulator with ${latencyMs} ms added to every request.
Reproduce: \`npm run bench -- --size ${values.size}\`.

## 1. Full mappings screen (first ${SCREEN_SIZE} mappings, every nested field, one GraphQL request)

| clients | answered by | p50 ms | p99 ms | requests/s |
|---|---|---|---|---|
| 1 | the response cache (nothing written meanwhile) | ${f0(screen.one.p50)} | ${f0(screen.one.p99)} | ${f1(screen.one.rps)} |
| 16 | the response cache | ${f0(screen.sixteen.p50)} | ${f0(screen.sixteen.p99)} | ${f1(screen.sixteen.rps)} |
| 1 | computing it (\`Cache-Control: no-cache\`; Arrow cache warm) | ${f0(screen.oneComputed.p50)} | ${f0(screen.oneComputed.p99)} | ${f1(screen.oneComputed.rps)} |
| 16 | computing it | ${f0(screen.sixteenComputed.p50)} | ${f0(screen.sixteenComputed.p99)} | ${f1(screen.sixteenComputed.rps)} |

| per request | cold (Arrow cache empty) | warm, computed | warm, response cache | cold, \`consumption: LIVE\` | warm, \`consumption: LIVE\` |
|---|---|---|---|---|---|
| latency ms | ${f0(screen.cold.ms)} | ${f0(screen.warm.ms)} | ${f0(screen.cached.ms)} | ${f0(screen.liveCold.ms)} | ${f0(screen.liveWarm.ms)} |
| SQL statements | ${screen.cold.sql} | ${screen.warm.sql} | ${screen.cached.sql} | ${screen.liveCold.sql} | ${screen.liveWarm.sql} |
| Arrow requests | ${screen.cold.arrow} | ${screen.warm.arrow} | ${screen.cached.arrow} | ${screen.liveCold.arrow} | ${screen.liveWarm.arrow} |
| response kB | ${f0(screen.cold.kB)} | ${f0(screen.warm.kB)} | ${f0(screen.cached.kB)} | ${f0(screen.liveCold.kB)} | ${f0(screen.liveWarm.kB)} |

The response cache answers while nothing the screen shows was written (any write, by any replica, flow or
Waldur sync, moves the database's data version) and its Arrow data is within the Arrow cache's TTL.

Arrow is asked only about the page's customers. The cold screen's ${screen.cold.arrow} requests: ${byEndpoint(screen.cold.byEndpoint)}.
The same screen for 1 mapping: ${screen.oneCold.arrow} Arrow requests cold (${byEndpoint(screen.oneCold.byEndpoint)}), ${screen.oneWarm.arrow} warm;
${screen.oneCold.sql} SQL statements; ${f0(screen.oneCold.ms)} ms cold, ${f0(screen.oneWarm.ms)} ms warm.

The screen's consumption figures are this month's consumption records (the default, \`SYNCED\`); the
consumption sync that wrote them took ${f1(consumptionSync.ms / 1000)} s and ${consumptionSyncArrow} Arrow requests for ${linked} linked licences.
The load figures above are for the default screen.

## 2. The same screen the REST way (list, then billing_summary, discover_licenses and fetch_arrow_data per mapping; GraphQL with \`consumption: LIVE\`, as REST)

| | GraphQL | REST |
|---|---|---|
| HTTP round trips | 1 | ${rest.restCold.trips} |
| total ms, cold | ${f0(rest.graphqlCold)} | ${f0(rest.restCold.ms)} |
| total ms, warm | ${f0(rest.graphqlWarm)} | ${f0(rest.restWarm.ms)} |

## 3. Name matching: ${arrowNames.length} Arrow customers × ${waldurNames.length} Waldur customers (${(pairs / 1e6).toFixed(2)} M pairs)

| matcher | names | wall time s | same suggestions |
|---|---|---|---|
| gateway, \`availableArrowCustomers\` end to end, first (Arrow's listing fetched, every unmapped name matched) | ${arrowNames.length - size.mappings} × ${waldurNames.length} | ${f2(available.first / 1000)} | (same code as below) |
| the same again (matches remembered per Arrow name and set of Waldur customers; computed, not the response cache) | ${arrowNames.length - size.mappings} × ${waldurNames.length} | ${f2(available.again / 1000)} | ${available.same ? 'yes' : 'NO'} (vs the first answer) |
| ours, pruned exact | ${arrowNames.length} × ${waldurNames.length} | ${f2(pruned.ms / 1000)} | reference |
| ours, all pairs | ${allPairsNames.length} × ${waldurNames.length} | ${f2(allPairs.ms / 1000)}${allPairsNames.length < arrowNames.length ? ` (all: ~${f1((allPairs.ms * arrowNames.length) / allPairsNames.length / 1000)} extrapolated)` : ''} | ${prunedEqualsAllPairs ? 'yes' : 'NO'} (vs pruned, on these ${allPairsNames.length}) |
| CPython difflib, all pairs | ${sample.length} × ${waldurNames.length} | ${f2(python.seconds)} (all: ~${f1((python.seconds * arrowNames.length) / sample.length)} extrapolated) | ${pythonEqualsOurs ? 'yes' : 'NO'} (vs ours, on the sample) |

The pruned matcher is **×${f0((python.seconds * arrowNames.length) / sample.length / (pruned.ms / 1000))}** faster than CPython's difflib over all pairs (its time extrapolated from the sample).

## 4. GraphQL overhead (warm, median of ${runs} each, alternately, in ${OVERHEAD_PROCESSES} processes of their own, one after another, shaped like the gateway)

| the screen's data | ${overheads.map((_, i) => `process ${i + 1}, ms`).join(' | ')} |
|---|${overheads.map(() => '---|').join('')}
| the same domain and Prisma calls, directly (the caller's token looked up first, as every request does) | ${overheads.map((o) => f1(o.directMs)).join(' | ')} |
| through Yoga + Pothos (\`yoga.fetch\` in-process, the answer's text read) | ${overheads.map((o) => f1(o.graphqlMs)).join(' | ')} |
| ratio | ${overheads.map((o) => f2(o.ratio)).join(' | ')} |

GraphQL costs **×${f2(overheadRatio)}** the same calls made directly (the median of the processes' ratios).

## 5. The Waldur mirror (Waldur simulator in the bench process, no added latency)

| sync | wall time s | Waldur requests | rows written |
|---|---|---|---|
| first, full (${size.waldurCustomers} customers, ${size.resources} resources and their orders) | ${f1(firstSync.ms / 1000)} | ${firstSync.requests} (${byEndpoint(firstSync.byEndpoint)}) | ${firstSync.rows} |
| incremental, nothing changed | ${f2(idleSync.ms / 1000)} | ${idleSync.requests} (${byEndpoint(idleSync.byEndpoint)}) | ${idleSync.rows} |

## 6. Peak RSS of the gateway process

| during | MB |
|---|---|
| 1. screen (single and load runs) | ${f0(screenPeak)} |
| 2. REST way | ${f0(restPeak)} |
| 3. availableArrowCustomers | ${f0(availablePeak)} |
| 8. the console in a browser | ${f0(consolePeak)} |
| 9. hostile traffic | ${f0(hostilePeak)} |
| 10. invoice push | ${f0(invoicePushPeak)} |
| 11. reads beside writes | ${f0(besidePeak)} |
| 13. the screen while others write | ${f0(busyPeak)} |

## 7. PostgreSQL beside PGlite (the screen computed, \`Cache-Control: no-cache\`; Arrow cache warm)

${
  postgres
    ? `| database | gateway processes | one screen ms | 1 client p50 ms | 16 clients p50 / p99 ms | screens/s |
|---|---|---|---|---|---|
| PGlite (embedded) | 1 | ${f0(screen.warm.ms)} | ${f0(screen.oneComputed.p50)} | ${f0(screen.sixteenComputed.p50)} / ${f0(screen.sixteenComputed.p99)} | ${f1(screen.sixteenComputed.rps)} |
| PostgreSQL (\`DATABASE_URL\`, this machine's server) | 1 | ${f0(postgres.warmMs)} | ${f0(postgres.one.p50)} | ${f0(postgres.sixteen.p50)} / ${f0(postgres.sixteen.p99)} | ${f1(postgres.sixteen.rps)} |
| PostgreSQL | 2 (8 clients each) | | | ${f0(postgres.two.p50)} / ${f0(postgres.two.p99)} | ${f1(postgres.two.rps)} |

Two gateway processes on one PostgreSQL do ${f2(postgres.two.rps / postgres.sixteen.rps)}× the screens per second of one (on ${os.cpus().length} cores, shared with the simulators and the load generator).`
    : 'Skipped: no PostgreSQL server answered (set BENCH_POSTGRES_URL).'
}

## 8. The staff console (headless Chromium on this machine, median of 3 loads)

${
  consoleRender
    ? `| screen | GraphQL requests on load | answer arrived ms (from navigation) | rows rendered ms after the answer |
|---|---|---|---|
| mappings, ${SCREEN_SIZE} rows | ${consoleRender.requests} | ${f0(consoleRender.answerMs)} | ${f0(consoleRender.renderMs)} |`
    : 'Skipped: Debian\'s chromium is not installed (apt-get install chromium).'
}

## 9. Hostile traffic (the attacks of issue 26, each in a loop on loopback, while a staff client reads the screen)

${hostileTable(hostile, hostilePeak)}

## 10. Billing into Waldur: one month's lines onto the invoices (Waldur simulator in the bench process)

| push | items put on invoices | failed | ms | Waldur requests | peak RSS MB |
|---|---|---|---|---|---|
| first (\`runInvoicePush\`, ${period}) | ${invoicePush.run.created} | ${invoicePush.run.failed} | ${f0(invoicePush.ms)} | ${invoicePush.importUsage} import_usage + ${invoicePush.invoiceReads} invoice reads | ${f0(invoicePushPeak)} |
| again (everything already on invoices) | 0 | 0 | ${f0(invoicePush.againMs)} | ${invoicePush.againRequests} | |

## 11. Reads beside writes that wait on Waldur (Waldur simulator answering every request ${WAITING_WALDUR_MS} ms late)

One client reads \`{ viewer { username } customerMappings(first: 1) { totalCount } }\` in a loop for ${besideSeconds} s while another
links, unlinks and imports licences one after the other (each write several Waldur round trips).

| database | reads | read p50 ms | read p99 ms | read max ms | writes | write p50 ms | write max ms | writes refused |
|---|---|---|---|---|---|---|---|---|
${besideRow('PGlite, a write waiting on Waldur', beside)}
${postgres ? besideRow('PostgreSQL, a write waiting on Waldur', postgres.beside) : '| PostgreSQL, a write waiting on Waldur | skipped (no server) | | | | | | | |'}

A write holds no database connection while it waits on Waldur: writers of one licence take turns through named
locks, and each write ends in one short transaction that mirrors what Waldur did.

## 12. The screen's database fields beside PostGraphile ${POSTGRAPHILE_VERSION} (same PostgreSQL, first ${SCREEN_SIZE} mappings, no Arrow data)

${peerTable()}

## 13. The screen while others write (16 clients, the response cache allowed, PGlite)

| while | p50 ms | p99 ms | screens/s | screens computed | writes meanwhile |
|---|---|---|---|---|---|
| nothing is written (section 1) | ${f0(screen.sixteen.p50)} | ${f0(screen.sixteen.p99)} | ${f1(screen.sixteen.rps)} | | 0 |
| a licence linked or unlinked every second, and the month's consumption sync running (forced) | ${f0(busy.p50)} | ${f0(busy.p99)} | ${f1(busy.rps)} | ${busy.computed} | ${busy.writes} links and unlinks${busy.refused ? ` (${busy.refused} REFUSED)` : ''}, the consumption sync ${busy.syncRan ? 'ran' : 'FAILED'} |

Every write moves the data version, so each drops the kept screen: the screen is computed again after each, once however many
clients ask (coalescing). The consumption sync's Arrow requests wait behind the screen's (flows run in the background lane).
Arrow's cache is warm when the clock starts: the screen was computed once before (${f0(busyWarmUp.ms)} ms), so the figures
are what writes cost, not what Arrow's latency costs.

Total bench time: ${f0((performance.now() - started) / 1000)} s.
`;
process.stdout.write(table);
const out = values.out ?? path.join(import.meta.dirname, 'results', 'latest.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, table);
if (!prunedEqualsAllPairs || !pythonEqualsOurs || !hostile.alive || hostile.staff.errors) process.exitCode = 1;
