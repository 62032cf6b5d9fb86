import type { Prisma } from '../../src/db/database.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';
import type { WaldurSim } from './waldur-sim.js';
import { dashedUuid } from '../../src/waldur/wire.js';

export interface SeededCompany {
  customerUuid: string;
  projectUuid: string;
  resourceUuids: string[];
  mappingUuid?: string;
  arrowReference: string;
}

/**
 * n companies on both sides: an Arrow customer with two licences and consumption for `period`,
 * a Waldur customer with a project and two resources (the first linked to its licence), and,
 * when `mapped`, a mapping between them.
 */
export function companiesFixture(n: number, period: string, apiKey = 'test-key'): ArrowFixture {
  const fixture: ArrowFixture = {
    apiKey,
    partner: { reference: 'XSP000001', companyName: 'Test Partner' },
    customers: [],
    licenses: [],
    exportTypes: [{ reference: 'EXP', name: 'Monthly' }],
    billing: { [period]: [] },
    consumption: {},
    predictions: {},
  };
  for (let i = 0; i < n; i++) {
    const ref = `XSP${500000 + i}`;
    fixture.customers.push({ Reference: ref, CompanyName: `Company ${i} GmbH`, EmailContact: `c${i}@example.com`, City: 'Berlin', CountryCode: 'DE', InternalReference: `INT${i}` });
    for (const [k, offer] of ['Azure Plan', 'Microsoft 365 E3'].entries()) {
      const lic = `XSP${700000 + i * 10 + k}`;
      fixture.licenses.push({ license_id: lic, friendlyName: `Company ${i} ${offer}`, customer_ref: ref, service_ref: k === 0 ? 'MS-AZR-0145P-PLAN' : 'MS-0B-O365-ENTERPRIS', vendor_code: 'Microsoft', name: offer, sku: `SKU-${k}`, state: 'active', seats: 1 });
      fixture.consumption![lic] = { [period]: [{ 'Report Period': period, 'Total sell price': '10.00', 'Total buy price': '8.00' }, { 'Report Period': period, 'Total sell price': '5.50', 'Total buy price': '4.40' }] };
      fixture.billing![period]!.push({
        'Statement Reference': `ST-${ref}`, Sequence: `${i}-${k}`, 'End User Company Name': `Company ${i} GmbH`, 'End User Company ID': ref,
        'Vendor Name': 'Microsoft', 'Vendor Subscription ID': `SUB-${lic}`, 'ARS Subscription ID': lic, 'Arrow SKU': `SKU-${k}`,
        Classification: 'IAAS', Qty: '1', 'Customer Total Price': '15.50', 'Total Wholesale Price': '12.40', 'Report Period': period,
      });
    }
  }
  return fixture;
}

/** What seeding needs of a test gateway: its Waldur simulator, the mirror's sync and its database. */
export interface SeedTarget {
  waldur: WaldurSim;
  syncWaldur(full?: boolean): Promise<unknown>;
  t: { db: { prisma: Prisma } };
}

/** A UUID as the gateway's tables keep it (Waldur answers 32 hex digits). */
export const dashed = dashedUuid;

/** An offering made in Waldur and mirrored; its uuid as the gateway keeps it. */
export async function createOffering(gw: SeedTarget, name: string, type = 'Marketplace.Basic'): Promise<string> {
  const uuid = await gw.waldur.create('offerings', { name, type });
  await gw.syncWaldur();
  return dashed(uuid);
}

/**
 * n Waldur customers made in the Waldur simulator (a project and two resources each, the first
 * linked to the company's first licence, each with its done Create order) and mirrored; the
 * first `mapped` (all by default) mapped to their Arrow customer.
 */
export async function seedCompanies(gw: SeedTarget, opts: { n: number; settingsUuid: string; offeringUuid: string; mapped?: number; plan?: string }): Promise<SeededCompany[]> {
  const made: { customer: string; project: string; resources: string[] }[] = [];
  for (let i = 0; i < opts.n; i++) {
    const customer = await gw.waldur.create('customers', { name: `Company ${i}`, abbreviation: `C${i}` });
    const project = await gw.waldur.create('projects', { name: `Project ${i}`, customer });
    const resources = [
      await gw.waldur.create('resources', { name: 'Azure Plan', backend_id: `XSP${700000 + i * 10}`, project, offering: opts.offeringUuid, ...(opts.plan ? { plan: opts.plan } : {}) }),
      await gw.waldur.create('resources', { name: 'Microsoft 365 E3', project, offering: opts.offeringUuid, ...(opts.plan ? { plan: opts.plan } : {}) }),
    ];
    for (const resource of resources) await gw.waldur.create('orders', { resource, type: 'Create', state: 'done' });
    made.push({ customer, project, resources });
  }
  await gw.syncWaldur();
  const prisma = gw.t.db.prisma;
  const out: SeededCompany[] = [];
  // a millisecond apart, in creation order: two mappings made in the same millisecond would tie
  // on created, and "newest first" would order them by uuid, at random between runs
  const firstCreated = Date.now();
  for (const [i, m] of made.entries()) {
    const arrowReference = `XSP${500000 + i}`;
    const customerUuid = dashed(m.customer);
    let mappingUuid: string | undefined;
    if (i < (opts.mapped ?? opts.n)) {
      mappingUuid = (await prisma.customerMapping.create({ data: { settingsUuid: opts.settingsUuid, arrowReference, arrowCompanyName: `Company ${i} GmbH`, waldurCustomerUuid: customerUuid, created: new Date(firstCreated + i) } })).uuid;
    }
    out.push({ customerUuid, projectUuid: dashed(m.project), resourceUuids: m.resources.map(dashed), mappingUuid, arrowReference });
  }
  return out;
}
