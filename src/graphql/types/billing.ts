import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { BillingSyncState, FlowKind, FlowRunStatus, AdjustmentKind } from '../../generated/prisma/enums.js';
import type { Prisma as P } from '../../generated/prisma/client.js';
import { periodStart, parsePeriod } from '../../domain/periods.js';

const BillingSyncStateEnum = builder.enumType(BillingSyncState, { name: 'BillingSyncState' });
const AdjustmentKindEnum = builder.enumType(AdjustmentKind, { name: 'AdjustmentKind' });

builder.prismaObject('Adjustment', {
  description: 'A difference found by reconciliation: negative is a credit, positive an extra charge.',
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    kind: t.expose('kind', { type: AdjustmentKindEnum }),
    amount: t.expose('amount', { type: 'Decimal' }),
    priceSource: t.exposeString('priceSource'),
    description: t.exposeString('description'),
    created: t.expose('created', { type: 'DateTime' }),
  }),
});

builder.prismaObject('BillingSyncItem', {
  description: 'One line of an Arrow billing export.',
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
  }),
});

const FlowKindEnum = builder.enumType(FlowKind, { name: 'FlowKind' });
const FlowRunStatusEnum = builder.enumType(FlowRunStatus, { name: 'FlowRunStatus' });
const FlowErrorRef = builder.objectRef<{ reference: string; message: string }>('FlowError').implement({
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

/** periodFrom/periodTo (YYYY-MM, inclusive) as a range filter, each bound mapped to the column's form. */
function periodBounds<T>(from: string | null | undefined, to: string | null | undefined, toColumn: (period: string) => T) {
  const given = (v: string | null | undefined): v is string => v !== null && v !== undefined;
  if (!given(from) && !given(to)) return undefined;
  return { ...(given(from) ? { gte: toColumn(parsePeriod(from, 'periodFrom')) } : {}), ...(given(to) ? { lte: toColumn(parsePeriod(to, 'periodTo')) } : {}) };
}

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
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.billingSync.count({ where: syncWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.billingSync.findMany({ ...query, where: syncWhere(args), orderBy: [{ reportPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }] });
    },
  }),
);

function syncWhere(a: { mappingUuid?: string | null; settingsUuid?: string | null; periodFrom?: string | null; periodTo?: string | null; state?: BillingSyncState | null }): P.BillingSyncWhereInput {
  return {
    ...(a.mappingUuid ? { customerMappingUuid: a.mappingUuid } : {}),
    ...(a.settingsUuid ? { customerMapping: { settingsUuid: a.settingsUuid } } : {}),
    reportPeriod: periodBounds(a.periodFrom, a.periodTo, (p) => p),
    ...(a.state ? { state: a.state } : {}),
  };
}

builder.queryField('consumptionRecords', (t) =>
  t.prismaConnection({
    type: 'ConsumptionRecord',
    cursor: 'uuid',
    description: 'Consumption records, newest period first.',
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: false, description: "Records of the mapping's Waldur customer." }),
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      resourceUuid: t.arg({ type: 'UUID', required: false }),
      licenseReference: t.arg.string({ required: false }),
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      finalized: t.arg.boolean({ required: false }),
      reconciled: t.arg.boolean({ required: false }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.consumptionRecord.count({ where: recordWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.consumptionRecord.findMany({ ...query, where: recordWhere(args), orderBy: [{ billingPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }] });
    },
  }),
);

function recordWhere(a: {
  mappingUuid?: string | null;
  settingsUuid?: string | null;
  resourceUuid?: string | null;
  licenseReference?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  finalized?: boolean | null;
  reconciled?: boolean | null;
}): P.ConsumptionRecordWhereInput {
  // through the resource's customer: one statement, no lookup of the mapping first
  const customerMapped = (mapping: P.CustomerMappingWhereInput): P.ConsumptionRecordWhereInput => ({ resource: { project: { customer: { mappings: { some: mapping } } } } });
  return {
    AND: [...(a.mappingUuid ? [customerMapped({ uuid: a.mappingUuid })] : []), ...(a.settingsUuid ? [customerMapped({ settingsUuid: a.settingsUuid })] : [])],
    ...(a.resourceUuid ? { resourceUuid: a.resourceUuid } : {}),
    ...(a.licenseReference ? { licenseReference: a.licenseReference } : {}),
    billingPeriod: periodBounds(a.periodFrom, a.periodTo, periodStart),
    ...(typeof a.finalized === 'boolean' ? { finalizedAt: a.finalized ? { not: null } : null } : {}),
    ...(typeof a.reconciled === 'boolean' ? { reconciledAt: a.reconciled ? { not: null } : null } : {}),
  };
}

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
