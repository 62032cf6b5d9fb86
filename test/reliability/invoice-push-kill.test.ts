import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess, type Started } from '../support/process.js';
import { createPostgresDatabase, databaseKinds } from '../support/db.js';
import { Decimal } from '../../src/domain/money.js';
import { periodOf } from '../../src/domain/periods.js';

const ADMIN_TOKEN = 'push-kill-admin-token-0123456789';
const WALDUR_TOKEN = 'push-kill-waldur-token-0123456789';

/**
 * Issue 27: a gateway killed with SIGKILL in the middle of its invoice push (Waldur has taken the
 * items, the gateway has not written that down), then started again and pushing again: every
 * mapped customer's Arrow items on its Waldur invoices equal the gateway's billed total of each
 * month to the cent, no item twice. Both Waldur and the gateway run as processes of their own.
 */
describe.each(databaseKinds)('an invoice push killed mid-way (%s)', (kind) => {
  it('leaves every month billed once, to the cent, after a restart and a second push', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-kill-'));
    const pg = kind === 'postgresql' ? await createPostgresDatabase() : null;
    const waldur = startProcess('src/waldur-sim/cli.ts', ['--port', '0', '--token', WALDUR_TOKEN, '--demo'], {});
    const [, waldurUrl] = await waldur.waitFor(/Waldur simulator: (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    const env = { DATA_DIR: dataDir, PORT: '0', ADMIN_TOKEN, DATABASE_URL: pg?.url ?? '', DEMO_DATA: 'true', ARROW_API_URL: '', WALDUR_API_URL: waldurUrl, WALDUR_API_TOKEN: WALDUR_TOKEN, FLOW_INTERVAL_MINUTES: '0', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
    let gw: Started | undefined;
    try {
      // a slow Waldur: each invoice read back takes a while, so the kill lands inside a push
      await fetch(`${waldurUrl}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 40 }) });
      gw = startProcess('src/main.ts', [], env);
      // the demo's first start syncs, bills and pushes its three months: killed once Waldur took items
      for (let i = 0; i < 2000; i++) {
        const stats = (await (await fetch(`${waldurUrl}/__sim/stats`)).json()) as { counts: Record<string, number> };
        if ((stats.counts.importUsage ?? 0) >= 1) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      gw.child.kill('SIGKILL');
      await gw.stop();
      await fetch(`${waldurUrl}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });

      gw = startProcess('src/main.ts', [], env);
      const [, base] = await gw.waitFor(/gateway: (http:\/\/localhost:\d+)\/graphql[^]*gateway: ready/, 60_000);
      const gql = async (query: string) => (await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${ADMIN_TOKEN}` }, body: JSON.stringify({ query }) })).json()) as any;
      // the rest of the demo's three months, as the scheduler's next rounds would run them: each
      // month's billing sync (done already for the months the first start reached) and its push
      const periods = [2, 1, 0].map((back) => periodOf(new Date(), back));
      for (const period of periods) {
        await gql(`mutation { runBillingSync(period: "${period}") { __typename } }`);
        const run = (await gql(`mutation { runInvoicePush(period: "${period}") { ... on MutationRunInvoicePushSuccess { run { status failed } } } }`)).data.runInvoicePush.run;
        expect(run).toEqual({ status: 'SUCCEEDED', failed: 0 });
      }
      const syncs = (await gql('{ billingSyncs(first: 300) { edges { node { reportPeriod sellTotal customerMapping { waldurCustomer { uuid } } } } } }')).data.billingSyncs.edges.map((e: any) => e.node);
      expect(new Set(syncs.map((s: any) => s.reportPeriod))).toEqual(new Set(periods));
      const invoices = (await (await fetch(`${waldurUrl}/__sim/invoices`)).json()) as { customer: string; year: number; month: number; items: { name: string; article_code: string; unit_price: string; quantity: string }[] }[];
      const billed = new Map<string, Decimal>();
      for (const s of syncs) {
        const key = `${s.customerMapping.waldurCustomer.uuid.replace(/-/g, '')}|${s.reportPeriod}`;
        billed.set(key, (billed.get(key) ?? new Decimal(0)).plus(s.sellTotal));
      }
      const onInvoices = new Map<string, Decimal>();
      for (const invoice of invoices) {
        const key = `${invoice.customer.match(/customers\/([0-9a-f]{32})\//)![1]}|${invoice.year}-${String(invoice.month).padStart(2, '0')}`;
        onInvoices.set(key, invoice.items.reduce((a, i) => a.plus(new Decimal(i.unit_price).times(i.quantity)), onInvoices.get(key) ?? new Decimal(0)));
        // no item twice
        expect(new Set(invoice.items.map((i) => `${i.name}|${i.article_code}`)).size).toBe(invoice.items.length);
      }
      expect(billed.size).toBeGreaterThan(10);
      for (const [key, total] of billed) expect(onInvoices.get(key)?.toFixed(2), key).toBe(total.toFixed(2));
      expect(onInvoices.size).toBe(billed.size);
    } finally {
      await gw?.stop();
      await waldur.stop();
      await pg?.drop();
    }
  }, 120_000);
});
