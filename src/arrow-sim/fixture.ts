/**
 * The simulator's data, in the documented fixture format (README, "ArrowSphere simulator").
 * Customers and licences are kept exactly as Arrow serves them; billing and consumption rows
 * are objects keyed by column header, served as headers + rows.
 */
export type Money = string | number;

export interface ArrowFixtureCustomer {
  Reference: string;
  CompanyName: string;
  InternalReference?: string;
  Ref?: string;
  EmailContact?: string;
  City?: string;
  CountryCode?: string;
  Contact?: { Email?: string; FirstName?: string; LastName?: string };
  [extra: string]: unknown;
}

export interface ArrowFixtureLicense {
  license_id: string;
  /** Arrow's internal number (find's search-after key); default: by fixture order. */
  id?: number;
  friendlyName: string;
  customer_ref: string;
  /** A service code such as MS-0B-O365-ENTERPRIS, never the vendor. */
  service_ref: string;
  /** The vendor, e.g. Microsoft. */
  vendor_code?: string;
  name: string;
  sku: string;
  state?: string;
  seats?: number;
  [extra: string]: unknown;
}

export interface ArrowFixture {
  /** The key the simulator accepts in the `apiKey` header. */
  apiKey: string;
  partner: { reference: string; companyName: string };
  customers: ArrowFixtureCustomer[];
  licenses: ArrowFixtureLicense[];
  exportTypes?: { reference: string; name: string }[];
  /** Catalog programs (vendors) per category, e.g. IAAS; by default each vendor of the licences, under IAAS. */
  programs?: Record<string, { reference: string; name: string }[]>;
  /** Billing export rows per report period (YYYY-MM), each keyed by column header. */
  billing?: Record<string, Record<string, Money>[]>;
  /** Consumption lines per licence reference and period (YYYY-MM), keyed by column header. */
  consumption?: Record<string, Record<string, Record<string, Money>[]>>;
  /** Predicted monthly consumption per licence reference: one value, or several that are summed. */
  predictions?: Record<string, { sell: Money; buy: Money } | { sell: Money; buy: Money }[]>;
}

/** Service codes as Arrow gives them in service_ref (MS-0B-O365-ENTERPRIS, AWS_AMAZON_SUBSCRIPTION), by offer. */
export const SERVICE_CODES: Record<string, string> = {
  'Azure Plan': 'MS-AZR-0145P-PLAN',
  'Microsoft 365 E3': 'MS-0B-O365-ENTERPRIS',
  'AWS Marketplace': 'AWS_AMAZON_SUBSCRIPTION',
  'Exchange Online Plan 1': 'MS-0B-O365-EXCHANGE',
  'Defender for Endpoint': 'MS-0B-O365-SECURITY',
  'Google Cloud Billing': 'GOOGLE_CLOUD_BILLING',
  'Dynamics 365 Sales': 'MS-0B-D365-SALES',
};

export const BILLING_HEADERS = [
  'Statement Reference',
  'Sequence',
  'End User Company Name',
  'End User Company ID',
  'Vendor Name',
  'Vendor Subscription ID',
  'ARS Subscription ID',
  'Arrow SKU',
  'Product Name',
  'Classification',
  'Qty',
  'Customer Total Price',
  'Total Wholesale Price',
  'Report Period',
] as const;

export const CONSUMPTION_HEADERS = [
  'Report Period',
  'Vendor Product Name',
  'UOM',
  'Quantity',
  'Total sell price',
  'Total buy price',
] as const;

/**
 * One licence's month as Arrow reports it: its line in the billing export and its consumption
 * line, both with the same prices (generators and the demo build their data from this).
 */
export function licenceMonth(m: {
  period: string;
  sequence: string;
  customer: Pick<ArrowFixtureCustomer, 'Reference' | 'CompanyName'>;
  licence: Pick<ArrowFixtureLicense, 'license_id' | 'vendor_code' | 'name' | 'sku'>;
  classification: string;
  sell: string;
  buy: string;
}) {
  const billingRow: Record<(typeof BILLING_HEADERS)[number], string> = {
    'Statement Reference': `ST-${m.period}-${m.customer.Reference}`,
    Sequence: m.sequence,
    'End User Company Name': m.customer.CompanyName,
    'End User Company ID': m.customer.Reference,
    'Vendor Name': m.licence.vendor_code ?? '',
    'Vendor Subscription ID': `SUB-${m.licence.license_id}`,
    'ARS Subscription ID': m.licence.license_id,
    'Arrow SKU': m.licence.sku,
    'Product Name': m.licence.name,
    Classification: m.classification,
    Qty: '1',
    'Customer Total Price': m.sell,
    'Total Wholesale Price': m.buy,
    'Report Period': m.period,
  };
  const consumptionLine: Record<(typeof CONSUMPTION_HEADERS)[number], string> = {
    'Report Period': m.period,
    'Vendor Product Name': m.licence.name,
    UOM: 'Unit',
    Quantity: '1',
    'Total sell price': m.sell,
    'Total buy price': m.buy,
  };
  return { billingRow, consumptionLine };
}
