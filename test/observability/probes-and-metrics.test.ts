import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import { listen } from '../support/http.js';
import { MIGRATIONS_DIR, pendingMigrations } from '../../src/db/migrate.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { WaldurSyncLoop } from '../../src/waldur/sync-loop.js';
import { createGateway } from '../../src/server.js';

let gw: TestGateway;
let http: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  ({ gw } = await startSeededGateway(2, '2026-10'));
  http = await listen(gw.server);
});
afterAll(async () => {
  await http.close();
  await gw.close();
});

const metricValue = (text: string, line: string) => Number(text.split('\n').find((l) => l.startsWith(line))?.split(' ').at(-1) ?? NaN);

describe('probes and metrics', () => {
  it('/healthz answers while the process lives; /readyz when the database answers and migrations are applied', async () => {
    expect(await (await fetch(`${http.base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${http.base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('knows when a migration is pending (what makes /readyz answer 503)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '99999999999999_later'));
    fs.writeFileSync(path.join(dir, '99999999999999_later', 'migration.sql'), 'SELECT 1;');
    expect(await pendingMigrations(gw.t.db, dir)).toEqual(['99999999999999_later']);
    expect(await pendingMigrations(gw.t.db)).toEqual([]);
  });

  it('counts requests, SQL statements, Arrow calls by endpoint and cache hits', async () => {
    const screen = '{ customerMappings(first: 10) { edges { node { arrowLicenses { licenseReference } } } } }';
    const post = () => fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` }, body: JSON.stringify({ query: screen }) });
    const before = await (await fetch(`${http.base}/metrics`)).text();
    await post();
    await post();
    await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ customerMappings(first: 1) { totalCount } }' }) });
    const after = await (await fetch(`${http.base}/metrics`)).text();
    expect(after).toContain('gateway_http_requests_total{route="graphql",status="200"}');
    expect(metricValue(after, 'gateway_sql_statements_total')).toBeGreaterThan(metricValue(before, 'gateway_sql_statements_total'));
    expect(metricValue(after, 'gateway_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(after).toMatch(/gateway_arrow_request_duration_seconds_bucket\{le="[\d.]+",endpoint="licensesFind"\}/);
    expect(metricValue(after, 'gateway_arrow_requests_total{endpoint="licensesFind",status="200"}')).toBe(1);
    expect(metricValue(after, 'gateway_arrow_cache_total{result="hit"}')).toBeGreaterThanOrEqual(2);
  });

  it("names the process metrics once: gateway_process_…, never gateway_process_process_…", async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).toContain('gateway_process_cpu_seconds_total');
    expect(text).toContain('gateway_nodejs_heap_size_used_bytes');
    expect(text).not.toContain('gateway_process_process_');
    expect(text).not.toContain('gateway_process_nodejs_');
  });
});

describe('the Waldur mirror in probes and metrics', () => {
  it('/readyz answers 503 until the first Waldur sync is done; the sync loop records duration, rows changed and lag', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const loop = new WaldurSyncLoop(gw.t.db, gw.waldurClient, { intervalMs: 0, fullEveryMs: 86_400_000, metrics });
    const { server } = createGateway({ db: gw.t.db, arrow: gw.arrow, waldur: gw.waldurClient, metrics, notReady: () => (loop.ready ? null : 'waiting for the first Waldur sync') });
    const own = await listen(server);
    try {
      const before = await fetch(`${own.base}/readyz`);
      expect([before.status, await before.json()]).toEqual([503, { status: 'waiting for the first Waldur sync' }]);
      await gw.waldur.create('customers', { name: 'Made for the metrics' });
      const result = await loop.run();
      expect(result.full).toBe(true);
      expect((await fetch(`${own.base}/readyz`)).status).toBe(200);
      const text = await (await fetch(`${own.base}/metrics`)).text();
      expect(metricValue(text, 'gateway_waldur_sync_duration_seconds_count{kind="full",outcome="ok"}')).toBe(1);
      expect(metricValue(text, 'gateway_waldur_sync_rows_total{entity="customers",change="created"}')).toBe(1);
      expect(metricValue(text, 'gateway_waldur_sync_lag_seconds')).toBeGreaterThanOrEqual(0);
    } finally {
      await own.close();
    }
  });
});
