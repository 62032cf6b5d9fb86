import type { Prisma } from '../src/db/database.js';
import { companyName, generateFixture, rng } from '../src/arrow-sim/generate.js';
import type { ArrowFixture } from '../src/arrow-sim/fixture.js';

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
 * The Waldur side: a customer named like each Arrow customer (without the legal suffix) and
 * the rest random, a project each, resources named like licences (half of a mapped customer's
 * linked), and mappings for the first customers.
 */
export async function seedWaldur(prisma: Prisma, size: BenchSize, fixture: ArrowFixture, settingsUuid: string) {
  const random = rng(11);
  const names = Array.from({ length: size.waldurCustomers }, (_, i) =>
    i < fixture.customers.length ? fixture.customers[i]!.CompanyName.split(' ').slice(0, 3).join(' ') : companyName(random),
  );
  const customers = names.map((name, i) => ({ uuid: uuidFor(1, i), name, abbreviation: name.split(' ').map((w) => w[0]).join('') }));
  const projects = customers.map((c, i) => ({ uuid: uuidFor(2, i), name: 'Production', customerUuid: c.uuid }));
  const offering = await prisma.offering.create({ data: { name: 'Arrow licences' } });
  const perCustomer = Math.max(1, Math.floor(size.resources / size.waldurCustomers));
  const licencesOf = new Map<string, typeof fixture.licenses>();
  for (const l of fixture.licenses) licencesOf.set(l.customer_ref, [...(licencesOf.get(l.customer_ref) ?? []), l]);
  const resources = [];
  for (let i = 0; i < customers.length; i++) {
    const own = i < fixture.customers.length ? (licencesOf.get(fixture.customers[i]!.Reference) ?? []) : [];
    for (let k = 0; k < perCustomer; k++) {
      const licence = own[k];
      resources.push({
        uuid: uuidFor(3, i * perCustomer + k),
        name: licence ? licence.name : `Resource ${k}`,
        backendId: licence && i < size.mappings && k < perCustomer / 2 ? licence.license_id : '',
        projectUuid: projects[i]!.uuid,
        offeringUuid: offering.uuid,
      });
    }
  }
  const mappings = fixture.customers.slice(0, size.mappings).map((c, i) => ({
    uuid: uuidFor(4, i),
    settingsUuid,
    arrowReference: c.Reference,
    arrowCompanyName: c.CompanyName,
    waldurCustomerUuid: customers[i]!.uuid,
    created: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  }));
  for (const [model, rows] of [['waldurCustomer', customers], ['project', projects], ['resource', resources], ['customerMapping', mappings]] as const) {
    for (let i = 0; i < rows.length; i += 2000) {
      await (prisma[model] as unknown as { createMany(a: { data: unknown[] }): Promise<unknown> }).createMany({ data: rows.slice(i, i + 2000) });
    }
  }
  return { waldurNames: names, linked: resources.filter((r) => r.backendId).length };
}

function uuidFor(kind: number, i: number) {
  return `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
}
