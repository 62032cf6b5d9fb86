/**
 * The gateway through its own infrastructure's faults (`npm run soak`'s "faults" section, and a
 * small run in the tests): the gateway as `npm start` runs it, on PostgreSQL reached through a TCP
 * proxy that can go down as a restarting server does (every connection cut, new ones refused for
 * a while), and on a Redis server of its own that can be paused (CLIENT PAUSE). Clients read the
 * screen and the REST list and link/unlink throughout; each phase counts answers by status, the
 * slowest, and the time from the fault's end to the first whole screen.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { gatewayNodeArgs, gatewayNodeEnv } from '../scripts/build-gateway.mjs';

const ADMIN_TOKEN = 'soak-infra-admin-token-0123456789';
const SCREEN = '{ customerMappings(first: 20) { totalCount edges { node { uuid arrowReference waldurResources { uuid backendId } arrowLicenses { licenseReference } billingSummary { totalBillingSell } } } } }';

/** A TCP proxy to PostgreSQL that can be taken down (cutting what it carries) and up again. */
export async function startDatabaseProxy(target: { host: string; port: number }) {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (!up) return socket.destroy();
    const upstream = net.connect(target.port, target.host);
    open.add(socket).add(upstream);
    const end = () => (socket.destroy(), upstream.destroy(), open.delete(socket), open.delete(upstream));
    socket.pipe(upstream).pipe(socket);
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const down = () => {
    up = false;
    for (const s of open) s.destroy();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    down,
    up() {
      up = true;
    },
    close: () => new Promise<void>((r) => (down(), server.close(() => r()))),
  };
}

export interface PhaseFigures {
  phase: string;
  requests: number;
  ok: number;
  /** Answers 503 with Retry-After (or GraphQL's DATABASE_UNAVAILABLE): the outage said as such. */
  unavailable: number;
  /** Anything else that was not a whole answer: 500s, connection resets, other errors. */
  otherErrors: number;
  slowestMs: number;
  /** From the fault's end to the first whole screen (null for the steady phase). */
  recoveredMs: number | null;
  /** The process was alive at the end of the phase. */
  alive: boolean;
}

export async function infrastructureSoak(opts: { adminUrl: string; seconds: { steady: number; outage: number; pause: number }; clients: number; log?: (line: string) => void }): Promise<PhaseFigures[]> {
  const log = opts.log ?? (() => undefined);
  const name = `gw_soak_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const real = new URL(opts.adminUrl);
  const proxy = await startDatabaseProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const dbUrl = new URL(opts.adminUrl);
  dbUrl.hostname = '127.0.0.1';
  dbUrl.port = String(proxy.port);
  dbUrl.pathname = `/${name}`;
  const redisPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redisAdmin = new Redis({ port: redisPort, retryStrategy: () => 50 });
  redisAdmin.on('error', () => undefined);
  await redisAdmin.ping();

  const gateway = spawn(process.execPath, [...gatewayNodeArgs()], {
    env: { ...gatewayNodeEnv(), ...process.env, PORT: '0', DATABASE_URL: dbUrl.toString(), DEMO_DATA: 'true', ADMIN_TOKEN, REDIS_URL: `redis://127.0.0.1:${redisPort}`, ARROW_API_URL: '', WALDUR_API_URL: '', FLOW_INTERVAL_MINUTES: '0', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', RESPONSE_CACHE_ENTRIES: '0', ALLOW_PRIVATE_UPSTREAMS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  gateway.stdout.on('data', (d: Buffer) => (output += d.toString()));
  gateway.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = output.match(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/);
      if (m) (clearInterval(timer), resolve(m[1]!));
      if (gateway.exitCode !== null) (clearInterval(timer), reject(new Error(`gateway exited: ${output}`)));
    }, 50);
  });
  const headers = { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}`, 'cache-control': 'no-cache' };
  const screen = async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: SCREEN }) });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
  };
  const first = await screen();
  const mappings = first.body.data.customerMappings.edges.map((e: any) => e.node);
  const linked = mappings.flatMap((m: any) => m.waldurResources.filter((r: any) => r.backendId).map((r: any) => ({ mapping: m.uuid, resource: r.uuid, licence: r.backendId })));

  /** One client's requests until `until`: screens, the REST list, and a link toggled off and on. */
  async function client(i: number, until: number, tally: PhaseFigures) {
    const own = linked[i % linked.length];
    let unlinked = false;
    for (let k = 0; Date.now() < until; k++) {
      const started = performance.now();
      try {
        let status: number;
        let unavailable = false;
        if (k % 3 === 0) {
          const r = await screen();
          status = r.status;
          unavailable = r.status === 503 || !!r.body.errors?.some((e) => e.extensions?.code === 'DATABASE_UNAVAILABLE');
          if (r.status === 200 && r.body.errors?.length && !unavailable) status = 500;
        } else if (k % 3 === 1) {
          status = (await fetch(`${base}/api/admin/arrow/customer-mappings/`, { headers })).status;
        } else {
          const res = await fetch(`${base}/api/admin/arrow/customer-mappings/${own.mapping}/link_resource/`, { method: 'POST', headers, body: JSON.stringify({ resource_uuid: own.resource, license_reference: unlinked ? own.licence : '' }) });
          status = res.status;
          if (status === 200) unlinked = !unlinked;
          if (status === 400) status = 200; // another client toggled the same licence: refused as Waldur would, not a fault
        }
        tally.requests++;
        if (status === 200 && !unavailable) tally.ok++;
        else if (status === 503 || unavailable) tally.unavailable++;
        else tally.otherErrors++;
      } catch {
        tally.requests++;
        tally.otherErrors++;
      }
      tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async function untilWhole(from: number): Promise<number | null> {
    for (let i = 0; i < 600; i++) {
      const r = await screen().catch(() => null);
      if (r?.status === 200 && !r.body.errors) return performance.now() - from;
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  }
  async function phase(label: string, seconds: number, fault?: { start(): Promise<void> | void; end(): Promise<void> | void }): Promise<PhaseFigures> {
    const tally: PhaseFigures = { phase: label, requests: 0, ok: 0, unavailable: 0, otherErrors: 0, slowestMs: 0, recoveredMs: null, alive: true };
    await fault?.start();
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i, until, tally)));
    await fault?.end();
    const ended = performance.now();
    if (fault) tally.recoveredMs = await untilWhole(ended);
    tally.alive = gateway.exitCode === null;
    log(`faults: ${label}: ${tally.requests} requests, ${tally.ok} ok, ${tally.unavailable} unavailable, ${tally.otherErrors} other errors`);
    return tally;
  }

  const figures: PhaseFigures[] = [];
  try {
    figures.push(await phase('steady', opts.seconds.steady));
    figures.push(await phase(`PostgreSQL down ${opts.seconds.outage} s (every connection cut, new ones refused)`, opts.seconds.outage, { start: () => proxy.down(), end: () => proxy.up() }));
    figures.push(await phase(`Redis paused ${opts.seconds.pause} s (CLIENT PAUSE)`, opts.seconds.pause, { start: async () => void (await redisAdmin.call('CLIENT', 'PAUSE', String(opts.seconds.pause * 1000), 'ALL')), end: async () => void (await redisAdmin.call('CLIENT', 'UNPAUSE')) }));
    figures.push(await phase('steady after', opts.seconds.steady));
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((r) => (gateway.exitCode !== null ? r(null) : gateway.once('exit', r)));
    redisAdmin.disconnect();
    redisServer.kill('SIGKILL');
    await proxy.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  return figures;
}

export function faultsTable(figures: PhaseFigures[]): string {
  return `| phase | requests | ok | 503 / DATABASE_UNAVAILABLE | other errors | slowest ms | recovered in ms | process alive |
|---|---|---|---|---|---|---|---|
${figures.map((f) => `| ${f.phase} | ${f.requests} | ${f.ok} | ${f.unavailable} | ${f.otherErrors} | ${f.slowestMs.toFixed(0)} | ${f.recoveredMs === null ? '–' : f.recoveredMs.toFixed(0)} | ${f.alive ? 'yes' : 'NO'} |`).join('\n')}`;
}
