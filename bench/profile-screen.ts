/**
 * npx tsx bench/profile-screen.ts [--size small|large] [--runs N] [--profile cpu|allocations|none]
 * Where the GraphQL overhead goes: the bench's section 4 (bench/graphql-overhead.ts: the screen's
 * data through Yoga + Pothos, and by the same domain and Prisma calls made directly) on its own,
 * with SQL statements counted per way and, for each way, a CPU profile summarised by package and
 * by function (written to the temporary folder, for Chrome's DevTools) or the memory it allocates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { openDatabase } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';
import { startArrowSimulator } from '../src/arrow-sim/server.js';
import { ArrowSource } from '../src/domain/arrow-source.js';
import { createGateway } from '../src/server.js';
import { periodOf } from '../src/domain/periods.js';
import { ensureAdminToken } from '../src/domain/users.js';
import { startWaldurSimulator } from '../src/waldur-sim/server.js';
import { WaldurClient } from '../src/waldur/client.js';
import { syncFromWaldur } from '../src/waldur/mirror.js';
import { exitWithUsage, parseCommandLine } from '../src/cli-args.js';
import { BENCH_API_KEY, SIZES, benchFixture, benchWaldur, seedMappings } from './dataset.js';
import { checkScreen, median, screenTwoWays } from './graphql-overhead.js';

const USAGE = 'Usage: npx tsx bench/profile-screen.ts [--size small|large] [--runs N] [--profile cpu|allocations|none]';
const { values } = parseCommandLine('profile-screen', USAGE, {
  size: { type: 'string', default: 'small' },
  runs: { type: 'string', default: '15' },
  profile: { type: 'string', default: 'cpu' },
});
if (values.size !== 'small' && values.size !== 'large') exitWithUsage('profile-screen', USAGE, `--size is small or large, not "${values.size}"`);
if (!['cpu', 'allocations', 'none'].includes(values.profile!)) exitWithUsage('profile-screen', USAGE, `--profile is cpu, allocations or none, not "${values.profile}"`);
const size = SIZES[values.size as 'tiny' | 'small' | 'large'];
const runs = Number(values.runs);
const period = periodOf(new Date());
const log = (line: string) => process.stderr.write(`${line}\n`);

// the bench's dataset, this month's consumption synced
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-profile-'));
const fixture = benchFixture(size, period);
const sim = await startArrowSimulator(fixture, { faults: { latencyMs: 0 } });
const db = await openDatabase({ dataDir });
await applyMigrations(db);
const settings = await db.prisma.arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: BENCH_API_KEY, exportTypeReference: 'EXPORT-STD' } });
const WALDUR_TOKEN = 'profile-waldur-token-0123456789abcdef';
const bench = benchWaldur(size, fixture, WALDUR_TOKEN);
const waldurSim = await startWaldurSimulator(bench.waldur);
const waldur = new WaldurClient({ apiUrl: waldurSim.apiUrl, token: WALDUR_TOKEN, timeoutMs: 60_000 });
await syncFromWaldur(db, waldur, { full: true });
await seedMappings(db.prisma, bench.mappings(settings.uuid));
const ADMIN_TOKEN = 'profile-admin-token-0123456789abcdef';
await ensureAdminToken(db.prisma, ADMIN_TOKEN);
const arrow = new ArrowSource({ timeoutMs: 30_000, retries: 0, maxInFlight: 8, cacheTtlMs: 600_000 });
const authorization = `Token ${ADMIN_TOKEN}`;
const { yoga } = createGateway({ db, arrow, waldur });
const sync = await (await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: `mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settings.uuid}") { __typename } }` }) })).json();
if (sync.errors) throw new Error(JSON.stringify(sync.errors));
log('dataset ready');

const ways = screenTwoWays({ db, arrow, waldur, authorization, first: 100, period });
checkScreen(await ways.viaGraphQL());
const named = [['graphql', ways.viaGraphQL], ['direct', ways.direct]] as const;
let statements = 0;
db.onQuery(() => statements++);
for (const [name, fn] of named) {
  await fn();
  statements = 0;
  await fn();
  log(`${name}: ${statements} SQL statements`);
}
// garbage collection per way: each collection counted against the way running when it started
const { PerformanceObserver } = await import('node:perf_hooks');
const spans: { name: 'graphql' | 'direct'; from: number; to: number }[] = [];
const collections: { at: number; kind: number; ms: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push({ at: e.startTime, kind: (e as unknown as { detail: { kind: number } }).detail.kind, ms: e.duration });
});
observer.observe({ entryTypes: ['gc'] });
const timesOf = { graphql: [] as number[], direct: [] as number[] };
for (let i = 0; i < runs; i++) {
  for (const [name, fn] of named) {
    const t0 = performance.now();
    await fn();
    const t1 = performance.now();
    timesOf[name].push(t1 - t0);
    spans.push({ name, from: t0, to: t1 });
  }
}
await new Promise((r) => setTimeout(r, 50));
observer.disconnect();
const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental marking', 8: 'weak callbacks', 16: 'minor mark-sweep' };
for (const name of ['graphql', 'direct'] as const) {
  const kinds = new Map<string, [number, number]>();
  for (const c of collections) {
    if (!spans.some((s) => s.name === name && c.at >= s.from && c.at < s.to)) continue;
    const kind = GC_KINDS[c.kind] ?? String(c.kind);
    const [n, ms] = kinds.get(kind) ?? [0, 0];
    kinds.set(kind, [n + 1, ms + c.ms]);
  }
  const total = [...kinds.values()].reduce((a, [, ms]) => a + ms, 0) / runs;
  log(`${name}, garbage collection per screen: ${total.toFixed(2)} ms (${[...kinds].map(([k, [n, ms]]) => `${k} ${(n / runs).toFixed(1)}× ${(ms / runs).toFixed(2)} ms`).join(', ') || 'none'})`);
}
const stats = (xs: number[]) => `min ${Math.min(...xs).toFixed(1)}, median ${median(xs).toFixed(1)}, mean ${(xs.reduce((a, b) => a + b) / xs.length).toFixed(1)} ms`;
log(`direct: ${stats(timesOf.direct)}\nGraphQL: ${stats(timesOf.graphql)}\nratio of medians: ${(median(timesOf.graphql) / median(timesOf.direct)).toFixed(2)}`);

const top = (m: Map<string, number>, n: number, format: (v: number) => string) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${format(v).padStart(7)}  ${k}`).join('\n');
const where = (url: string) => url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
const packageOf = (file: string) => {
  const inModules = file.split('node_modules/').at(-1)!;
  if (inModules !== file) return inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/');
  return file.startsWith('src/') ? file.split('/').slice(0, 3).join('/') : file;
};

interface CpuNode { callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
async function cpuProfile(name: string, fn: () => Promise<unknown>) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  for (let i = 0; i < runs; i++) await fn();
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: CpuNode[]; samples: number[] } };
  session.disconnect();
  const file = path.join(os.tmpdir(), `screen-${name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const file = where(node.callFrame.url);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
    const pkg = packageOf(file) || `(${node.callFrame.functionName})`;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.hitCount);
  }
  const percent = (v: number) => `${((100 * v) / profile.samples.length).toFixed(1)}%`;
  log(`\n== ${name}: ${profile.samples.length} samples (${file}); by package\n${top(byPackage, 25, percent)}\n== ${name}: by function\n${top(byFunction, 40, percent)}`);
}

interface HeapNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: HeapNode[] }
async function allocations(name: string, fn: () => Promise<unknown>) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  // sampled allocations, those collected since included: what each way allocates, not what it keeps
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  for (let i = 0; i < runs; i++) await fn();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapNode } };
  session.disconnect();
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    n.children.forEach(walk);
  };
  walk(profile.head);
  const mb = (v: number) => (v / runs / 2 ** 20).toFixed(2);
  log(`\n== ${name}: ${mb(total)} MB allocated per screen; by function (MB per screen)\n${top(byFunction, 30, mb)}`);
}

for (const [name, fn] of named) {
  if (values.profile === 'cpu') await cpuProfile(name, fn);
  if (values.profile === 'allocations') await allocations(name, fn);
}
await db.close();
await sim.close();
await waldurSim.close();
fs.rmSync(dataDir, { recursive: true, force: true });
