import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, startProcess } from './support/process.js';
import { createPostgresDatabase, databaseKinds } from './support/db.js';
import { startArrowSimulator } from '../src/arrow-sim/server.js';
import { companiesFixture } from './support/seed.js';
import { record } from './support/secret-scan.js';
import { DEMO_ARROW_API_URL } from '../src/demo/dataset.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-conf-')), 'data');
  dirs.push(path.dirname(dir));
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const base = { PORT: '0', DATABASE_URL: '', ARROW_API_URL: '', ARROW_API_KEY: '', DEMO_DATA: '', ADMIN_TOKEN: '', FLOW_INTERVAL_MINUTES: '0', LOG_LEVEL: 'warn' };

async function gql(url: string, token: string, query: string) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ query }) });
  const text = await res.text();
  record('body', text);
  return JSON.parse(text);
}

describe('starting in different configurations', () => {
  it('refuses a port in use in one line, before loading anything (no token printed and lost)', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    const dataDir = tempDir();
    try {
      const r = await runProcess('src/main.ts', [], { ...base, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
      expect(r.code).toBe(1);
      expect(r.output.trim()).toBe(`gateway: port ${port} on 127.0.0.1 is already in use; stop what holds it or set PORT to a free port`);
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('answers --help, and refuses an unknown argument with the usage', async () => {
    const help = await runProcess('src/main.ts', ['--help'], base);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/^Usage: npm start\n/);
    const wrong = await runProcess('src/main.ts', ['--port', '80'], base);
    expect(wrong.code).toBe(2);
    expect(wrong.output).toMatch(/^gateway: unknown argument --port\nUsage: npm start/);
  });

  it('with DEMO_DATA=false says how to get a first staff token', async () => {
    const dataDir = tempDir();
    const gw = startProcess('src/main.ts', [], { ...base, DATA_DIR: dataDir, DEMO_DATA: 'false' });
    try {
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.output()).not.toContain('demo data loaded');
      expect(gw.output()).toContain(`No staff user yet. Make one and a token for it in the embedded database in ${dataDir}`);
      // pasted as printed, the CLI writes where this gateway reads (not into ./data)
      expect(gw.output()).toContain(`DATA_DIR='${dataDir}' npm run cli -- create-user admin --staff && DATA_DIR='${dataDir}' npm run cli -- create-token admin`);
    } finally {
      await gw.stop();
    }
  });

  it('with ARROW_API_URL and no ARROW_API_KEY says no settings were made (no demo settings carry the demo key)', async () => {
    const gw = startProcess('src/main.ts', [], { ...base, DATA_DIR: tempDir(), DEMO_DATA: 'false', ARROW_API_URL: 'http://127.0.0.1:9/index.php/api/' });
    try {
      await gw.waitFor(/gateway: ready/, 60_000);
      // a warning (stderr), which may come through after the ready line (stdout) on a busy machine
      await gw.waitFor(/arrow: ARROW_API_URL is set without ARROW_API_KEY: no settings were made from it\. Set ARROW_API_KEY/, 10_000);
      expect(gw.output()).not.toContain('demo simulator\'s key');
    } finally {
      await gw.stop();
    }
  });

  it('makes settings from ARROW_API_URL and ARROW_API_KEY once, checked with whoami, never showing the key', async () => {
    const key = 'real-looking-arrow-key-0123456789';
    record('token', key);
    const sim = await startArrowSimulator(companiesFixture(1, '2026-10', key));
    const dataDir = tempDir();
    const env = { ...base, DATA_DIR: dataDir, DEMO_DATA: 'false', ARROW_API_URL: sim.apiUrl, ARROW_API_KEY: key, ADMIN_TOKEN: 'configuration-test-admin-token-01' };
    try {
      let gw = startProcess('src/main.ts', [], env);
      const [, url] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      expect(gw.output()).toMatch(/arrow: created settings [0-9a-f-]{36} for partner XSP000001 \(Test Partner\); choose an export type/);
      const settings = await gql(url!, env.ADMIN_TOKEN, '{ arrowSettings { apiUrl hasApiKey partnerReference syncEnabled } }');
      expect(settings.data.arrowSettings).toEqual([{ apiUrl: sim.apiUrl, hasApiKey: true, partnerReference: 'XSP000001', syncEnabled: false }]);
      await gw.stop();
      gw = startProcess('src/main.ts', [], env);
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.output()).toMatch(/arrow: settings [0-9a-f-]{36} already name .*; left as they are/);
      await gw.stop();
      gw = startProcess('src/main.ts', [], { ...env, DATA_DIR: tempDir(), ARROW_API_KEY: 'a-key-arrow-refuses-0123456789' });
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.output()).toContain('arrow: no settings made from ARROW_API_URL: Arrow refused these credentials');
      expect(gw.output()).not.toContain('a-key-arrow-refuses');
      await gw.stop();
    } finally {
      await sim.close();
    }
  });
});

describe.runIf(databaseKinds.includes('postgresql'))('starting on PostgreSQL', () => {
  it('loads no demo data unless asked', async () => {
    const pg = await createPostgresDatabase();
    const gw = startProcess('src/main.ts', [], { ...base, DATABASE_URL: pg.url });
    try {
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.output()).not.toContain('demo data loaded');
      expect(gw.output()).toContain('No staff user yet');
    } finally {
      await gw.stop();
      await pg.drop();
    }
  });

  it('two demo gateways on one database: the second refuses to run a Waldur of its own (it would undo the first\'s links), and a restart keeps them', async () => {
    const pg = await createPostgresDatabase();
    const env = { ...base, DATABASE_URL: pg.url, DEMO_DATA: 'true', ADMIN_TOKEN: 'two-demo-gateways-admin-token-01' };
    const screen = '{ arrowSettings { apiUrl } customerMappings(first: 20) { edges { node { uuid waldurResources { uuid backendId } } } } }';
    const linked = (answer: { data: { customerMappings: { edges: { node: { uuid: string; waldurResources: { uuid: string; backendId: string }[] } }[] } } }) =>
      answer.data.customerMappings.edges.flatMap(({ node }) => node.waldurResources.filter((r) => r.backendId).map((r) => ({ mapping: node.uuid, resource: r.uuid })));
    const ready = /gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/;
    let a = startProcess('src/main.ts', [], env);
    try {
      const [, urlA] = await a.waitFor(ready, 60_000);
      const before = linked(await gql(urlA!, env.ADMIN_TOKEN, screen));
      const { mapping, resource } = before[0]!;
      const unlinked = await gql(urlA!, env.ADMIN_TOKEN, `mutation { unlinkResource(mappingUuid: "${mapping}", resourceUuid: "${resource}") { __typename } }`);
      expect(unlinked.data.unlinkResource.__typename).toBe('MutationUnlinkResourceSuccess');

      const b = await runProcess('src/main.ts', [], env);
      expect(b.code).toBe(1);
      expect(b.output).toContain('gateway: another gateway on postgresql://');
      expect(b.output).toContain('runs its own in-process Waldur simulator (WALDUR_API_URL is not set). Two simulated Waldurs would each undo the links made through the other');

      // the in-process Waldur starts again from the mirror: the unlink made through the last one stays
      await a.stop();
      a = startProcess('src/main.ts', [], env);
      const [, urlA2] = await a.waitFor(ready, 60_000);
      const after = await gql(urlA2!, env.ADMIN_TOKEN, screen);
      expect(after.data.arrowSettings).toEqual([{ apiUrl: DEMO_ARROW_API_URL }]);
      expect(linked(after)).toEqual(before.slice(1));
    } finally {
      await a.stop();
      await pg.drop();
    }
  });

  it("takes WALDUR_API_URL ending in /api/ (as Waldur's site agent is configured), and says in one line when the URL names no Waldur", async () => {
    const sim = startProcess('src/waldur-sim/cli.ts', ['--port', '0', '--token', 'waldur-token-for-start-tests-01', '--demo'], {});
    try {
      const [, url] = await sim.waitFor(/Waldur simulator: (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      const env = { ...base, DATA_DIR: tempDir(), DEMO_DATA: 'false', WALDUR_API_TOKEN: 'waldur-token-for-start-tests-01', ALLOW_PRIVATE_UPSTREAMS: 'true' };
      const right = startProcess('src/main.ts', [], { ...env, WALDUR_API_URL: `${url}/api/` });
      try {
        await right.waitFor(/gateway: ready/, 60_000);
        expect(right.output()).toContain(`waldur: attached to ${url}/api/`);
        expect(right.output()).not.toContain('first sync failed');
      } finally {
        await right.stop();
      }
      const wrong = startProcess('src/main.ts', [], { ...env, DATA_DIR: tempDir(), WALDUR_API_URL: `${url}/waldur/` });
      try {
        const [line] = await wrong.waitFor(/waldur: first sync failed[^\n]*/, 60_000);
        expect(line).toContain(`is ${url}/waldur/ a Waldur? WALDUR_API_URL is its root (paths begin with /api/)`);
      } finally {
        await wrong.stop();
      }
    } finally {
      await sim.stop();
    }
  });
});
