import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import { generateFixture } from '../../src/arrow-sim/generate.js';
import { BILLING_HEADERS } from '../../src/arrow-sim/fixture.js';
import { loadFixture } from '../support/arrow.js';

const fixture = loadFixture();
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startArrowSimulator(fixture);
});
afterAll(() => sim.close());

const get = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(sim.apiUrl + path, { ...init, headers: { apiKey: fixture.apiKey, 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as any };
};

describe('the simulator serves a hand-written fixture back field for field', () => {
  it('customers, in PascalCase, with Arrow\'s pagination', async () => {
    const { status, body } = await get('customers?page=1&per_page=100');
    expect(status).toBe(200);
    expect(body.data.customers).toEqual(fixture.customers);
    expect(body.pagination).toEqual({ per_page: 100, current_page: 1, total_page: 1, total: 3, next: null, previous: null });
    expect((await get('customers/XSP661247')).body.data.customers).toEqual([fixture.customers[2]]);
  });

  it('licences, in snake_case', async () => {
    expect((await get('licenses?per_page=100')).body.data.licenses).toEqual(fixture.licenses);
  });

  it('billing rows as headers + values, for the period range asked', async () => {
    const { body } = await get('billing/erp/exports/sync', {
      method: 'POST',
      body: JSON.stringify({ exportTypeReference: 'EXP-1', filters: { reportPeriod: { from: '2026-10', to: '2026-11' } }, page: 1 }),
    });
    expect(body.data.headers).toEqual([...BILLING_HEADERS, 'Custom Column']);
    const rows = body.data.values.map((v: unknown[]) => Object.fromEntries(body.data.headers.map((h: string, i: number) => [h, v[i]])));
    const expected = [...fixture.billing!['2026-10']!, ...fixture.billing!['2026-11']!].map((row) =>
      Object.fromEntries(body.data.headers.map((h: string) => [h, row[h] ?? ''])),
    );
    expect(rows).toEqual(expected);
    const october = await get('billing/erp/exports/sync', { method: 'POST', body: JSON.stringify({ exportTypeReference: 'EXP-1', filters: { reportPeriod: { from: '2026-10', to: '2026-10' } } }) });
    expect(october.body.data.values).toHaveLength(2);
  });

  it('consumption lines per licence and period, with either parameter spelling', async () => {
    const a = await get('consumption/monthly/license/XSP12345?reportPeriodStart=2026-10&reportPeriodEnd=2026-10');
    const b = await get('consumption/monthly/license/XSP12345?billingMonthStart=2026-10&billingMonthEnd=2026-10');
    expect(a.body).toEqual(b.body);
    const lines = a.body.data.lines.map((v: unknown[]) => Object.fromEntries(a.body.data.headers.map((h: string, i: number) => [h, v[i]])));
    expect(lines).toEqual(fixture.consumption!.XSP12345!['2026-10']);
    expect((await get('consumption/monthly/license/XSP12345?reportPeriodStart=2026-09&reportPeriodEnd=2026-09')).body.data.lines).toEqual([]);
  });

  it('the partner and the prediction', async () => {
    expect((await get('whoami')).body.data).toEqual({ reference: 'XSP000042', companyName: 'Fixture Reseller Oy' });
    expect((await get('consumption/license/XSP12345/prediction?granularity=monthly')).body.data.values[0].consumed).toEqual(fixture.predictions!.XSP12345);
  });

  it('answers a wrong key with 401 and Arrow\'s error body', async () => {
    const { status, body } = await get('whoami', { headers: { apiKey: 'nope' } });
    expect(status).toBe(401);
    expect(body).toEqual({ status: 401, error: 'Unauthorized', messages: ['Your API key is not valid'] });
  });

  it('counts requests per endpoint, resettable, and takes faults at run time', async () => {
    await fetch(`${sim.url}/__sim/stats`, { method: 'DELETE' });
    await get('whoami');
    await get('licenses');
    expect(await (await fetch(`${sim.url}/__sim/stats`)).json()).toEqual({ counts: { whoami: 1, licenses: 1 }, total: 2, peakInFlight: 1 });
    await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, endpoints: ['licenses'] }) });
    expect((await get('licenses')).status).toBeGreaterThanOrEqual(500);
    expect((await get('whoami')).status).toBe(200);
    await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: '{}' });
    expect((await get('licenses')).status).toBe(200);
  });
});

describe('generated fixtures', () => {
  it('are deterministic for a seed and have the sizes asked', () => {
    const a = generateFixture({ seed: 7, customers: 2000, licenses: 20000 });
    const b = generateFixture({ seed: 7, customers: 2000, licenses: 20000 });
    expect(a.customers).toHaveLength(2000);
    expect(a.licenses).toHaveLength(20000);
    expect(a).toEqual(b);
    expect(generateFixture({ seed: 8, customers: 5, licenses: 5 }).customers).not.toEqual(generateFixture({ seed: 7, customers: 5, licenses: 5 }).customers);
  });
});
