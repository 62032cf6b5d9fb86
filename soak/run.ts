/**
 * npm run soak [-- --queries 1000 --clients 50 --seconds 60]
 * 1. 1,000 screen queries against an Arrow with 20% errors, 10% 429s and 200 ms latency.
 * 2. 50 clients for 60 s mixing reads with link, import, create and delete; then the invariants.
 * 3. Faults: a mixed workload through PostgreSQL going down for 5 s and Redis paused for 5 s.
 * Prints the figures; exits non-zero when a 5xx, an untyped failure, a slow answer or a broken
 * invariant was seen.
 */
import { exitWithUsage, integerOption, parseCommandLine } from '../src/cli-args.js';
import { faultSoak, mixSoak, startWorld } from './scenarios.js';
import { faultsTable, infrastructureSoak } from './infrastructure.js';

const USAGE = `Usage: npm run soak -- [--queries N] [--clients N] [--seconds N]
  --queries   screen queries against a faulty Arrow (default 1000)
  --clients   clients mixing reads and writes (default 50)
  --seconds   how long they run (default 60)`;
const { values } = parseCommandLine('soak', USAGE, { queries: { type: 'string', default: '1000' }, clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' } });
const [queries, clients, seconds] = (() => {
  try {
    return [integerOption('--queries', values.queries, 1), integerOption('--clients', values.clients, 1), integerOption('--seconds', values.seconds, 1)];
  } catch (err) {
    return exitWithUsage('soak', USAGE, (err as Error).message);
  }
})();

const faulty = await startWorld({ customers: 20, faults: { errorRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 1, latencyMs: 200 }, cacheTtlMs: 0, timeoutMs: 2000 });
const f = await faultSoak(faulty, queries, 16, 10);
await faulty.close();
console.log(`## Faulty Arrow (20% errors, 10% 429 with Retry-After 1 s, 200 ms latency; no cache)

| screen queries | HTTP 5xx | failed Arrow fields | of them without a typed error | failed licences in arrowData (in-band) | p50 ms | slowest ms | bound ms |
|---|---|---|---|---|---|---|---|
| ${f.queries} | ${f.status5xx} | ${f.failedFields} | ${f.untypedFailures} | ${f.arrowDataErrors} | ${f.p50Ms.toFixed(0)} | ${f.maxMs.toFixed(0)} | ${f.boundMs} |
`);

const world = await startWorld({ customers: 20, cacheTtlMs: 60_000, timeoutMs: 2000, databaseUrl: process.env.DATABASE_URL || undefined });
const m = await mixSoak(world, clients, seconds);
await world.close();
console.log(`## ${clients} clients for ${seconds} s: reads, links, imports, creates, deletes

| requests | HTTP 5xx | imports answered 200 | invariants broken |
|---|---|---|---|
| ${m.requests} | ${m.status5xx} | ${m.imports} | ${m.violations.length ? m.violations.join('; ') : 'none'} |

| operation | accepted | refused (4xx) |
|---|---|---|
${Object.entries(m.byOperation).map(([op, c]) => `| ${op} | ${c.ok} | ${c.refused} |`).join('\n')}
`);
// the gateway through its own infrastructure's faults: needs a PostgreSQL server and redis-server
const adminUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://root@127.0.0.1:5432/postgres';
let infraFailed = false;
try {
  const figures = await infrastructureSoak({ adminUrl, clients: 8, seconds: { steady: 5, outage: 5, pause: 5 } });
  infraFailed = figures.some((p) => !p.alive || p.otherErrors > 0 || (p.phase.startsWith('steady') && p.unavailable > 0) || (p.recoveredMs ?? 0) > 10_000 || p.recoveredMs === null && !p.phase.startsWith('steady'));
  console.log(`## Faults: a mixed workload (8 clients: screens, REST lists, links) through PostgreSQL going down and Redis pausing

${faultsTable(figures)}
`);
} catch (err) {
  console.log(`## Faults\n\nnot run: ${err instanceof Error ? err.message : String(err)} (needs a PostgreSQL server, DATABASE_URL or the local one, and redis-server)\n`);
}
if (infraFailed || f.status5xx || f.untypedFailures || f.maxMs >= f.boundMs || m.status5xx || m.violations.length) process.exitCode = 1;
