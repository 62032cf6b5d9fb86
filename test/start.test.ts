import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, startProcess } from './support/process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-start-'));
const env = { DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', ARROW_API_URL: '' };

async function viewer(base: string, token: string) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
    body: JSON.stringify({ query: '{ viewer { username isStaff } }' }),
  });
  return res.json();
}

describe('npm start on the embedded database', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  let token = '';
  it('loads demo data, prints a staff token once and answers viewer for it', async () => {
    const gw = startProcess('src/main.ts', [], env);
    try {
      // /readyz says ready only once the demo data and its token exist (a script waiting on it finds them)
      const [, listening] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql/);
      while ((await fetch(`${listening}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 20));
      expect(gw.output()).toContain('demo data loaded.');
      const [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/);
      token = gw.output().match(/Authorization: Token ([0-9a-f]{40})/)![1]!;
      expect(await viewer(base!, token)).toEqual({ data: { viewer: { username: 'staff', isStaff: true } } });
      // the demo's billing and consumption flowed in from the in-process simulator
      const screen = await (await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
        body: JSON.stringify({ query: '{ customerMappings(first: 100) { totalCount edges { node { billingSummary { totalBillingSyncs totalBillingSell totalConsumptionRecords totalConsumedSell reconciledRecords } arrowData { consumptionSyncedAt consumptionLines { sellPrice error } } } } } }' }),
      })).json();
      const summaries = screen.data.customerMappings.edges.map((e: any) => e.node.billingSummary);
      expect(screen.data.customerMappings.totalCount).toBe(10);
      for (const s of summaries) {
        expect(s.totalBillingSyncs).toBe(3);
        expect(Number(s.totalBillingSell)).toBeGreaterThan(0);
        expect(s.totalConsumptionRecords).toBe(3);
        expect(s.reconciledRecords).toBe(1);
      }
      // the screen's consumption is this month's sync, for every linked licence
      for (const { node } of screen.data.customerMappings.edges) {
        expect(node.arrowData.consumptionSyncedAt).not.toBeNull();
        expect(node.arrowData.consumptionLines.length).toBeGreaterThan(0);
        for (const line of node.arrowData.consumptionLines) expect(line).toEqual({ sellPrice: expect.stringMatching(/^\d+\.\d+$/), error: null });
      }
      const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toContain('GraphiQL');

      const cli = await runProcess('src/cli.ts', ['list-users'], env);
      expect(cli.code).toBe(1);
      expect(cli.output).toMatch(/data folder .* is in use by process \d+/);
    } finally {
      await gw.stop();
    }
  });

  it('keeps the data across a restart, applying and printing nothing again', async () => {
    const gw = startProcess('src/main.ts', [], { ...env, ADMIN_TOKEN: 'bootstrap-token-for-ci-0123456789' });
    try {
      const [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/);
      expect(gw.output()).toContain('migrations up to date');
      expect(gw.output()).not.toMatch(/Authorization: Token/);
      expect(await viewer(base!, token)).toEqual({ data: { viewer: { username: 'staff', isStaff: true } } });
      expect(await viewer(base!, 'bootstrap-token-for-ci-0123456789')).toEqual({ data: { viewer: { username: 'admin', isStaff: true } } });
    } finally {
      await gw.stop();
    }
  });

  it('lets the admin CLI create users and tokens while the gateway is stopped', async () => {
    const made = await runProcess('src/cli.ts', ['create-user', 'alice'], env);
    expect(made.code).toBe(0);
    // says which database it wrote to
    expect(made.output.trim()).toBe(`created user alice in ${env.DATABASE_URL ? `PostgreSQL ${new URL(env.DATABASE_URL).host}${new URL(env.DATABASE_URL).pathname}` : `the embedded database in ${env.DATA_DIR}`}`);
    const created = await runProcess('src/cli.ts', ['create-token', 'alice'], env);
    expect(created.code).toBe(0);
    expect(created.output.trim()).toMatch(/^[0-9a-f]{40}$/);
    const listed = await runProcess('src/cli.ts', ['list-users'], env);
    expect(listed.output).toMatch(/^alice\tuser\t1 token\(s\)/m);
    expect(listed.output).toMatch(/^staff\tstaff\t1 token\(s\)/m);
    const duplicate = await runProcess('src/cli.ts', ['create-user', 'alice'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.output).toContain('User alice already exists');
  });

  it('stops with a one-line message naming a wrong variable', async () => {
    const bad = await runProcess('src/main.ts', [], { ...env, PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.output.trim()).toMatch(/^gateway: Invalid PORT: .+$/);
  });
});
