import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWaldurSimulator, type RunningWaldurSimulator, type WaldurEntity, type WaldurFaults } from '../../src/waldur-sim/server.js';
import type { WaldurFixture } from '../../src/waldur-sim/fixture.js';
import { startProcess } from './process.js';

/**
 * A Waldur simulator as tests drive it: in this process, or as a process of its own (as a real
 * Waldur is) through its control REST. Either way every call is awaited, so a test reads the same.
 */
export interface WaldurSim {
  url: string;
  apiUrl: string;
  token: string;
  /** Requests per endpoint since the last reset. */
  stats(): Promise<Record<string, number>>;
  resetStats(): Promise<void>;
  /** Replaces the faults (none when empty). */
  setFaults(faults: Partial<WaldurFaults>): Promise<void>;
  create(entity: WaldurEntity, fields: Record<string, unknown>): Promise<string>;
  change(entity: WaldurEntity, uuid: string, fields: Record<string, unknown>, bump?: boolean): Promise<void>;
  remove(entity: WaldurEntity, uuid: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWaldurSim(fixture: WaldurFixture, where: 'in-process' | 'process'): Promise<WaldurSim> {
  return where === 'process' ? startWaldurSimProcess(fixture) : inProcess(await startWaldurSimulator(fixture));
}

function inProcess(sim: RunningWaldurSimulator): WaldurSim {
  return {
    url: sim.url,
    apiUrl: sim.apiUrl,
    token: sim.token,
    stats: async () => sim.stats(),
    resetStats: async () => sim.resetStats(),
    setFaults: async (faults) => sim.setFaults(faults),
    create: async (entity, fields) => sim.create(entity, fields),
    change: async (entity, uuid, fields, bump) => sim.change(entity, uuid, fields, bump),
    remove: async (entity, uuid) => sim.remove(entity, uuid),
    close: () => sim.close(),
  };
}

/** `npm run waldur-sim` as a child process, serving `fixture`, driven over its /__sim/ REST. */
async function startWaldurSimProcess(fixture: WaldurFixture): Promise<WaldurSim> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waldur-sim-'));
  const file = path.join(dir, 'fixture.json');
  fs.writeFileSync(file, JSON.stringify(fixture));
  const child = startProcess('src/waldur-sim/cli.ts', ['--port', '0', '--token', fixture.token, '--fixture', file], {});
  const [, url] = await child.waitFor(/Waldur simulator: (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  const control = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}/__sim/${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`waldur-sim ${method} /__sim/${route}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    url: url!,
    apiUrl: url!,
    token: fixture.token,
    stats: async () => (await control('GET', 'stats')).counts,
    resetStats: async () => void (await control('DELETE', 'stats')),
    setFaults: async (faults) => void (await control('PUT', 'faults', faults)),
    create: async (entity, fields) => (await control('POST', `objects/${entity}/`, fields)).uuid,
    change: async (entity, uuid, fields, bump = true) => void (await control('PATCH', `objects/${entity}/${uuid}/${bump ? '' : '?bump=false'}`, fields)),
    remove: async (entity, uuid) => void (await control('DELETE', `objects/${entity}/${uuid}/`)),
    async close() {
      await child.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
