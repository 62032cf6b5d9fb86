import crypto from 'node:crypto';
import type { ArrowFixture, ArrowFixtureLicense } from '../arrow-sim/fixture.js';
import type { WaldurFixture } from '../waldur-sim/fixture.js';
import { licenceMonth, SERVICE_CODES } from '../arrow-sim/fixture.js';
import { periodOf } from '../domain/periods.js';

/**
 * The demo: Arrow customers with similarly named Waldur customers, licences named like resources,
 * some already mapped and linked. The Waldur part is served by the Waldur simulator (demoWaldurFixture),
 * the Arrow part by the ArrowSphere simulator, so both sides agree.
 */
const COMPANIES = [
  'Acme Analytics', 'Borealis Systems', 'Cobalt Logistics', 'Delta Dental Care', 'Evergreen Foods',
  'Fjord Maritime', 'Granite Insurance', 'Helix Biotech', 'Ironwood Legal', 'Juniper Media',
  'Kestrel Aviation', 'Lumen Energy', 'Meridian Hotels', 'Northwind Traders', 'Orchid Fashion',
  'Pinnacle Robotics', 'Quartz Financial', 'Riverbend Schools', 'Saffron Restaurants', 'Tundra Outdoor',
  'Umbra Security', 'Vertex Consulting', 'Willow Healthcare', 'Zenith Telecom',
];
const SUFFIXES = [' GmbH', ' Ltd', ' Inc.', ' AB', ' Oy', ' SAS'];
const CITIES: [string, string][] = [['Berlin', 'DE'], ['London', 'GB'], ['Boston', 'US'], ['Stockholm', 'SE'], ['Helsinki', 'FI'], ['Paris', 'FR']];
const OFFERS: { name: string; vendor: string; sku: string; classification: string }[] = [
  { name: 'Azure Plan', vendor: 'Microsoft', sku: 'MS-AZR-0145P', classification: 'IAAS' },
  { name: 'Microsoft 365 E3', vendor: 'Microsoft', sku: 'MS-365-E3', classification: 'SAAS' },
  { name: 'AWS Marketplace', vendor: 'Amazon Web Services', sku: 'AWS-MP-01', classification: 'IAAS' },
  { name: 'Exchange Online Plan 1', vendor: 'Microsoft', sku: 'MS-EXO-P1', classification: 'SAAS' },
  { name: 'Defender for Endpoint', vendor: 'Microsoft', sku: 'MS-DFE-P2', classification: 'SAAS' },
  { name: 'Google Cloud Billing', vendor: 'Google', sku: 'GCP-BILL', classification: 'IAAS' },
];

export const DEMO_API_KEY = 'demo-arrow-api-key-not-secret';
/**
 * The demo settings' API URL. It names no host (.invalid never resolves): each gateway sends it
 * to its own in-process simulator, so gateways sharing a database need not rewrite it.
 */
export const DEMO_ARROW_API_URL = 'http://arrow-simulator.demo.invalid/index.php/api/';
export const DEMO_OFFERING_NAME = 'Arrow licences';

export interface DemoDataset {
  fixture: ArrowFixture;
  waldurCustomers: {
    name: string;
    abbreviation: string;
    projects: { name: string; resources: { name: string; backendId: string }[] }[];
  }[];
  mappings: { arrowReference: string; arrowCompanyName: string; waldurCustomerName: string }[];
}


/** Cents from integers only, so every figure is an exact decimal string. */
function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

export function demoDataset(now = new Date()): DemoDataset {
  const customers: ArrowFixture['customers'] = [];
  const licenses: ArrowFixtureLicense[] = [];
  const waldurCustomers: DemoDataset['waldurCustomers'] = [];
  const mappings: DemoDataset['mappings'] = [];
  const periods = [periodOf(now, 2), periodOf(now, 1), periodOf(now, 0)];
  const billing: Record<string, Record<string, string>[]> = Object.fromEntries(periods.map((p) => [p, []]));
  const consumption: NonNullable<ArrowFixture['consumption']> = {};
  const predictions: NonNullable<ArrowFixture['predictions']> = {};

  COMPANIES.forEach((base, i) => {
    const reference = `XSP${661200 + i}`;
    const companyName = base + SUFFIXES[i % SUFFIXES.length];
    const [city, countryCode] = CITIES[i % CITIES.length]!;
    const email = `it@${base.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
    customers.push({
      Reference: reference,
      CompanyName: companyName,
      InternalReference: `INT-${1000 + i}`,
      Ref: `INT-${1000 + i}`,
      EmailContact: email,
      City: city,
      CountryCode: countryCode,
      Contact: { Email: email, FirstName: 'Alex', LastName: base.split(' ')[0] },
    });
    const own = [0, 1, 2, 3].slice(0, 2 + (i % 3)).map((k) => OFFERS[(i + k) % OFFERS.length]!);
    const licenceRefs = own.map((offer, k) => {
      const license_id = `XSP${12000 + i * 10 + k}`;
      licenses.push({
        license_id,
        friendlyName: `${base} ${offer.name}`,
        customer_ref: reference,
        service_ref: SERVICE_CODES[offer.name] ?? 'MICROSOFT',
        vendor_code: offer.vendor,
        name: offer.name,
        sku: offer.sku,
        state: 'active',
        seats: 5 + ((i * 7 + k * 3) % 40),
      });
      return { license_id, offer };
    });

    // Waldur knows the first 16 companies; the first 10 are mapped, and their first licence linked.
    if (i < 16) {
      const mapped = i < 10;
      waldurCustomers.push({
        name: base,
        abbreviation: base.split(' ').map((w) => w[0]).join(''),
        projects: [
          {
            name: 'Production',
            resources: licenceRefs.map(({ license_id, offer }, k) => ({
              name: offer.name,
              backendId: mapped && k === 0 ? license_id : '',
            })),
          },
        ],
      });
      if (mapped) mappings.push({ arrowReference: reference, arrowCompanyName: companyName, waldurCustomerName: base });
    }

    licenceRefs.forEach(({ license_id, offer }, k) => {
      consumption[license_id] = {};
      periods.forEach((period, p) => {
        const sellCents = 10_000 + ((i * 997 + k * 331 + p * 113) % 40_000);
        const month = licenceMonth({
          period,
          sequence: `${period.replace('-', '')}${String(i).padStart(3, '0')}${k}`,
          customer: { Reference: reference, CompanyName: companyName },
          licence: { license_id, vendor_code: offer.vendor, name: offer.name, sku: offer.sku },
          classification: offer.classification,
          sell: money(sellCents),
          buy: money(Math.round(sellCents * 0.8)),
        });
        consumption[license_id]![period] = [month.consumptionLine];
        billing[period]!.push(month.billingRow);
      });
      const last = consumption[license_id]![periods[2]!]![0]!;
      predictions[license_id] = { sell: last['Total sell price']!, buy: last['Total buy price']! };
    });
  });

  return {
    fixture: {
      apiKey: DEMO_API_KEY,
      partner: { reference: 'XSP000001', companyName: 'Demo Cloud Reseller' },
      customers,
      licenses,
      exportTypes: [{ reference: 'EXPORT-STD', name: 'Standard billing export' }],
      billing,
      consumption,
      predictions,
    },
    waldurCustomers,
    mappings,
  };
}

/** A UUID that is the same at every start for the same name, so a kept database's mirror still matches the demo's Waldur. */
function demoUuid(name: string): string {
  return crypto.createHash('sha1').update(`arrow-waldur-gateway demo: ${name}`).digest('hex').slice(0, 32);
}

/**
 * The demo's Waldur: its customers with a project each, two offerings (the licences' and a
 * Microsoft CSP one), the resources with their done Create orders.
 */
export function demoWaldurFixture(dataset: DemoDataset, token: string): WaldurFixture {
  const offering = demoUuid(`offering ${DEMO_OFFERING_NAME}`);
  const fixture: WaldurFixture = {
    token,
    customers: [],
    projects: [],
    offerings: [
      { uuid: offering, name: DEMO_OFFERING_NAME, type: 'Marketplace.Basic', plans: [{ uuid: demoUuid('plan Monthly'), name: 'Monthly' }] },
      { uuid: demoUuid('offering Microsoft CSP'), name: 'Microsoft CSP', type: 'Arrow.License' },
    ],
    resources: [],
    orders: [],
  };
  for (const c of dataset.waldurCustomers) {
    const customer = demoUuid(`customer ${c.name}`);
    fixture.customers.push({ uuid: customer, name: c.name, abbreviation: c.abbreviation });
    for (const p of c.projects) {
      const project = demoUuid(`project ${c.name}/${p.name}`);
      fixture.projects.push({ uuid: project, name: p.name, customer });
      for (const r of p.resources) {
        const resource = demoUuid(`resource ${c.name}/${p.name}/${r.name}`);
        fixture.resources.push({ uuid: resource, name: r.name, project, offering, backend_id: r.backendId, state: 'OK' });
        fixture.orders!.push({ uuid: demoUuid(`order ${c.name}/${p.name}/${r.name}`), resource, type: 'Create', state: 'done' });
      }
    }
  }
  return fixture;
}
