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
  friendlyName: string;
  customer_ref: string;
  service_ref: string;
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
  /** Billing export rows per report period (YYYY-MM), each keyed by column header. */
  billing?: Record<string, Record<string, Money>[]>;
  /** Consumption lines per licence reference and period (YYYY-MM), keyed by column header. */
  consumption?: Record<string, Record<string, Record<string, Money>[]>>;
  /** Predicted monthly consumption per licence reference. */
  predictions?: Record<string, { sell: Money; buy: Money }>;
}

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
