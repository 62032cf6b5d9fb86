import crypto from 'node:crypto';
import { Decimal } from '../domain/money.js';
import { hexUuid } from './fixture.js';

/**
 * Waldur's invoices as the simulator keeps them: one per customer and month, created on demand,
 * with their items. The rules are waldur-mastermind's (invoices/views.py `import_usage`,
 * invoices/models.py `Invoice.States`), the shapes waldur/py-client's `Invoice`, `InvoiceItem`
 * and `ImportUsageResponse` (test/fixtures/waldur-sdk/invoices.json names the commit).
 */
export type InvoiceState = 'pending' | 'pending_finalization' | 'created' | 'paid' | 'canceled';

/** Invoice.States.MUTABLE_STATES: the states that still accept items. */
export const MUTABLE_STATES: readonly InvoiceState[] = ['pending', 'pending_finalization'];

export interface SimInvoiceItem {
  uuid: string;
  name: string;
  articleCode: string;
  unitPrice: Decimal;
  quantity: Decimal;
  start: Date;
  end: Date;
  details: Record<string, string>;
  /** A usage's item names its resource (registrators.py); import_usage's items have none. */
  resource?: string;
  measuredUnit?: string;
}

export interface SimInvoice {
  uuid: string;
  created: Date;
  modified: Date;
  customer: string;
  year: number;
  month: number;
  state: InvoiceState;
  items: SimInvoiceItem[];
}

const newUuid = () => crypto.randomUUID().replace(/-/g, '');
/** Waldur prices to two decimal places in its answers (PRICE_DECIMAL_PLACES for items is more; totals are 2). */
const money = (d: Decimal) => d.toFixed(2);

export class InvoiceBook {
  private readonly invoices = new Map<string, SimInvoice>();

  /** `now`: the simulator's clock (tests move it across a month's end). */
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Invoice.objects.get_or_create(customer, year, month): a new one is pending. */
  invoiceOf(customer: string, year: number, month: number): SimInvoice {
    const key = `${hexUuid(customer)}|${year}|${month}`;
    let invoice = this.invoices.get(key);
    if (!invoice) {
      const now = this.now();
      invoice = { uuid: newUuid(), created: now, modified: now, customer: hexUuid(customer), year, month, state: 'pending', items: [] };
      this.invoices.set(key, invoice);
    }
    return invoice;
  }

  all(): SimInvoice[] {
    return [...this.invoices.values()];
  }

  byUuid(uuid: string): SimInvoice | undefined {
    return this.all().find((i) => i.uuid === hexUuid(uuid));
  }

  /**
   * POST /api/invoices/import_usage/ (staff; the caller checks): each item on its customer's
   * invoice of the month, quantity 1. A customer not found is an error; a zero price and an item
   * of the same name and article code already on the invoice are skipped; an invoice that is no
   * longer mutable refuses the item with an error naming its state.
   */
  importUsage(body: Record<string, unknown>, customers: Map<string, { uuid: string; name: string }>): [number, unknown] {
    const year = Number(body.year);
    const month = Number(body.month);
    const errors: Record<string, string[]> = {};
    if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.year = [body.year === undefined ? 'This field is required.' : `Ensure this value is ${year < 2000 ? 'greater than or equal to 2000' : 'less than or equal to 2100'}.`];
    if (!Number.isInteger(month) || month < 1 || month > 12) errors.month = [body.month === undefined ? 'This field is required.' : `Ensure this value is ${month < 1 ? 'greater than or equal to 1' : 'less than or equal to 12'}.`];
    const items = body.items;
    if (!Array.isArray(items)) errors.items = ['This field is required.'];
    else if (!items.length) errors.items = ['At least one item is required.'];
    if (Object.keys(errors).length) return [400, errors];
    const byName = new Map([...customers.values()].map((c) => [c.name.toLowerCase(), c]));
    let created = 0;
    let skipped = 0;
    const failures: { customer_name: string; reason: string }[] = [];
    for (const raw of items as Record<string, unknown>[]) {
      if (typeof raw.name !== 'string' || !raw.name || raw.unit_price === undefined || !/^-?\d+(\.\d+)?$/.test(String(raw.unit_price))) {
        return [400, { items: ['Each item needs a name and a decimal unit_price.'] }];
      }
      if (!raw.customer_uuid && !raw.customer_name) return [400, { items: [{ non_field_errors: ['Either customer_name or customer_uuid must be provided.'] }] }];
      const identifier = raw.customer_uuid ? hexUuid(String(raw.customer_uuid)) : String(raw.customer_name).trim();
      const customer = raw.customer_uuid ? customers.get(identifier) : byName.get(identifier.toLowerCase());
      if (!customer) {
        failures.push({ customer_name: identifier || 'Unknown', reason: 'Customer not found' });
        continue;
      }
      const unitPrice = new Decimal(String(raw.unit_price));
      if (unitPrice.isZero()) {
        skipped++;
        continue;
      }
      const invoice = this.invoiceOf(customer.uuid, year, month);
      if (!MUTABLE_STATES.includes(invoice.state)) {
        failures.push({ customer_name: customer.name, reason: `Invoice is in '${invoice.state}' state, items can only be added to mutable invoices` });
        continue;
      }
      const articleCode = String(raw.article_code ?? '');
      if (invoice.items.some((i) => i.name === raw.name && i.articleCode === articleCode)) {
        skipped++;
        continue;
      }
      const details: Record<string, string> = {};
      for (const key of ['service_provider_name', 'offering_name', 'plan_name']) if (raw[key]) details[key] = String(raw[key]);
      // the item's start and end default to the month the code runs (InvoiceItem defaults), not the invoice's
      const now = this.now();
      invoice.items.push({
        uuid: newUuid(),
        name: raw.name,
        articleCode,
        unitPrice,
        quantity: new Decimal(1),
        start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1000),
        details,
      });
      invoice.modified = now;
      created++;
    }
    return [200, { created, skipped, errors: failures }];
  }
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function invoiceItemJson(item: SimInvoiceItem, base: string) {
  // an item's price is unit price × quantity (invoices/models.py InvoiceItem.price)
  const price = item.unitPrice.times(item.quantity);
  return {
    uuid: item.uuid,
    url: `${base}/api/invoice-items/${item.uuid}/`,
    name: item.name,
    price: price.toNumber(),
    tax: '0.00',
    total: money(price),
    unit_price: item.unitPrice.toFixed(7).replace(/(\.\d{2}\d*?)0+$/, '$1'),
    unit: 'quantity',
    factor: Number(item.quantity.toString()),
    measured_unit: item.measuredUnit ?? '',
    start: iso(item.start),
    end: iso(item.end),
    article_code: item.articleCode,
    project_name: '',
    project_uuid: null,
    quantity: item.quantity.toFixed(2),
    details: item.details,
    resource: item.resource ? `${base}/api/marketplace-resources/${item.resource}/` : null,
    ...(item.resource ? { resource_uuid: item.resource } : {}),
    resource_name: item.details.resource_name ?? '',
    billing_type: '',
    backend_uuid: null,
    credit: false,
  };
}

export function invoiceJson(invoice: SimInvoice, base: string, customerName: string) {
  const price = invoice.items.reduce((a, i) => a.plus(i.unitPrice.times(i.quantity)), new Decimal(0));
  const compensations = invoice.items.filter((i) => i.unitPrice.isNegative()).reduce((a, i) => a.plus(i.unitPrice.times(i.quantity)), new Decimal(0));
  return {
    url: `${base}/api/invoices/${invoice.uuid}/`,
    uuid: invoice.uuid,
    number: 100000 + Number.parseInt(invoice.uuid.slice(0, 6), 16) % 900000,
    customer: `${base}/api/customers/${invoice.customer}/`,
    price: money(price),
    tax: '0.00',
    total: money(price),
    state: invoice.state,
    year: invoice.year,
    month: invoice.month,
    invoice_date: null,
    customer_details: { name: customerName },
    items: invoice.items.map((i) => invoiceItemJson(i, base)),
    backend_id: '',
    compensations: compensations.toNumber(),
    incurred_costs: price.minus(compensations).toNumber(),
  };
}
