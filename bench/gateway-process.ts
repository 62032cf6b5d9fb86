/**
 * The gateway as `npm start` runs it (the bundle, plain node), as a process of its own for the
 * benches: started on a database and a Waldur, ready once its first Waldur sync is done.
 */
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { gatewayNodeArgs, gatewayNodeEnv } from '../scripts/build-gateway.mjs';

export interface GatewayProcess {
  child: ReturnType<typeof spawn>;
  base: string;
  stop(): Promise<void>;
}

/** `env` adds to (and overrides) the bench's defaults: no demo data, no schedules, no rate limit, warnings only. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = spawn(process.execPath, gatewayNodeArgs(), {
    env: { ...gatewayNodeEnv(), ...process.env, DATABASE_URL: '', PORT: '0', DEMO_DATA: 'false', WALDUR_SYNC_INTERVAL_SECONDS: '0', FLOW_INTERVAL_MINUTES: '0', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ALLOW_PRIVATE_UPSTREAMS: 'true', ARROW_CACHE_TTL_SECONDS: '300', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.on('exit', () => gateway.kill('SIGKILL')); // never leave a gateway behind, even on failure
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      // measured from when its own first Waldur sync is done
      const m = out.match(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    };
    gateway.stdout!.on('data', onData);
    gateway.stderr!.on('data', onData);
    gateway.on('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
  });
  return {
    child: gateway,
    base: url,
    async stop() {
      if (gateway.exitCode !== null) return;
      gateway.kill('SIGTERM');
      await new Promise((r) => gateway.on('exit', r));
    },
  };
}

/** A process's resident memory now, MB (0 once it is gone). */
export function rssMbOf(pid: number | undefined): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** A counter of the gateway's /metrics (0 when absent): `name` with its labels, as Prometheus prints it. */
export async function metricOf(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1) ?? 0);
}

/** A process's peak resident memory since it started or since resetPeakRss, MB (the kernel's VmHWM). */
export function peakRssMbOf(pid: number | undefined): number {
  return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

export function resetPeakRss(pid: number | undefined) {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
