import type { Prisma } from '../src/db/database.js';
import { generateFixture } from '../src/arrow-sim/generate.js';
import { generateWaldurFixture, generatedUuid } from '../src/waldur-sim/generate.js';
import type { ArrowFixture } from '../src/arrow-sim/fixture.js';

export interface BenchSize {
  arrowCustomers: number;
  licenses: number;
  waldurCustomers: number;
  resources: number;
  mappings: number;
  /** Arrow customers in the CPython difflib sample. */
  pythonSample: number;
  /** Arrow customers our all-pairs matcher scores (to check the pruned one and time it; extrapolated to all). */
  allPairsSample: number;
  /** Seconds of each load run. */
  loadSeconds: number;
}

export const SIZES: Record<'tiny' | 'small' | 'large' | 'xlarge', BenchSize> = {
  // the test suite's: every row of the table on the least data that fills it (50 mappings: a console page size)
  tiny: { arrowCustomers: 60, licenses: 500, waldurCustomers: 150, resources: 500, mappings: 50, pythonSample: 10, allPairsSample: 60, loadSeconds: 1 },
  small: { arrowCustomers: 200, licenses: 2000, waldurCustomers: 500, resources: 2000, mappings: 120, pythonSample: 40, allPairsSample: 200, loadSeconds: 3 },
  large: { arrowCustomers: 2000, licenses: 20000, waldurCustomers: 5000, resources: 20000, mappings: 500, pythonSample: 60, allPairsSample: 300, loadSeconds: 6 },
  // its own run (bench/xlarge.ts): syncs, the screen and the matcher at ten times large
  xlarge: { arrowCustomers: 20000, licenses: 200000, waldurCustomers: 50000, resources: 200000, mappings: 5000, pythonSample: 0, allPairsSample: 0, loadSeconds: 0 },
};

export const BENCH_API_KEY = 'bench-api-key';

export function benchFixture(size: BenchSize, period: string): ArrowFixture {
  return generateFixture({ seed: 7, customers: size.arrowCustomers, licenses: size.licenses, periods: [period], apiKey: BENCH_API_KEY });
}

/**
 * The Waldur side, as a Waldur simulator serves it (`npm run waldur-sim -- --generate` makes the
 * same): see generateWaldurFixture. `mappings` are the gateway's own, made once the mirror holds
 * the customers.
 */
export function benchWaldur(size: BenchSize, fixture: ArrowFixture, token: string) {
  const waldur = generateWaldurFixture({ arrow: fixture, customers: size.waldurCustomers, resources: size.resources, linked: size.mappings, token });
  const mappings = (settingsUuid: string) =>
    fixture.customers.slice(0, size.mappings).map((c, i) => ({
      uuid: generatedUuid('mapping', i),
      settingsUuid,
      arrowReference: c.Reference,
      arrowCompanyName: c.CompanyName,
      waldurCustomerUuid: generatedUuid('customer', i),
      created: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    }));
  return { waldur, waldurNames: waldur.customers.map((c) => c.name), linked: waldur.resources.filter((r) => r.backend_id).length, mappings };
}

export async function seedMappings(prisma: Prisma, rows: { uuid: string; settingsUuid: string; arrowReference: string; arrowCompanyName: string; waldurCustomerUuid: string; created: Date }[]) {
  for (let i = 0; i < rows.length; i += 2000) await prisma.customerMapping.createMany({ data: rows.slice(i, i + 2000) });
}
