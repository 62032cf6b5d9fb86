import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import type { BillingSummary } from '../../domain/billing-summary.js';

type RecentRecord = BillingSummary['recentConsumptionRecords'][number];
type RecentSync = BillingSummary['recentBillingSyncs'][number];

const RecentRecordRef = builder.objectRef<RecentRecord>('RecentConsumptionRecord').implement({
  description: "A consumption record as the billing summary shows it; node(id) fetches the whole ConsumptionRecord.",
  fields: (t) => ({
    id: t.id({ description: "The ConsumptionRecord's global id.", resolve: (r) => encodeGlobalID('ConsumptionRecord', r.uuid) }),
    uuid: t.expose('uuid', { type: 'UUID' }),
    licenseReference: t.exposeString('licenseReference'),
    resourceUuid: t.expose('resourceUuid', { type: 'UUID' }),
    resourceName: t.exposeString('resourceName'),
    billingPeriod: t.expose('billingPeriod', { type: 'Date' }),
    consumedSell: t.expose('consumedSell', { type: 'Decimal' }),
    finalSell: t.expose('finalSell', { type: 'Decimal', nullable: true }),
    isFinalized: t.exposeBoolean('isFinalized'),
    isReconciled: t.exposeBoolean('isReconciled'),
  }),
});

const RecentSyncRef = builder.objectRef<RecentSync>('RecentBillingSync').implement({
  description: "A billing sync as the billing summary shows it; node(id) fetches the whole BillingSync.",
  fields: (t) => ({
    id: t.id({ description: "The BillingSync's global id.", resolve: (r) => encodeGlobalID('BillingSync', r.uuid) }),
    uuid: t.expose('uuid', { type: 'UUID' }),
    reportPeriod: t.exposeString('reportPeriod'),
    state: t.exposeString('state'),
    sellTotal: t.expose('sellTotal', { type: 'Decimal' }),
    itemsCount: t.exposeInt('itemsCount'),
    created: t.expose('created', { type: 'DateTime' }),
  }),
});

export const BillingSummaryRef = builder.objectRef<BillingSummary>('BillingSummary').implement({
  description: "Consumption records of the Waldur customer's resources and the mapping's billing syncs (billing_summary).",
  fields: (t) => ({
    id: t.id({ description: "A cache key: the mapping's (one summary per mapping). Not a Node: read it again through its mapping.", resolve: (s) => encodeGlobalID('BillingSummary', s.mapping.uuid) }),
    totalConsumptionRecords: t.exposeInt('totalConsumptionRecords'),
    totalConsumedSell: t.expose('totalConsumedSell', { type: 'Decimal' }),
    totalFinalSell: t.expose('totalFinalSell', { type: 'Decimal', nullable: true, description: 'Null when no record has a final price.' }),
    pendingRecords: t.exposeInt('pendingRecords', { description: 'Records not finalized yet.' }),
    finalizedRecords: t.exposeInt('finalizedRecords'),
    reconciledRecords: t.exposeInt('reconciledRecords'),
    totalBillingSyncs: t.exposeInt('totalBillingSyncs'),
    totalBillingSell: t.expose('totalBillingSell', { type: 'Decimal', nullable: true, description: 'Null when there is no billing sync.' }),
    waldurInvoiced: t.field({ type: 'Decimal', description: "What of the month's Arrow charges is on Waldur's invoices: billing lines (INVOICE_ITEMS) or usage (COMPONENT_USAGE), reconciliation's compensations included, in the settings' price source.", resolve: (s) => s.waldur.invoiced }),
    waldurPending: t.field({ type: 'Decimal', description: 'Lines named for Waldur but not yet confirmed on an invoice (the next push completes them).', resolve: (s) => s.waldur.pending }),
    waldurFailed: t.field({ type: 'Decimal', description: 'Lines Waldur refused (their waldurError says why).', resolve: (s) => s.waldur.failed }),
    waldurFailedLines: t.int({ resolve: (s) => s.waldur.failedLines }),
    recentConsumptionRecords: t.expose('recentConsumptionRecords', { type: [RecentRecordRef], description: 'The 20 most recent, by billing period.' }),
    recentBillingSyncs: t.expose('recentBillingSyncs', { type: [RecentSyncRef], description: 'The 20 most recent, by report period.' }),
  }),
});
