import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type Started } from '../support/process.js';
import { createPostgresDatabase } from '../support/db.js';
import { ArrowClient } from '../../src/arrow/client.js';

/**
 * The gateway outlives its own infrastructure (issue 33): its PostgreSQL connections ended under
 * it (as a restart or failover ends them) while a flow holds its lock and while a write-through
 * waits on Waldur, a Redis that stops answering (CLIENT PAUSE) and one that drops its clients.
 * The gateway runs as `npm start` runs it; Redis is a server of this test's own (a pause would
 * stall every other test's Redis), PostgreSQL a database of its own (only its backends are ended).
 */
const ADMIN_TOKEN = 'infra-faults-admin-token-0123456789';
const hasPostgres = !!process.env.TEST_DATABASE_URL;
const hasRedisServer = fs.existsSync('/usr/bin/redis-server');

// no timestamps: the same data answers the same text before and after a fault
const SCREEN = `{
  customerMappings(first: 50) { totalCount edges { node {
    uuid arrowReference arrowCompanyName licenseDiscoveryError
    waldurCustomer { uuid name }
    waldurResources { uuid name backendId state }
    arrowLicenses { licenseReference friendlyName }
    billingSummary { totalConsumptionRecords totalConsumedSell totalBillingSyncs totalBillingSell }
  } } }
}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe.runIf(hasPostgres && hasRedisServer)('a gateway on PostgreSQL and Redis through their faults', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let admin: pg.Client;
  let redisServer: ChildProcess;
  let redisPort: number;
  let gw: Started;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let arrowSim: string;
  let waldurSim: string;
  const dbName = () => new URL(database.url).pathname.slice(1);
  const headers = { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}` };

  async function gql(query: string, variables?: object, extra: Record<string, string> = {}) {
    const started = performance.now();
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any, ms: performance.now() - started };
  }
  const screen = async () => (await gql(SCREEN, {}, { 'cache-control': 'no-cache' })).body;
  /** Ends every session the gateway has on its database, as a restart or failover does. */
  const terminateGatewaySessions = async () =>
    (await admin.query<{ n: number }>(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName()])).rows[0]!.n;
  async function untilReady() {
    for (let i = 0; i < 200; i++) {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('not ready again');
  }
  /** Rows a flow writes, as a count per table: a retried flow adds none. */
  async function flowItems() {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      const rows = (await c.query(`SELECT (SELECT count(*) FROM consumption_records)::int AS consumption, (SELECT count(*) FROM billing_syncs)::int AS billing, (SELECT count(*) FROM billing_sync_items)::int AS items, (SELECT count(*) FROM adjustments)::int AS adjustments`)).rows[0];
      return rows as Record<string, number>;
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    database = await createPostgresDatabase();
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    redisPort = await freePort();
    redisServer = spawn('/usr/bin/redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis({ port: redisPort, lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) if (await probe.ping().then(() => true, () => false)) break;
    probe.disconnect();
    env = {
      PORT: '0',
      DATABASE_URL: database.url,
      DEMO_DATA: 'true',
      ADMIN_TOKEN,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      ARROW_API_URL: '',
      WALDUR_API_URL: '',
      FLOW_INTERVAL_MINUTES: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      WALDUR_SYNC_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn',
    };
    gw = startProcess('src/main.ts', [], env);
    [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 90_000);
    [, arrowSim] = gw.output().match(/in-process ArrowSphere simulator at (http:\/\/127\.0\.0\.1:\d+)\//)!;
    [, waldurSim] = gw.output().match(/in-process Waldur simulator holding the demo's Waldur at (http:\/\/127\.0\.0\.1:\d+)/)!;
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    redisServer?.kill('SIGKILL');
    await admin?.end();
    await database?.drop();
  });

  it('lives through its sessions ended while a flow holds its lock: 503s within 5 s, then the same screen and no item twice', async () => {
    const before = await screen();
    expect(before.data.customerMappings.totalCount).toBeGreaterThan(0);
    const itemsBefore = await flowItems();
    const period = new Date().toISOString().slice(0, 7);
    // Arrow slowed so the consumption sync holds its lock long enough to be caught at it
    await fetch(`${arrowSim}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 150 }) });
    const started = await gql(`mutation($p: String!) { startFlow(flow: CONSUMPTION_SYNC, period: $p, force: true) { __typename } }`, { p: period });
    expect(started.body.errors).toBeUndefined();
    let holding = 0;
    for (let i = 0; i < 200 && !holding; i++) {
      holding = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_advisory_lock%'`, [dbName()])).rows[0].n;
      if (!holding) await new Promise((r) => setTimeout(r, 25));
    }
    expect(holding).toBeGreaterThan(0);
    expect(await terminateGatewaySessions()).toBeGreaterThan(0);

    // during the fault: every request answers, fast, as data or as a 503 that says when to retry
    const during = await Promise.all([gql(SCREEN, {}, { 'cache-control': 'no-cache' }), fetch(`${base}/api/admin/arrow/customer-mappings/`, { headers }).then((r) => ({ status: r.status, ms: 0 }))]);
    for (const answer of during) expect([200, 503]).toContain(answer.status);
    expect(during[0].ms).toBeLessThan(5000);
    await fetch(`${arrowSim}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(gw.child.exitCode).toBeNull();

    await untilReady();
    // the interrupted flow run again, as the scheduler's next round would: nothing twice
    const rerun = await gql(`mutation($p: String!) { runConsumptionSync(period: $p, force: true) { __typename ... on MutationRunConsumptionSyncSuccess { run { status } } } }`, { p: period });
    expect(rerun.body.data.runConsumptionSync.run.status).toBe('SUCCEEDED');
    expect(await flowItems()).toEqual(itemsBefore);
    expect(await screen()).toEqual(before);
    expect(gw.output()).not.toMatch(/Unhandled 'error' event|unhandled/i);
  });

  it('lives through its sessions ended while a write-through waits on Waldur: its licence lock lost, the write is undone in Waldur and answered 503', async () => {
    const before = await screen();
    const mapping = before.data.customerMappings.edges.map((e: any) => e.node).find((m: any) => m.waldurResources.some((r: any) => r.backendId));
    const resource = mapping.waldurResources.find((r: any) => r.backendId);
    await fetch(`${waldurSim}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 1500 }) });
    const unlink = fetch(`${base}/api/admin/arrow/customer-mappings/${mapping.uuid}/link_resource/`, { method: 'POST', headers, body: JSON.stringify({ resource_uuid: resource.uuid, license_reference: '' }) });
    // the write holds its licence's lock on a session of its own while it waits on Waldur (no transaction open)
    let waiting = 0;
    for (let i = 0; i < 200 && !waiting; i++) {
      waiting = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'idle' AND query LIKE 'SELECT pg_advisory_lock(hashtext%'`, [dbName()])).rows[0].n;
      if (!waiting) await new Promise((r) => setTimeout(r, 25));
    }
    expect(waiting).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // Waldur has the set_backend_id request now
    expect(await terminateGatewaySessions()).toBeGreaterThan(0);
    const answer = await unlink;
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    await fetch(`${waldurSim}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(gw.child.exitCode).toBeNull();
    await untilReady();
    // Waldur has the write undone, as the mirror never had it: a full sync from Waldur changes nothing
    await gql(`mutation { syncFromWaldur(full: true) { __typename } }`);
    expect(await screen()).toEqual(before);
  });

  it('answers while Redis is paused, within its timeout, from its own work, and shares again after', async () => {
    const before = await screen();
    const pauser = new Redis({ port: redisPort });
    await pauser.call('CLIENT', 'PAUSE', '8000', 'ALL');
    try {
      // a licence list dropped by a link while Redis cannot hear of it is not served from Redis after
      const during = await gql(SCREEN, {}, { 'cache-control': 'no-cache' });
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(5000);
      expect(during.body).toEqual(before);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^gateway_redis_sharing 0$/m);
      expect(metrics).toMatch(/^gateway_redis_outages_total 1$/m);
    } finally {
      await pauser.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      pauser.disconnect();
    }
    await gw.waitFor(/redis: not answering within 500 ms/);
    expect(gw.output().match(/redis: not answering/g)).toHaveLength(1); // once per outage
    // back: a probe every 2 s finds it, and sharing resumes
    for (let i = 0; i < 60 && !/^gateway_redis_sharing 1$/m.test(await (await fetch(`${base}/metrics`)).text()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^gateway_redis_sharing 1$/m);
    expect(await screen()).toEqual(before);
  });

  it('answers exactly when Redis drops every client connection', async () => {
    const before = await screen();
    const killer = new Redis({ port: redisPort });
    await killer.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    killer.disconnect();
    const during = await gql(SCREEN, {}, { 'cache-control': 'no-cache' });
    expect(during.status).toBe(200);
    expect(during.ms).toBeLessThan(5000);
    expect(during.body).toEqual(before);
    expect(gw.child.exitCode).toBeNull();
  });

  it("keeps the demo's Arrow working after a restart on the same database without DEMO_DATA", async () => {
    const before = await screen();
    expect(before.data.customerMappings.edges.every((e: any) => e.node.licenseDiscoveryError === null && e.node.arrowLicenses.length > 0)).toBe(true);
    await gw.stop();
    gw = startProcess('src/main.ts', [], { ...env, DEMO_DATA: 'false' });
    [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 90_000);
    expect(gw.output()).toMatch(/in-process ArrowSphere simulator at .* \(the demo settings' http:\/\/arrow-simulator\.demo\.invalid/);
    expect(await screen()).toEqual(before);
  });
});

describe('an upstream whose name no DNS knows', () => {
  it('is asked once, not retried as if it were a lost connection', async () => {
    const asked: number[] = [];
    const client = new ArrowClient({ apiUrl: 'http://arrow-simulator.demo.invalid/index.php/api/', apiKey: 'k', retries: 3, retryBaseMs: 200, onRequest: (e) => void asked.push(e.status) });
    await expect(client.listCustomers()).rejects.toThrow(/connection failed \((ENOTFOUND|EAI_AGAIN)\)/);
    expect(asked.length).toBe(1);
  });
});

describe.runIf(hasPostgres)('a start beside a PostgreSQL that is not up yet', () => {
  it('waits for it with backoff, a line each try, then starts', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-wait-'));
    // a TCP proxy that refuses until told to forward to the real server: "not up yet", then up
    const real = new URL(process.env.TEST_DATABASE_URL!);
    let up = false;
    const proxy = net.createServer((socket) => {
      if (!up) return socket.destroy();
      const upstream = net.connect(Number(real.port || 5432), real.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
    const database = await createPostgresDatabase();
    const url = new URL(database.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const gw = startProcess('src/main.ts', [], { PORT: '0', DATA_DIR: dataDir, DATABASE_URL: url.toString(), ADMIN_TOKEN, ARROW_API_URL: '', WALDUR_API_URL: '', FLOW_INTERVAL_MINUTES: '0', LOG_LEVEL: 'warn' });
    try {
      // a line a try, the waits growing; the reason is a code (ECONNRESET) or pg's words for the same
      await gw.waitFor(/database: .* is not answering \([^)]+\); trying again in 1 s/, 25_000);
      await gw.waitFor(/database: .* is not answering \([^)]+\); trying again in 2 s/, 25_000);
      expect(gw.output()).not.toMatch(/at .*\.js:\d+/); // a line, not a stack trace
      up = true;
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.child.exitCode).toBeNull();
    } finally {
      await gw.stop();
      proxy.close();
      await database.drop();
    }
  });
});
