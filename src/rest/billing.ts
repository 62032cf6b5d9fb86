import type { BillingSyncState } from '../generated/prisma/enums.js';
import {
  getBillingSync,
  getBillingSyncItem,
  getConsumptionRecord,
  listBillingSyncItems,
  listBillingSyncs,
  listConsumptionRecords,
  type BillingSyncFilters,
  type BillingSyncItemFilters,
  type ConsumptionRecordFilters,
} from '../domain/billing-reads.js';
import { ValidationError } from '../domain/errors.js';
import { RestError } from './http.js';
import { QueryReader } from './input.js';
import { paginated } from './pagination.js';
import type { Route } from './router.js';
import { billingSyncItemDetailJson, billingSyncJson, consumptionRecordJson } from './serializers.js';

const SYNCS = '/api/admin/arrow/billing-syncs';
const ITEMS = '/api/admin/arrow/billing-sync-items';
const RECORDS = '/api/admin/arrow/consumption-records';
const STATES: Record<string, BillingSyncState> = { '1': 'PENDING', '2': 'SYNCED', '3': 'VALIDATED', '4': 'RECONCILED' };

/** A period range's 400 under the names this list's query gives its bounds (the domain names them periodFrom/periodTo). */
async function withPeriodErrors<T>(names: [from: string, to: string], read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const rename: Record<string, string> = { periodFrom: names[0], periodTo: names[1] };
    throw new RestError(400, Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [rename[k] ?? k, v])));
  }
}

function syncFilters(q: URLSearchParams): BillingSyncFilters {
  const r = new QueryReader(q);
  const state = r.text('state');
  if (state !== undefined && !STATES[state]) r.errors.state = [`Select a valid choice. ${state} is not one of the available choices.`];
  return r.done({
    mappingUuid: r.uuid('customer_mapping_uuid', 'customer_mapping'),
    settingsUuid: r.uuid('settings_uuid'),
    statementReference: r.text('statement_reference'),
    reportPeriod: r.text('report_period'),
    periodFrom: r.text('report_period_from'),
    periodTo: r.text('report_period_to'),
    state: state ? STATES[state] : undefined,
    arrowState: r.text('arrow_state'),
  });
}

function itemFilters(q: URLSearchParams): BillingSyncItemFilters {
  const r = new QueryReader(q);
  return r.done({
    billingSyncUuid: r.uuid('billing_sync_uuid', 'billing_sync'),
    reportPeriod: r.text('report_period'),
    vendorName: r.text('vendor_name'),
    classification: r.text('classification'),
    subscriptionReference: r.text('subscription_reference'),
    arrowLineReference: r.text('arrow_line_reference'),
    hasCompensation: r.boolean('has_compensation'),
  });
}

function recordFilters(q: URLSearchParams): ConsumptionRecordFilters {
  const r = new QueryReader(q);
  const period = (name: string) => {
    const v = r.text(name);
    // Waldur filters billing_period as a date; a month is what it means, so either is taken
    if (v !== undefined && !/^\d{4}-\d{2}(-\d{2})?$/.test(v)) r.errors[name] = ['Enter a valid date.'];
    return v?.slice(0, 7);
  };
  return r.done({
    resourceUuid: r.uuid('resource_uuid', 'resource'),
    projectUuid: r.uuid('project_uuid'),
    customerUuid: r.uuid('customer_uuid'),
    licenseReference: r.text('license_reference'),
    billingPeriod: period('billing_period'),
    periodFrom: period('billing_period_from'),
    periodTo: period('billing_period_to'),
    finalized: r.boolean('is_finalized'),
    reconciled: r.boolean('is_reconciled'),
  });
}

export const billingRoutes: Route[] = [
  {
    method: 'GET',
    path: `${SYNCS}/`,
    handle: (r, deps) => {
      const filters = syncFilters(r.query);
      return withPeriodErrors(['report_period_from', 'report_period_to'], () => paginated(r, (w) => listBillingSyncs(deps.prisma, filters, w), (s) => billingSyncJson(s, r.links)));
    },
  },
  { method: 'GET', path: `${SYNCS}/:uuid/`, handle: async (r, deps) => ({ status: 200, body: billingSyncJson(await getBillingSync(deps.prisma, r.params.uuid!), r.links) }) },
  {
    method: 'GET',
    path: `${ITEMS}/`,
    handle: (r, deps) => {
      const filters = itemFilters(r.query);
      return paginated(r, (w) => listBillingSyncItems(deps.prisma, filters, w), (i) => billingSyncItemDetailJson(i, r.links));
    },
  },
  { method: 'GET', path: `${ITEMS}/:uuid/`, handle: async (r, deps) => ({ status: 200, body: billingSyncItemDetailJson(await getBillingSyncItem(deps.prisma, r.params.uuid!), r.links) }) },
  {
    method: 'GET',
    path: `${RECORDS}/`,
    handle: (r, deps) => {
      const filters = recordFilters(r.query);
      return withPeriodErrors(['billing_period_from', 'billing_period_to'], () => paginated(r, (w) => listConsumptionRecords(deps.prisma, filters, w), (c) => consumptionRecordJson(c, r.links)));
    },
  },
  { method: 'GET', path: `${RECORDS}/:uuid/`, handle: async (r, deps) => ({ status: 200, body: consumptionRecordJson(await getConsumptionRecord(deps.prisma, r.params.uuid!), r.links) }) },
];
