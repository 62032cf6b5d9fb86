import { describedValues } from '../enum-values.js';
import { WaldurItemState } from '../../generated/prisma/enums.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { BillingSyncState, FlowKind, FlowRunStatus, AdjustmentKind } from '../../generated/prisma/enums.js';
import type { Prisma as P } from '../../generated/prisma/client.js';
import { parsePeriod } from '../../domain/periods.js';
import { BILLING_SYNC_ITEM_ORDER, BILLING_SYNC_ORDER, CONSUMPTION_RECORD_ORDER, billingSyncItemWhere, billingSyncWhere, consumptionRecordWhere } from '../../domain/billing-reads.js';

const BillingSyncStateEnum = builder.enumType('BillingSyncState', {
  description: 'Where a billing statement is in its life: synced, validated against Arrow\'s statement, reconciled with the final figures.',
  values: describedValues(BillingSyncState, {
    PENDING: 'Read from Arrow, not yet complete.',
    SYNCED: 'Its lines are stored.',
    VALIDATED: 'Checked against Arrow\'s validated statement.',
    RECONCILED: 'Compared with the final figures; adjustments made.',
  }),
});
const AdjustmentKindEnum = builder.enumType('AdjustmentKind', {
  description: 'What a reconciliation adjustment does to the bill.',
  values: describedValues(AdjustmentKind, {
    CREDIT: 'The final figure is lower: money back.',
    EXTRA_CHARGE: 'The final figure is higher: more to bill.',
  }),
});

builder.prismaNode('Adjustment', {
  description: 'A difference found by reconciliation: negative is a credit, positive an extra charge.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    kind: t.expose('kind', { type: AdjustmentKindEnum }),
    amount: t.expose('amount', { type: 'Decimal' }),
    priceSource: t.exposeString('priceSource'),
    description: t.exposeString('description'),
    created: t.expose('created', { type: 'DateTime' }),
  }),
});

const WaldurItemStateEnum = builder.enumType('WaldurItemState', {
  description: "A billing line's (or a consumption record's) place in Waldur's invoices.",
  values: describedValues(WaldurItemState, {
    NOT_PUSHED: 'Waldur billing is off, or the push has not run yet.',
    PENDING: 'Named, sent or about to be: the next push completes it.',
    INVOICED: "On Waldur's invoice.",
    FAILED: 'Waldur refused it (see waldurError).',
    SKIPPED: 'Nothing to bill, or no stable identity in the export.',
  }),
});

builder.prismaNode('BillingSyncItem', {
  description: 'One line of an Arrow billing export.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    arrowLineReference: t.exposeString('arrowLineReference'),
    originalPrice: t.expose('originalPrice', { type: 'Decimal', description: 'Sell price as billed.' }),
    buyPrice: t.expose('buyPrice', { type: 'Decimal' }),
    vendorName: t.exposeString('vendorName'),
    subscriptionReference: t.exposeString('subscriptionReference'),
    licenseReference: t.exposeString('licenseReference'),
    classification: t.exposeString('classification'),
    description: t.exposeString('description'),
    quantity: t.expose('quantity', { type: 'Decimal' }),
    waldurState: t.expose('waldurState', { type: WaldurItemStateEnum, description: "Where the line stands in Waldur's invoices." }),
    waldurItemName: t.exposeString('waldurItemName', { description: "The item's name on the Waldur invoice (fixed at the first push)." }),
    waldurInvoicePeriod: t.exposeString('waldurInvoicePeriod', { description: 'The invoice month (YYYY-MM): the report period, or a later one when that invoice was closed.' }),
    waldurInvoiceUuid: t.expose('waldurInvoiceUuid', { type: 'UUID', nullable: true }),
    waldurInvoiceItemUuid: t.expose('waldurInvoiceItemUuid', { type: 'UUID', nullable: true }),
    waldurError: t.exposeString('waldurError', { description: "Why the line is pending, failed or skipped, in Waldur's or our words." }),
    created: t.expose('created', { type: 'DateTime' }),
    billingSync: t.relation('billingSync'),
    adjustment: t.relation('adjustment', { nullable: true }),
  }),
});

builder.prismaNode('BillingSync', {
  description: 'One Arrow billing statement of one mapped customer and month.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    customerMapping: t.relation('customerMapping'),
    statementReference: t.exposeString('statementReference'),
    reportPeriod: t.exposeString('reportPeriod'),
    arrowState: t.exposeString('arrowState'),
    state: t.expose('state', { type: BillingSyncStateEnum }),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
    validatedAt: t.expose('validatedAt', { type: 'DateTime', nullable: true }),
    reconciledAt: t.expose('reconciledAt', { type: 'DateTime', nullable: true }),
    sellTotal: t.expose('sellTotal', { type: 'Decimal' }),
    buyTotal: t.expose('buyTotal', { type: 'Decimal' }),
    currency: t.exposeString('currency'),
    errorMessage: t.exposeString('errorMessage'),
    created: t.expose('created', { type: 'DateTime' }),
    items: t.relation('items', { query: { orderBy: [{ arrowLineReference: 'asc' }] } }),
  }),
});

builder.prismaNode('ConsumptionRecord', {
  description: "A licence's consumption on one resource for one month; final prices come from the billing export.",
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    resource: t.relation('resource'),
    licenseReference: t.exposeString('licenseReference'),
    billingPeriod: t.expose('billingPeriod', { type: 'Date' }),
    consumedSell: t.expose('consumedSell', { type: 'Decimal' }),
    consumedBuy: t.expose('consumedBuy', { type: 'Decimal' }),
    finalSell: t.expose('finalSell', { type: 'Decimal', nullable: true }),
    finalBuy: t.expose('finalBuy', { type: 'Decimal', nullable: true }),
    lastSyncAt: t.expose('lastSyncAt', { type: 'DateTime', nullable: true }),
    finalizedAt: t.expose('finalizedAt', { type: 'DateTime', nullable: true }),
    reconciledAt: t.expose('reconciledAt', { type: 'DateTime', nullable: true }),
    isFinalized: t.boolean({ resolve: (r) => r.finalizedAt !== null }),
    isReconciled: t.boolean({ resolve: (r) => r.reconciledAt !== null }),
    rawData: t.expose('rawData', { type: 'JSON' }),
    adjustment: t.relation('adjustment', { nullable: true }),
    waldurState: t.expose('waldurState', { type: WaldurItemStateEnum, description: "COMPONENT_USAGE: where the month's usage stands in Waldur." }),
    waldurUsage: t.expose('waldurUsage', { type: 'Decimal', nullable: true, description: "The usage Waldur last accepted for the month (2 decimal places): what Waldur's item bills." }),
    waldurInvoiceUuid: t.expose('waldurInvoiceUuid', { type: 'UUID', nullable: true }),
    waldurInvoiceItemUuid: t.expose('waldurInvoiceItemUuid', { type: 'UUID', nullable: true, description: 'The item Waldur keeps beside the usage ("resource / component").' }),
    waldurError: t.exposeString('waldurError', { description: "Why the usage is pending, failed or skipped, in Waldur's or our words." }),
  }),
});

/** What each flow does: FlowKind, and StartableFlow (work.ts), say it alike. */
export const FLOW_KINDS = describedValues(FlowKind, {
  BILLING_SYNC: "Reads Arrow's billing export into billing syncs.",
  CONSUMPTION_SYNC: "Reads the month's consumption of each linked licence.",
  VALIDATION: "Checks statements against Arrow's validated ones.",
  RECONCILIATION: 'Compares billed and consumed with the final figures; makes adjustments.',
  INVOICE_PUSH: "Puts the charges on Waldur's invoices (or reports usage).",
});
const FlowKindEnum = builder.enumType('FlowKind', { description: 'A flow of the billing cycle.', values: FLOW_KINDS });
const FlowRunStatusEnum = builder.enumType('FlowRunStatus', {
  description: 'How a flow run ended (or that it is running).',
  values: describedValues(FlowRunStatus, {
    RUNNING: 'Under way.',
    SUCCEEDED: 'Done, nothing failed.',
    PARTIAL: 'Done, some items failed (see errors).',
    FAILED: 'Stopped by a failure.',
    SKIPPED: 'Nothing to do (off, paused, or already done).',
  }),
});
const FlowErrorRef = builder.objectRef<{ reference: string; message: string }>('FlowError').implement({
  description: 'What failed in a flow run, for one statement, licence or line.',
  fields: (t) => ({ reference: t.exposeString('reference'), message: t.exposeString('message') }),
});

export const FlowRunRef = builder.prismaNode('FlowRun', {
  description: 'One run of a billing or consumption flow.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    kind: t.expose('kind', { type: FlowKindEnum }),
    period: t.exposeString('period'),
    settingsUuid: t.expose('settingsUuid', { type: 'UUID', nullable: true }),
    status: t.expose('status', { type: FlowRunStatusEnum }),
    message: t.exposeString('message', { description: 'Why it was skipped or failed.' }),
    forced: t.exposeBoolean('forced'),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    skipped: t.exposeInt('skipped'),
    failed: t.exposeInt('failed'),
    errors: t.field({ type: [FlowErrorRef], resolve: (r) => r.errors as { reference: string; message: string }[] }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('billingSyncs', (t) =>
  t.prismaConnection({
    type: 'BillingSync',
    cursor: 'uuid',
    description: 'Billing syncs, newest period first.',
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: false }),
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      periodFrom: t.arg.string({ required: false, description: 'YYYY-MM, inclusive' }),
      periodTo: t.arg.string({ required: false, description: 'YYYY-MM, inclusive' }),
      state: t.arg({ type: BillingSyncStateEnum, required: false }),
      statementReference: t.arg.string({ required: false, description: 'Contains, any case.' }),
      arrowState: t.arg.string({ required: false, description: "Arrow's statement state (pending, validated), any case." }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.billingSync.count({ where: billingSyncWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.billingSync.findMany({ ...query, where: billingSyncWhere(args), orderBy: BILLING_SYNC_ORDER });
    },
  }),
);

builder.queryField('billingSyncItems', (t) =>
  t.prismaConnection({
    type: 'BillingSyncItem',
    cursor: 'uuid',
    description: 'Billing lines of every sync, newest first.',
    args: {
      billingSyncUuid: t.arg({ type: 'UUID', required: false }),
      reportPeriod: t.arg.string({ required: false, description: "The sync's month, YYYY-MM." }),
      vendorName: t.arg.string({ required: false, description: 'Contains, any case.' }),
      classification: t.arg.string({ required: false }),
      subscriptionReference: t.arg.string({ required: false, description: 'Contains, any case.' }),
      arrowLineReference: t.arg.string({ required: false, description: 'Contains, any case.' }),
      hasCompensation: t.arg.boolean({ required: false, description: 'Reconciliation found an adjustment for the line.' }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.billingSyncItem.count({ where: billingSyncItemWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.billingSyncItem.findMany({ ...query, where: billingSyncItemWhere(args), orderBy: BILLING_SYNC_ITEM_ORDER });
    },
  }),
);

builder.queryField('consumptionRecords', (t) =>
  t.prismaConnection({
    type: 'ConsumptionRecord',
    cursor: 'uuid',
    description: 'Consumption records, newest period first.',
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: false, description: "Records of the mapping's Waldur customer." }),
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      resourceUuid: t.arg({ type: 'UUID', required: false }),
      projectUuid: t.arg({ type: 'UUID', required: false }),
      customerUuid: t.arg({ type: 'UUID', required: false, description: 'The Waldur customer whose resources consumed.' }),
      licenseReference: t.arg.string({ required: false, description: 'Contains, any case.' }),
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      finalized: t.arg.boolean({ required: false }),
      reconciled: t.arg.boolean({ required: false }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.consumptionRecord.count({ where: consumptionRecordWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.consumptionRecord.findMany({ ...query, where: consumptionRecordWhere(args), orderBy: CONSUMPTION_RECORD_ORDER });
    },
  }),
);

builder.queryField('flowRuns', (t) =>
  t.prismaConnection({
    type: 'FlowRun',
    cursor: 'uuid',
    description: 'Runs of the billing and consumption flows, newest first.',
    args: {
      kind: t.arg({ type: FlowKindEnum, required: false }),
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      period: t.arg.string({ required: false }),
      status: t.arg({ type: FlowRunStatusEnum, required: false }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.flowRun.count({ where: runWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.flowRun.findMany({ ...query, where: runWhere(args), orderBy: [{ startedAt: 'desc' }, { uuid: 'asc' }] });
    },
  }),
);

function runWhere(a: { kind?: FlowKind | null; settingsUuid?: string | null; period?: string | null; status?: FlowRunStatus | null }): P.FlowRunWhereInput {
  return {
    ...(a.kind ? { kind: a.kind } : {}),
    ...(a.settingsUuid ? { settingsUuid: a.settingsUuid } : {}),
    ...(a.period !== null && a.period !== undefined ? { period: parsePeriod(a.period) } : {}),
    ...(a.status ? { status: a.status } : {}),
  };
}
