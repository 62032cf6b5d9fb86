import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies } from '../support/seed.js';
import { FULL_SCREEN_QUERY } from '../../src/graphql/screen-query.js';
import { ArrowClient } from '../../src/arrow/client.js';
import { startArrowSimulator } from '../../src/arrow-sim/server.js';

const period = '2026-10';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(5, period), { cacheTtlMs: 0, retries: 2, timeoutMs: 400 });
  const offering = { uuid: await createOffering(gw, 'Arrow') };
  const settings = await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
  await seedCompanies(gw, { n: 5, settingsUuid: settings.uuid, offeringUuid: offering.uuid });
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.sim.setFaults({});
  gw.arrow.invalidate();
});

const screen = () => gw.yoga.fetch('http://yoga/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` },
  body: JSON.stringify({ query: FULL_SCREEN_QUERY, variables: { first: 5, period } }),
});

describe('a bad upstream', () => {
  it('gives the data it has and a typed error on each field that failed, never a 5xx', async () => {
    gw.sim.setFaults({ errorRate: 1, endpoints: ['customerLicenses', 'licensesFind'] });
    const res = await screen();
    expect(res.status).toBe(200);
    const body = await res.json();
    const nodes = body.data.customerMappings.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(5);
    for (const n of nodes) {
      expect(n.waldurResources).toHaveLength(2);
      expect(n.billingSummary).toBeTruthy();
      expect(n.arrowLicenses).toBeNull();
      expect(n.licenseDiscoveryError).toMatch(/^Arrow licensesFind failed/);
    }
    const failedPaths = body.errors.map((e: any) => [e.extensions.code, e.path.slice(-1)[0]]);
    expect(new Set(failedPaths.map((p: string[]) => p[0]))).toEqual(new Set(['ARROW_UNAVAILABLE']));
    expect(new Set(failedPaths.map((p: string[]) => p[1]))).toEqual(new Set(['arrowCustomer', 'arrowLicenses', 'suggestions']));
    expect(body.errors).toHaveLength(15);
  });

  it('serves the last good listing, marked stale, once repeated failures open the circuit', async () => {
    const fresh = await (await screen()).json();
    expect(fresh.data.customerMappings.edges[0].node.arrowListingStale).toBe(false);
    gw.sim.setFaults({ errorRate: 1 });
    // failures first give typed errors; the fifth failed call in a row opens the circuit
    let node: any;
    for (let i = 0; i < 5; i++) {
      const body = await (await screen()).json();
      node = body.data.customerMappings.edges[0].node;
      if (node.arrowListingStale) break;
      expect(node.arrowLicenses).toBeNull();
      expect(body.errors[0].extensions.code).toBe('ARROW_UNAVAILABLE');
    }
    expect(node.arrowListingStale).toBe(true);
    gw.sim.resetStats();
    node = (await (await screen()).json()).data.customerMappings.edges[0].node;
    expect(node.arrowListingStale).toBe(true);
    expect(node.arrowLicenses).toHaveLength(2);
    expect(node.arrowListingFetchedAt).toBe(fresh.data.customerMappings.edges[0].node.arrowListingFetchedAt);
    expect(gw.sim.stats().licensesFind ?? 0).toBe(0); // the open circuit asked Arrow nothing
  });

  // last: its timeouts open the circuit breaker of these settings' client
  it('fails within the bound when Arrow never answers', async () => {
    gw.sim.setFaults({ hangRate: 1 });
    const t0 = Date.now();
    const res = await screen();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.errors.every((e: any) => e.extensions.code === 'ARROW_UNAVAILABLE')).toBe(true);
    // timeouts are not retried: one timeout (400 ms) per Arrow call, the calls run concurrently
    expect(Date.now() - t0).toBeLessThan(5000);
  });

});

describe('the circuit breaker', () => {
  it('fails fast after repeated failures, then lets a call through after the cool-down', async () => {
    const sim = await startArrowSimulator(companiesFixture(1, period), { faults: { errorRate: 1 } });
    try {
      const client = new ArrowClient({ apiUrl: sim.apiUrl, apiKey: 'test-key', retries: 0, breakerThreshold: 3, breakerCooldownMs: 300 });
      for (let i = 0; i < 3; i++) await expect(client.whoami()).rejects.toThrow(/HTTP 50[03]/);
      expect(client.circuitOpen).toBe(true);
      sim.resetStats();
      await expect(client.whoami()).rejects.toThrow(/circuit open/);
      expect(sim.stats()).toEqual({});
      sim.setFaults({});
      await new Promise((r) => setTimeout(r, 350));
      await expect(client.whoami()).resolves.toMatchObject({ reference: 'XSP000001' });
      expect(client.circuitOpen).toBe(false);
    } finally {
      await sim.close();
    }
  });

  it('does not count answers such as 401 or 404 as Arrow failing', async () => {
    const sim = await startArrowSimulator(companiesFixture(1, period));
    try {
      const client = new ArrowClient({ apiUrl: sim.apiUrl, apiKey: 'wrong', retries: 0, breakerThreshold: 2 });
      for (let i = 0; i < 4; i++) await expect(client.whoami()).rejects.toMatchObject({ status: 401 });
      expect(client.circuitOpen).toBe(false);
    } finally {
      await sim.close();
    }
  });
});
