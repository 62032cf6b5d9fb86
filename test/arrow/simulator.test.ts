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
    const second = await get('customers?page=2&per_page=1');
    expect(second.body.pagination).toEqual({ per_page: 1, current_page: 2, total_page: 3, total: 3, next: '/customers?per_page=1&page=3', previous: '/customers?per_page=1&page=1' });
    expect((await get('customers/XSP661247')).body.data.customers).toEqual([fixture.customers[2]]);
  });

  it("a customer's licences in the single-licence shape, and find's results in its own", async () => {
    const own = fixture.licenses.filter((l) => l.customer_ref === 'XSP661245');
    expect((await get('customers/XSP661245/licenses')).body).toEqual({ status: 200, data: { licenses: own.map((l) => ({ statusCode: 86, ...l })) } });
    expect((await get('customers/XSP0/licenses')).status).toBe(404);
    const found = await get('licenses/v2/find?per_page=100', { method: 'POST', body: JSON.stringify({ filters: { 'license.customer_ref': ['XSP661246'] } }) });
    expect(Object.keys(found.body).sort()).toEqual(['filters', 'pagination', 'results']);
    expect(found.body.pagination).toEqual({ perPage: 100, currentPage: 1, totalPage: 1, total: 1, next: null, previous: null });
    expect(found.body.results[0].license).toMatchObject({ id: 100002, partner_ref: 'XSP22222', friendly_name: 'Beta AWS', customer_ref: 'XSP661246', customer_name: 'Beta Logistics Ltd', vendor_name: 'Amazon Web Services', vendor_code: 'Amazon Web Services', service_ref: 'AWS_AMAZON_SUBSCRIPTION', offer: 'AWS Marketplace', sku: 'AWS-MP-01', seat: 3, status_code: 85 });
    const after = await get('licenses/v2/find', { method: 'POST', body: JSON.stringify({ filters: { 'license.id': { gt: 100000 } } }) });
    expect(after.body.results.map((r: any) => r.license.partner_ref)).toEqual(['XSP12346', 'XSP22222']);
  });

  it('billing rows as headers + values, for the period range asked', async () => {
    const { body } = await get('billing/erp/exports/sync', {
      method: 'POST',
      body: JSON.stringify({ exportTypeReference: 'EXP-1', filters: { reportPeriod: { from: '2026-10', to: '2026-11' } }, page: 1 }),
    });
    expect([body.code, body.message]).toEqual([0, 'success']);
    expect(body.pagination).toEqual({ total: 3, perPage: 1000, currentPage: 1, totalPages: 1, prevUrl: '', nextUrl: '' });
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
    await get('customers');
    expect(await (await fetch(`${sim.url}/__sim/stats`)).json()).toEqual({ counts: { whoami: 1, customers: 1 }, total: 2, peakInFlight: 1 });
    await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, endpoints: ['customers'] }) });
    expect((await get('customers')).status).toBeGreaterThanOrEqual(500);
    expect((await get('whoami')).status).toBe(200);
    await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: '{}' });
    expect((await get('customers')).status).toBe(200);
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
