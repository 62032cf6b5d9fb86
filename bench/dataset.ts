import type { Prisma } from '../src/db/database.js';
import { companyName, generateFixture, rng } from '../src/arrow-sim/generate.js';
import type { ArrowFixture } from '../src/arrow-sim/fixture.js';
import type { WaldurFixture } from '../src/waldur-sim/fixture.js';

export interface BenchSize {
  arrowCustomers: number;
  licenses: number;
  waldurCustomers: number;
  resources: number;
  mappings: number;
  /** Arrow customers in the CPython difflib sample. */
  pythonSample: number;
  /** Seconds of each load run. */
  loadSeconds: number;
}

export const SIZES: Record<'small' | 'large', BenchSize> = {
  small: { arrowCustomers: 200, licenses: 2000, waldurCustomers: 500, resources: 2000, mappings: 120, pythonSample: 40, loadSeconds: 3 },
  large: { arrowCustomers: 2000, licenses: 20000, waldurCustomers: 5000, resources: 20000, mappings: 500, pythonSample: 200, loadSeconds: 10 },
};

export const BENCH_API_KEY = 'bench-api-key';

export function benchFixture(size: BenchSize, period: string): ArrowFixture {
  return generateFixture({ seed: 7, customers: size.arrowCustomers, licenses: size.licenses, periods: [period], apiKey: BENCH_API_KEY });
}

/**
 * The Waldur side, as a Waldur simulator serves it: a customer named like each Arrow customer
 * (without the legal suffix) and the rest random, a project each, resources named like licences
 * (half of a mapped customer's linked) with their done Create orders. `mappings` are the
 * gateway's own, made once the mirror holds the customers.
 */
export function benchWaldur(size: BenchSize, fixture: ArrowFixture, token: string) {
  const random = rng(11);
  const names = Array.from({ length: size.waldurCustomers }, (_, i) =>
    i < fixture.customers.length ? fixture.customers[i]!.CompanyName.split(' ').slice(0, 3).join(' ') : companyName(random),
  );
  const offering = uuidFor(5, 0);
  const waldur: WaldurFixture = {
    token,
    customers: names.map((name, i) => ({ uuid: uuidFor(1, i), name, abbreviation: name.split(' ').map((w) => w[0]).join('') })),
    projects: names.map((_, i) => ({ uuid: uuidFor(2, i), name: 'Production', customer: uuidFor(1, i) })),
    offerings: [{ uuid: offering, name: 'Arrow licences', type: 'Marketplace.Basic' }],
    resources: [],
    orders: [],
  };
  const perCustomer = Math.max(1, Math.floor(size.resources / size.waldurCustomers));
  const licencesOf = new Map<string, typeof fixture.licenses>();
  for (const l of fixture.licenses) licencesOf.set(l.customer_ref, [...(licencesOf.get(l.customer_ref) ?? []), l]);
  for (let i = 0; i < names.length; i++) {
    const own = i < fixture.customers.length ? (licencesOf.get(fixture.customers[i]!.Reference) ?? []) : [];
    for (let k = 0; k < perCustomer; k++) {
      const licence = own[k];
      const uuid = uuidFor(3, i * perCustomer + k);
      waldur.resources.push({ uuid, name: licence ? licence.name : `Resource ${k}`, backend_id: licence && i < size.mappings && k < perCustomer / 2 ? licence.license_id : '', project: uuidFor(2, i), offering });
      waldur.orders!.push({ uuid: uuidFor(6, i * perCustomer + k), resource: uuid, type: 'Create', state: 'done' });
    }
  }
  const mappings = (settingsUuid: string) =>
    fixture.customers.slice(0, size.mappings).map((c, i) => ({
      uuid: uuidFor(4, i),
      settingsUuid,
      arrowReference: c.Reference,
      arrowCompanyName: c.CompanyName,
      waldurCustomerUuid: uuidFor(1, i),
      created: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    }));
  return { waldur, waldurNames: names, linked: waldur.resources.filter((r) => r.backend_id).length, mappings };
}

/** Adds the gateway's own mappings (the mirror must hold their customers). */
export async function seedMappings(prisma: Prisma, rows: { uuid: string; settingsUuid: string; arrowReference: string; arrowCompanyName: string; waldurCustomerUuid: string; created: Date }[]) {
  for (let i = 0; i < rows.length; i += 2000) await prisma.customerMapping.createMany({ data: rows.slice(i, i + 2000) });
}

function uuidFor(kind: number, i: number) {
  return `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
}
