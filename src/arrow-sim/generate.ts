import { rng } from '../simulator-kit.js';
import { licenceMonth, SERVICE_CODES, type ArrowFixture, type ArrowFixtureLicense } from './fixture.js';

export interface GenerateOptions {
  seed?: number;
  customers: number;
  licenses: number;
  /** Report periods (YYYY-MM) that get billing rows and consumption lines. */
  periods?: string[];
  apiKey?: string;
}

const WORDS = [
  'Alpha', 'Nordic', 'Blue', 'Summit', 'Harbor', 'Crystal', 'Pioneer', 'Atlas', 'Silver', 'Vector', 'Cedar', 'Falcon',
  'Horizon', 'Quantum', 'Maple', 'Orbit', 'Prairie', 'Coastal', 'Granite', 'Aurora', 'Beacon', 'Delta', 'Echo', 'Fusion',
  'Global', 'Liberty', 'Metro', 'Nova', 'Omega', 'Polar', 'Royal', 'Sierra', 'Titan', 'Union', 'Valley', 'Western',
];
const KINDS = ['Systems', 'Logistics', 'Health', 'Foods', 'Energy', 'Media', 'Legal', 'Consulting', 'Robotics', 'Finance', 'Hotels', 'Retail'];
const SUFFIXES = ['GmbH', 'Ltd', 'Inc.', 'AB', 'Oy', 'SAS', 'BV', 'S.p.A.'];
const OFFERS = [
  ['Azure Plan', 'Microsoft', 'MS-AZR-0145P'], ['Microsoft 365 E3', 'Microsoft', 'MS-365-E3'], ['AWS Marketplace', 'Amazon Web Services', 'AWS-MP-01'],
  ['Exchange Online Plan 1', 'Microsoft', 'MS-EXO-P1'], ['Google Cloud Billing', 'Google', 'GCP-BILL'], ['Dynamics 365 Sales', 'Microsoft', 'MS-D365-S'],
] as const;

export { rng } from '../simulator-kit.js';

export function companyName(random: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return `${pick(WORDS)} ${pick(WORDS)} ${pick(KINDS)}`;
}

/** Generates a fixture of the given size; names repeat words, as real company names do. */
export function generateFixture(options: GenerateOptions): ArrowFixture {
  const random = rng(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const customers: ArrowFixture['customers'] = [];
  for (let i = 0; i < options.customers; i++) {
    const name = `${companyName(random)} ${pick(SUFFIXES)}`;
    customers.push({
      Reference: `XSP${100000 + i}`,
      CompanyName: name,
      InternalReference: `INT-${i}`,
      Ref: `INT-${i}`,
      EmailContact: `contact${i}@example.com`,
      City: pick(['Berlin', 'Paris', 'London', 'Oslo', 'Madrid']),
      CountryCode: pick(['DE', 'FR', 'GB', 'NO', 'ES']),
    });
  }
  const licenses: ArrowFixtureLicense[] = [];
  const billing: NonNullable<ArrowFixture['billing']> = {};
  const consumption: NonNullable<ArrowFixture['consumption']> = {};
  const predictions: NonNullable<ArrowFixture['predictions']> = {};
  for (let i = 0; i < options.licenses; i++) {
    const customer = customers[options.customers ? i % options.customers : 0];
    if (!customer) break;
    const [offer, vendor, sku] = pick(OFFERS);
    const licence = {
      license_id: `XSP${1000000 + i}`,
      friendlyName: `${customer.CompanyName.split(' ').slice(0, 2).join(' ')} ${offer}`,
      customer_ref: customer.Reference,
      service_ref: SERVICE_CODES[offer] ?? 'MICROSOFT',
      vendor_code: vendor,
      name: offer,
      sku,
      state: 'active',
      seats: 1 + Math.floor(random() * 50),
    };
    licenses.push(licence);
    for (const period of options.periods ?? []) {
      const sellCents = 1000 + Math.floor(random() * 100_000);
      const sell = (sellCents / 100).toFixed(2);
      const buy = (Math.round(sellCents * 0.8) / 100).toFixed(2);
      const month = licenceMonth({ period, sequence: `${period}-${i}`, customer, licence, classification: 'IAAS', sell, buy });
      (billing[period] ??= []).push(month.billingRow);
      (consumption[licence.license_id] ??= {})[period] = [month.consumptionLine];
      predictions[licence.license_id] = { sell, buy };
    }
  }
  return {
    apiKey: options.apiKey ?? 'sim-api-key',
    partner: { reference: 'XSP000001', companyName: 'Simulated Partner' },
    customers,
    licenses,
    exportTypes: [{ reference: 'EXPORT-STD', name: 'Standard billing export' }],
    billing,
    consumption,
    predictions,
  };
}
