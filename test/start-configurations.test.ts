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

  it('with ARROW_API_URL and no ARROW_API_KEY warns that a real Arrow will refuse the demo key', async () => {
    const gw = startProcess('src/main.ts', [], { ...base, DATA_DIR: tempDir(), DEMO_DATA: 'false', ARROW_API_URL: 'http://127.0.0.1:9/index.php/api/' });
    try {
      await gw.waitFor(/gateway: ready/, 60_000);
      expect(gw.output()).toContain('arrow: ARROW_API_URL is set without ARROW_API_KEY');
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

  it('two demo gateways on one database never rewrite the shared settings: stopping one leaves the other working', async () => {
    const pg = await createPostgresDatabase();
    const env = { ...base, DATABASE_URL: pg.url, DEMO_DATA: 'true', ADMIN_TOKEN: 'two-demo-gateways-admin-token-01' };
    const screen = '{ arrowSettings { apiUrl } customerMappings(first: 3) { edges { node { arrowCustomer { reference } licenseDiscoveryError } } } }';
    const a = startProcess('src/main.ts', [], env);
    let b: ReturnType<typeof startProcess> | undefined;
    try {
      const [, urlA] = await a.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      b = startProcess('src/main.ts', [], env);
      const [, urlB] = await b.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      expect((await gql(urlA!, env.ADMIN_TOKEN, screen)).data.arrowSettings).toEqual([{ apiUrl: DEMO_ARROW_API_URL }]);
      await a.stop();
      const answer = await gql(urlB!, env.ADMIN_TOKEN, screen);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.arrowSettings).toEqual([{ apiUrl: DEMO_ARROW_API_URL }]);
      for (const { node } of answer.data.customerMappings.edges) expect(node).toEqual({ arrowCustomer: { reference: expect.stringMatching(/^XSP/) }, licenseDiscoveryError: null });
    } finally {
      await a.stop();
      await b?.stop();
      await pg.drop();
    }
  });
});
