import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import { generateFixture } from '../../src/arrow-sim/generate.js';

/**
 * A page of mappings costs Arrow requests bounded by the page, not by how many customers Arrow
 * has: the customer listing when it is no longer than looking the page's customers up, else one
 * lookup each (ten times the data: 20,000 customers are 200 pages of the listing).
 */
describe("the customers a page of mappings names (Arrow's listing: 7 pages of 100)", () => {
  const fixture = generateFixture({ customers: 700, licenses: 0 });
  let sim: RunningSimulator;
  let arrow: ArrowSource;
  let settings: { uuid: string; apiUrl: string; apiKey: string };
  const refs = (n: number) => fixture.customers.slice(0, n).map((c) => c.Reference);

  beforeAll(async () => {
    sim = await startArrowSimulator(fixture);
    settings = { uuid: '00000000-0000-4000-8000-000000000001', apiUrl: sim.apiUrl, apiKey: fixture.apiKey };
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    arrow = new ArrowSource({ timeoutMs: 3000, retries: 0, maxInFlight: 8, cacheTtlMs: 60_000 });
    sim.resetStats();
  });

  it('a few customers: one lookup each', async () => {
    expect((await arrow.customersFor(settings, refs(3))).items.map((c) => c.reference)).toEqual(refs(3));
    expect(sim.stats()).toEqual({ customer: 3 });
  });

  it("more customers than the listing has pages: the listing's first page, then one lookup each", async () => {
    expect((await arrow.customersFor(settings, refs(6))).items.map((c) => c.reference).sort()).toEqual(refs(6).sort());
    expect(sim.stats()).toEqual({ customers: 1, customer: 6 });
  });

  it('as many customers as the listing has pages, or more: the listing, its first page read once', async () => {
    const listing = await arrow.customersFor(settings, refs(7));
    expect(listing.items).toHaveLength(700);
    expect(sim.stats()).toEqual({ customers: 7 });
    // then kept: any page of customers is answered from it
    await arrow.customersFor(settings, refs(50));
    await arrow.customersFor(settings, refs(2));
    expect(sim.stats()).toEqual({ customers: 7 });
  });
});
