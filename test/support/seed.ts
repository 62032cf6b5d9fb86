import type { Prisma } from '../../src/db/database.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';

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

export async function seedCompanies(prisma: Prisma, opts: { n: number; settingsUuid: string; offeringUuid: string; mapped?: number }): Promise<SeededCompany[]> {
  const out: SeededCompany[] = [];
  for (let i = 0; i < opts.n; i++) {
    const customer = await prisma.waldurCustomer.create({ data: { name: `Company ${i}`, abbreviation: `C${i}` } });
    const project = await prisma.project.create({ data: { name: `Project ${i}`, customerUuid: customer.uuid } });
    const linked = await prisma.resource.create({ data: { name: 'Azure Plan', backendId: `XSP${700000 + i * 10}`, projectUuid: project.uuid, offeringUuid: opts.offeringUuid } });
    const unlinked = await prisma.resource.create({ data: { name: 'Microsoft 365 E3', projectUuid: project.uuid, offeringUuid: opts.offeringUuid } });
    const arrowReference = `XSP${500000 + i}`;
    let mappingUuid: string | undefined;
    if (i < (opts.mapped ?? opts.n)) {
      mappingUuid = (await prisma.customerMapping.create({ data: { settingsUuid: opts.settingsUuid, arrowReference, arrowCompanyName: `Company ${i} GmbH`, waldurCustomerUuid: customer.uuid } })).uuid;
    }
    out.push({ customerUuid: customer.uuid, projectUuid: project.uuid, resourceUuids: [linked.uuid, unlinked.uuid], mappingUuid, arrowReference });
  }
  return out;
}
