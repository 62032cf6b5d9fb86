import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArrowApiError, ArrowClient } from '../../src/arrow/client.js';
import { inBackground } from '../../src/http/resilient.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import { generateFixture } from '../../src/arrow-sim/generate.js';
import { loadFixture } from '../support/arrow.js';

const fixture = loadFixture();
let sim: RunningSimulator;
const client = (options: Partial<ConstructorParameters<typeof ArrowClient>[0]> = {}) =>
  new ArrowClient({ apiUrl: sim.apiUrl, apiKey: fixture.apiKey, retryBaseMs: 10, timeoutMs: 2000, ...options });

beforeAll(async () => {
  sim = await startArrowSimulator(fixture);
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

describe('ArrowClient against the simulator', () => {
  it('reads the partner with whoami', async () => {
    expect(await client().whoami()).toEqual({ reference: 'XSP000042', companyName: 'Fixture Reseller Oy' });
  });

  it('reads one customer, and names a missing one in a 404', async () => {
    expect(await client().getCustomer('XSP661246')).toMatchObject({ reference: 'XSP661246', companyName: 'Beta Logistics Ltd', email: 'ops@beta.example', city: 'Leeds', countryCode: 'GB' });
    await expect(client().getCustomer('XSP0')).rejects.toMatchObject({ name: 'ArrowApiError', status: 404, endpoint: 'customer' });
  });

  it('reads export types', async () => {
    expect(await client().exportTypes()).toEqual([{ reference: 'EXP-1', name: 'Monthly' }]);
  });

  it('reads monthly consumption as lines keyed by header, and the prediction', async () => {
    const consumption = await client().monthlyConsumption('XSP12345', '2026-10');
    expect(consumption.lines.map((l) => [l['Total sell price'], l['Total buy price']])).toEqual([['100.00', '80.00'], ['50.00', '40.00']]);
    expect(await client().consumptionPrediction('XSP12345')).toEqual([{ sell: '155.10', buy: '124.08' }]);
    expect(sim.stats()).toEqual({ consumptionMonthly: 1, consumptionPrediction: 1 });
  });

  it('reads every customer page (total_page): N pages cost exactly N requests', async () => {
    const customers = await client({ perPage: 1 }).listCustomers();
    expect(customers.map((c) => c.reference)).toEqual(['XSP661245', 'XSP661246', 'XSP661247']);
    expect(sim.stats()).toEqual({ customers: 3 });
  });

  it("reads one customer's licences with customers/{ref}/licenses, taking the vendor from vendor_code", async () => {
    const licences = await client().customerLicenses('XSP661246');
    expect(licences).toEqual([{ licenseReference: 'XSP22222', friendlyName: 'Beta AWS', customerReference: 'XSP661246', vendorName: 'Amazon Web Services', offerName: 'AWS Marketplace', offerSku: 'AWS-MP-01', state: 'suspended', seats: 3 }]);
    expect(sim.stats()).toEqual({ customerLicenses: 1 });
  });

  it('finds the licences of several customers with licenses/v2/find, every page (totalPage)', async () => {
    const licences = await client({ perPage: 2 }).findLicenses(['XSP661245', 'XSP661246']);
    expect(licences.map((l) => l.licenseReference)).toEqual(['XSP12345', 'XSP12346', 'XSP22222']);
    expect(licences[2]).toEqual({ licenseReference: 'XSP22222', friendlyName: 'Beta AWS', customerReference: 'XSP661246', vendorName: 'Amazon Web Services', offerName: 'AWS Marketplace', offerSku: 'AWS-MP-01', state: 'suspended', seats: 3 });
    expect(sim.stats()).toEqual({ licensesFind: 2 });
    expect((await client().findLicenses(['XSP661247'])).length).toBe(0);
    expect((await client().findLicensesByReference(['XSP22222'])).map((l) => l.customerReference)).toEqual(['XSP661246']);
  });

  it('past page 9 of a find, searches after the last licence id (the window ends at page 10)', async () => {
    const many = await startArrowSimulator(generateFixture({ customers: 1, licenses: 25 }));
    try {
      const c = new ArrowClient({ apiUrl: many.apiUrl, apiKey: 'sim-api-key', perPage: 2 });
      const licences = await c.findLicenses([many.fixture.customers[0]!.Reference]);
      expect(licences.map((l) => l.licenseReference)).toEqual(many.fixture.licenses.map((l) => l.license_id));
      // pages 1-9 (18 licences), then "id > the 18th" as pages 1-4 (7 licences)
      expect(many.stats()).toEqual({ licensesFind: 13 });
      const page11 = await fetch(`${many.apiUrl}licenses/v2/find?page=11&per_page=2`, { method: 'POST', headers: { apiKey: 'sim-api-key' }, body: '{}' });
      expect(page11.status).toBe(400);
    } finally {
      await many.close();
    }
  });

  it('reads a billing export for a period range (perPage 1000, camelCase pagination), all or some customers', async () => {
    const exported = await client().billingExport({ exportTypeReference: 'EXP-1', from: '2026-10', to: '2026-11' });
    expect(exported.rows.map((r) => r['ARS Subscription ID'])).toEqual(['XSP12345', 'XSP12346', 'XSP22222']);
    expect(exported.rows[1]!['Customer Total Price']).toBe('200.5');
    const some = await client().billingExport({ exportTypeReference: 'EXP-1', from: '2026-10', to: '2026-11', customerRefs: ['XSP661245'] });
    expect(some.rows.map((r) => r['ARS Subscription ID'])).toEqual(['XSP12345', 'XSP12346']);
    expect(sim.stats()).toEqual({ billingExport: 2 });
  });

  it('has no plain licence listing, as the real API has none', async () => {
    const res = await fetch(`${sim.apiUrl}licenses?page=1&per_page=10`, { headers: { apiKey: fixture.apiKey } });
    expect(res.status).toBe(404);
  });

  it('fetches the pages after the first concurrently', async () => {
    const big = await startArrowSimulator(generateFixture({ customers: 50, licenses: 0 }), { faults: { latencyMs: 100 } });
    try {
      const c = new ArrowClient({ apiUrl: big.apiUrl, apiKey: 'sim-api-key', perPage: 5, maxInFlight: 10 });
      expect(await c.listCustomers()).toHaveLength(50);
      expect(big.stats()).toEqual({ customers: 10 });
      // page 1 alone, then the other 9 at once
      expect(big.peakInFlight()).toBe(9);
    } finally {
      await big.close();
    }
  });
});

describe('ArrowClient with a bad upstream', () => {
  it('turns a wrong key into an ArrowApiError with status 401 and Arrow\'s message, without the key', async () => {
    const err = await client({ apiKey: 'wrong-secret-key' }).whoami().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArrowApiError);
    expect(err).toMatchObject({ status: 401, endpoint: 'whoami' });
    expect((err as Error).message).toContain('Your API key is not valid');
    expect((err as Error).message).not.toContain('wrong-secret-key');
    expect(sim.stats()).toEqual({ whoami: 1 });
  });

  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    sim.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1, times: 1 });
    const started = performance.now();
    expect(await client().whoami()).toMatchObject({ reference: 'XSP000042' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(sim.stats()).toEqual({ whoami: 2 });
  });

  it('retries a persistent 503 a bounded number of times, then surfaces it', async () => {
    sim.setFaults({ errorRate: 1 });
    const err = await client({ retries: 3 }).exportTypes().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArrowApiError);
    expect([500, 503]).toContain((err as ArrowApiError).status);
    expect(sim.stats()).toEqual({ exportTypes: 4 });
  });

  it('does not retry other 4xx', async () => {
    await expect(client().billingExport({ exportTypeReference: 'NOPE', from: '2026-10', to: '2026-10' })).rejects.toMatchObject({ status: 400 });
    expect(sim.stats()).toEqual({ billingExport: 1 });
  });

  it('fails a request that never answers within the timeout', async () => {
    sim.setFaults({ hangRate: 1 });
    const started = performance.now();
    const err = await client({ timeoutMs: 300 }).whoami().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ArrowApiError', status: 0, endpoint: 'whoami' });
    expect((err as Error).message).toContain('no answer within 300 ms');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('turns malformed JSON into an ArrowApiError', async () => {
    sim.setFaults({ malformedRate: 1 });
    await expect(client().listCustomers()).rejects.toMatchObject({ name: 'ArrowApiError', endpoint: 'customers', arrowMessage: 'response is not valid JSON' });
  });

  it('turns a well-formed answer of the wrong shape into an ArrowApiError naming the path', async () => {
    const odd = await startArrowSimulator({ ...fixture, customers: [{ CompanyName: 'no reference' } as never] });
    try {
      const err = await new ArrowClient({ apiUrl: odd.apiUrl, apiKey: fixture.apiKey }).listCustomers().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArrowApiError);
      expect((err as Error).message).toMatch(/unexpected response shape at data\.customers\.0\.Reference/);
    } finally {
      await odd.close();
    }
  });

  it('keeps at most maxInFlight requests running at once', async () => {
    sim.setFaults({ latencyMs: 100 });
    const c = client({ maxInFlight: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.whoami()));
    expect(sim.stats()).toEqual({ whoami: 6 });
    expect(sim.peakInFlight()).toBe(2);
  });

  it('lets a request someone waits for go before the queued requests of background work', async () => {
    sim.setFaults({ latencyMs: 100 });
    const c = client({ maxInFlight: 2 });
    const finished: string[] = [];
    const bulk = inBackground(() => Promise.all(Array.from({ length: 8 }, (_, i) => c.whoami().then(() => finished.push(`background ${i}`)))));
    await new Promise((r) => setTimeout(r, 20)); // two background requests run, six wait
    await c.whoami().then(() => finished.push('foreground'));
    await bulk;
    // it took the first turn that freed: done with the second round, not after the fourth
    expect(finished.indexOf('foreground')).toBeLessThanOrEqual(3);
    expect(sim.stats()).toEqual({ whoami: 9 });
    expect(sim.peakInFlight()).toBe(2);
  });
});
