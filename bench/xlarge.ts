/**
 * `npm run bench -- --size xlarge` (issue 32, target 3): ten times the large dataset (20,000 Arrow
 * customers, 200,000 licences, 50,000 Waldur customers, 200,000 resources, 5,000 mappings holding
 * 10,000 linked licences) through a gateway process of its own on the embedded database:
 * - its first full Waldur sync, at start;
 * - a consumption sync of the 10,000 linked licences;
 * - the screen (100 mappings): its SQL statements and Arrow requests, cold and warm;
 * - `availableArrowCustomers`: 15,000 unmapped Arrow names against 50,000 Waldur names, checked
 *   against every pair scored for a sample of the names.
 * Each with its time, its requests and the gateway's peak resident memory (the kernel's high-water
 * mark, reset before each). It takes several minutes and is not part of the test suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';
import { startArrowSimulator } from '../src/arrow-sim/server.js';
import { startWaldurSimulator } from '../src/waldur-sim/server.js';
import { periodOf } from '../src/domain/periods.js';
import { FULL_SCREEN_QUERY } from '../src/graphql/screen-query.js';
import { bestMatchAllPairs, candidates } from '../src/matching/best-match.js';
import { CUSTOMER_MATCH_THRESHOLD } from '../src/domain/customer-suggestions.js';
import { buildGateway } from '../scripts/build-gateway.mjs';
import { BENCH_API_KEY, SIZES, benchFixture, benchWaldur, seedMappings } from './dataset.js';
import { metricOf, peakRssMbOf, resetPeakRss, startGatewayProcess, type GatewayProcess } from './gateway-process.js';

export async function runXlarge(options: { latencyMs: number; out: string }) {
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`bench xlarge: ${line}\n`);
  const size = SIZES.xlarge;
  const period = periodOf(new Date());
  const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
  const WALDUR_TOKEN = 'bench-waldur-token-0123456789abcdef';
  const headers = { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}`, 'cache-control': 'no-cache' };

  const fixture = benchFixture(size, period);
  const bench = benchWaldur(size, fixture, WALDUR_TOKEN);
  log(`dataset: ${fixture.customers.length} Arrow customers, ${fixture.licenses.length} licences, ${bench.waldur.customers.length} Waldur customers, ${bench.waldur.resources.length} resources (${bench.linked} linked), ${size.mappings} mappings`);
  const arrowSim = await startArrowSimulator(fixture, { faults: { latencyMs: options.latencyMs } });
  const waldurSim = await startWaldurSimulator(bench.waldur);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-xlarge-'));
  const db = await openDatabase({ dataDir });
  await applyMigrations(db);
  const settings = await db.prisma.arrowSettings.create({ data: { apiUrl: arrowSim.apiUrl, apiKey: BENCH_API_KEY, exportTypeReference: 'EXPORT-STD' } });
  await db.close();
  await buildGateway();
  const env = { DATA_DIR: dataDir, WALDUR_API_URL: waldurSim.apiUrl, WALDUR_API_TOKEN: WALDUR_TOKEN, ADMIN_TOKEN };

  const peakMb = (g: GatewayProcess) => peakRssMbOf(g.child.pid);
  const resetPeak = (g: GatewayProcess) => resetPeakRss(g.child.pid);
  const requests = (stats: Record<string, number>) => Object.values(stats).reduce((a, b) => a + b, 0);
  const describe = (stats: Record<string, number>) => Object.entries(stats).map(([k, v]) => `${k} ${v}`).join(', ');
  const gql = async (g: GatewayProcess, query: string, variables?: object) => {
    const res = await fetch(`${g.base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const json = (await res.json()) as { data?: any; errors?: unknown[] };
    if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
    return json.data;
  };
  const sqlCount = (g: GatewayProcess) => metricOf(g.base, 'gateway_sql_statements_total');

  // 1. the first full Waldur sync, as the gateway starts on an empty mirror
  let t0 = performance.now();
  let gateway = await startGatewayProcess(env);
  const firstSync = { ms: performance.now() - t0, requests: requests(waldurSim.stats()), byEndpoint: describe(waldurSim.stats()), peak: peakMb(gateway) };
  log(`first full Waldur sync (with the gateway's start): ${(firstSync.ms / 1000).toFixed(1)} s, ${firstSync.requests} Waldur requests, peak RSS ${firstSync.peak.toFixed(0)} MB`);
  await gateway.stop();
  const seeded = await openDatabase({ dataDir });
  await seedMappings(seeded.prisma, bench.mappings(settings.uuid));
  await seeded.close();
  gateway = await startGatewayProcess(env);

  // 2. the month's consumption of every linked licence
  arrowSim.resetStats();
  resetPeak(gateway);
  t0 = performance.now();
  const sync = (await gql(gateway, `mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settings.uuid}") { ... on MutationRunConsumptionSyncSuccess { run { status created updated unchanged skipped failed } } } }`)).runConsumptionSync.run;
  const consumption = { ms: performance.now() - t0, run: sync, requests: requests(arrowSim.stats()), peak: peakMb(gateway) };
  log(`consumption sync: ${(consumption.ms / 1000).toFixed(1)} s, ${consumption.requests} Arrow requests, ${JSON.stringify(sync)}, peak RSS ${consumption.peak.toFixed(0)} MB`);

  // 3. the screen: 100 mappings, cold (Arrow asked) and warm (Arrow's answers cached)
  const screenOnce = async () => {
    arrowSim.resetStats();
    const sql0 = await sqlCount(gateway);
    const t = performance.now();
    const data = await gql(gateway, FULL_SCREEN_QUERY, { first: 100, period });
    return { ms: performance.now() - t, sql: (await sqlCount(gateway)) - sql0, arrow: arrowSim.stats(), mappings: data.customerMappings.edges.length };
  };
  resetPeak(gateway);
  const cold = await screenOnce();
  const warm = await screenOnce();
  const screenPeak = peakMb(gateway);
  log(`screen: cold ${cold.ms.toFixed(0)} ms, ${cold.sql} SQL, ${requests(cold.arrow)} Arrow requests; warm ${warm.ms.toFixed(0)} ms, ${warm.sql} SQL, ${requests(warm.arrow)} Arrow requests`);

  // 4. availableArrowCustomers: every unmapped Arrow name matched against every Waldur name
  resetPeak(gateway);
  arrowSim.resetStats();
  t0 = performance.now();
  const available = (
    await gql(gateway, '{ availableArrowCustomers { ... on QueryAvailableArrowCustomersSuccess { result { suggestions { arrowCustomer { reference companyName } confidence suggestedWaldurCustomer { uuid } } } } } }')
  ).availableArrowCustomers.result.suggestions as { arrowCustomer: { reference: string; companyName: string }; confidence: number; suggestedWaldurCustomer: { uuid: string } | null }[];
  const availableMs = performance.now() - t0;
  const availableRequests = requests(arrowSim.stats());
  const availablePeak = peakMb(gateway);
  // exact: a sample's suggestions against every pair scored (the reference the pruned search is held to)
  const pool = candidates(
    bench.waldur.customers.map((c, index) => ({ uuid: c.uuid, name: c.name, index })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index)),
    (c) => [c.name],
  );
  const sample = available.filter((_, i) => i % Math.ceil(available.length / 40) === 0);
  const same = sample.every((a) => {
    const best = bestMatchAllPairs(a.arrowCustomer.companyName, pool, CUSTOMER_MATCH_THRESHOLD);
    return (best?.item.uuid ?? null) === (a.suggestedWaldurCustomer?.uuid ?? null) && (best?.confidence ?? 0) === a.confidence;
  });
  log(`availableArrowCustomers: ${available.length} names in ${(availableMs / 1000).toFixed(2)} s, ${availableRequests} Arrow requests, peak RSS ${availablePeak.toFixed(0)} MB; ${sample.length} checked against all pairs: ${same ? 'same' : 'DIFFERENT'}`);
  await gateway.stop();
  await arrowSim.close();
  await waldurSim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const f0 = (n: number) => n.toFixed(0);
  const f1 = (n: number) => n.toFixed(1);
  const table = `# Benchmark results: xlarge

Generated by \`npm run bench -- --size xlarge\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}.
Dataset: ${fixture.customers.length} Arrow customers, ${fixture.licenses.length} licences, ${bench.waldur.customers.length} Waldur customers, ${bench.waldur.resources.length} resources
(${bench.linked} linked), ${size.mappings} mappings. Gateway: a process of its own on the embedded database (PGlite); ArrowSphere simulator with
${options.latencyMs} ms added to every request. Peak RSS: the gateway process's high-water mark, reset before each row.

| what | wall time s | requests | result | gateway peak RSS MB |
|---|---|---|---|---|
| first full Waldur sync (the gateway's start on an empty mirror) | ${f1(firstSync.ms / 1000)} | ${firstSync.requests} to Waldur (${firstSync.byEndpoint}) | mirror filled | ${f0(firstSync.peak)} |
| consumption sync of the month, every linked licence | ${f1(consumption.ms / 1000)} | ${consumption.requests} to Arrow | ${consumption.run.status}: ${consumption.run.created} created, ${consumption.run.updated} updated, ${consumption.run.unchanged} unchanged, ${consumption.run.failed} failed | ${f0(consumption.peak)} |
| the screen (100 mappings), cold | ${(cold.ms / 1000).toFixed(2)} | ${cold.sql} SQL statements; ${requests(cold.arrow)} to Arrow (${describe(cold.arrow)}) | ${cold.mappings} mappings | ${f0(screenPeak)} |
| the screen, warm (Arrow's answers cached) | ${(warm.ms / 1000).toFixed(2)} | ${warm.sql} SQL statements; ${requests(warm.arrow)} to Arrow | ${warm.mappings} mappings | |
| \`availableArrowCustomers\`: ${available.length} unmapped Arrow names × ${bench.waldur.customers.length} Waldur names | ${(availableMs / 1000).toFixed(2)} | ${availableRequests} to Arrow | ${sample.length} sampled suggestions ${same ? 'equal' : 'DIFFER FROM'} every pair scored | ${f0(availablePeak)} |

The screen's SQL statements are those of any page (the query-count test's 8; the data version comes with the caller's
token). Its Arrow requests are bounded by the page: Arrow's customer listing (${Math.ceil(fixture.customers.length / 100)} pages of 100 here) is read whole
only when it has no more pages than the page has customers; otherwise its first page, then one lookup per customer.

Total: ${f0((performance.now() - started) / 1000)} s.
`;
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, table);
  process.stdout.write(table);
}
