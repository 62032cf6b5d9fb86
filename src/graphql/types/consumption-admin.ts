import { builder } from '../builder.js';
import { consumptionStatus, setSyncEnabled } from '../../domain/sync-controls.js';
import { cleanupConsumption, consumptionStatistics, pendingRecords, syncHistoricalConsumption, type PeriodBreakdown, type Preview } from '../../domain/consumption-admin.js';
import { syncResourcesFromArrow } from '../../domain/resource-sync.js';
import { DOMAIN_ERRORS } from './errors.js';

// Looking after consumption records and the scheduled flows: Waldur's billing-sync actions
// beyond the flows themselves (those are runBillingSync … runReconciliation).

const ConsumptionStatusRef = builder.objectRef<Awaited<ReturnType<typeof consumptionStatus>>>('ConsumptionSyncStatus').implement({
  description: 'Whether consumption syncs are enabled, paused, and when they last ran.',
  fields: (t) => ({
    globalSyncEnabled: t.exposeBoolean('globalSyncEnabled', { description: 'Scheduled consumption syncs run at all.' }),
    settingsSyncEnabled: t.exposeBoolean('settingsSyncEnabled', { description: "The active settings' syncEnabled." }),
    settingsUuid: t.expose('settingsUuid', { type: 'UUID', nullable: true }),
    lastSyncRun: t.expose('lastSyncRun', { type: 'DateTime', nullable: true, description: 'When a consumption record was last written.' }),
  }),
});

builder.queryField('consumptionSyncStatus', (t) => t.field({ description: 'Whether consumption syncs are on or paused, and when they last ran.', type: ConsumptionStatusRef, resolve: (_r, _a, ctx) => consumptionStatus(ctx.prisma) }));

const PeriodBreakdownRef = builder.objectRef<PeriodBreakdown>('ConsumptionPeriodBreakdown').implement({
  description: 'Consumption records of one month: how many, their total, how many finalized.',
  fields: (t) => ({
    period: t.exposeString('period'),
    count: t.exposeInt('count'),
    consumedSell: t.field({ type: 'Decimal', resolve: (p) => p.consumedSell }),
    finalizedCount: t.exposeInt('finalizedCount'),
    reconciledCount: t.exposeInt('reconciledCount'),
  }),
});

const StatisticsRef = builder.objectRef<Awaited<ReturnType<typeof consumptionStatistics>>>('ConsumptionStatistics').implement({
  description: 'Consumption records by month and state, for the staff\'s view of consumption.',
  fields: (t) => ({
    totalRecords: t.exposeInt('totalRecords'),
    pendingRecords: t.exposeInt('pendingRecords'),
    finalizedRecords: t.exposeInt('finalizedRecords'),
    reconciledRecords: t.exposeInt('reconciledRecords'),
    totalConsumedSell: t.field({ type: 'Decimal', resolve: (s) => s.totalConsumedSell }),
    totalAdjustments: t.field({ type: 'Decimal', description: 'Σ (final − consumed) over finalized records.', resolve: (s) => s.totalAdjustments }),
    periodBreakdown: t.field({ type: [PeriodBreakdownRef], description: 'The 12 latest months, newest first.', resolve: (s) => s.periodBreakdown }),
  }),
});

builder.queryField('consumptionStatistics', (t) => t.field({ description: 'Consumption records counted by month and state.', type: StatisticsRef, resolve: (_r, _a, ctx) => consumptionStatistics(ctx.prisma) }));

builder.queryField('pendingConsumptionRecords', (t) =>
  t.prismaField({
    type: ['ConsumptionRecord'],
    description: 'Records not finalized yet, most recently changed first, at most 100.',
    resolve: (query, _r, _a, ctx) => ctx.prisma.consumptionRecord.findMany({ ...query, where: { finalizedAt: null }, orderBy: [{ modified: 'desc' }, { uuid: 'asc' }], take: 100 }),
  }),
);

const SwitchedRef = builder.objectRef<{ switched: string[] }>('SyncSwitched').implement({
  description: 'The syncs a pause or resume switched.',
  fields: (t) => ({ switched: t.exposeStringList('switched', { description: '"global" and the uuids of the settings switched.' }) }),
});

for (const [name, enabled] of [['pauseSync', false], ['resumeSync', true]] as const) {
  builder.mutationField(name, (t) =>
    t.field({
      type: SwitchedRef,
      description: `${enabled ? 'Resumes' : 'Pauses'} the scheduled flows: of these settings, or (global) the consumption syncs of all; neither, of the active settings.`,
      errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
      args: { settingsUuid: t.arg({ type: 'UUID', required: false }), global: t.arg.boolean({ required: false }) },
      resolve: async (_r, args, ctx) => ({ switched: await setSyncEnabled(ctx.prisma, enabled, { settingsUuid: args.settingsUuid, global: args.global ?? false }) }),
    }),
  );
}

const CleanupRef = builder.objectRef<Awaited<ReturnType<typeof cleanupConsumption>>>('ConsumptionCleanup').implement({
  description: 'Consumption records a cleanup deleted (or, in a dry run, would delete).',
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun'),
    recordsToDelete: t.exposeInt('recordsToDelete'),
    recordsDeleted: t.exposeInt('recordsDeleted'),
    adjustmentsAffected: t.exposeInt('compensationItemsAffected', { description: 'Records deleted with their reconciliation adjustment.' }),
  }),
});

builder.mutationField('cleanupConsumption', (t) =>
  t.field({
    type: CleanupRef,
    description: 'Deletes consumption records: a dry run (counting only) unless dryRun is false.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      resourceUuid: t.arg({ type: 'UUID', required: false }),
      onlyFinalized: t.arg.boolean({ required: false }),
      onlyUnfinalized: t.arg.boolean({ required: false }),
      dryRun: t.arg.boolean({ required: false, defaultValue: true }),
    },
    resolve: (_r, a, ctx) =>
      cleanupConsumption(ctx.prisma, { periodFrom: a.periodFrom, periodTo: a.periodTo, resourceUuid: a.resourceUuid, onlyFinalized: a.onlyFinalized ?? false, onlyUnfinalized: a.onlyUnfinalized ?? false, dryRun: a.dryRun ?? true }),
  }),
);

const PeriodErrorRef = builder.objectRef<{ period: string; error: string }>('PeriodError').implement({
  description: 'Why one month could not be synced.',
  fields: (t) => ({ period: t.exposeString('period'), error: t.exposeString('error') }),
});

const PreviewRef = builder.objectRef<Preview>('ConsumptionPreview').implement({
  description: 'What a historical consumption sync would write for one month (dry run).',
  fields: (t) => ({
    period: t.exposeString('period'),
    consumedSell: t.field({ type: 'Decimal', resolve: (p) => p.consumedSell }),
    consumedBuy: t.field({ type: 'Decimal', resolve: (p) => p.consumedBuy }),
    rowCount: t.exposeInt('rowCount'),
    hasExisting: t.exposeBoolean('hasExisting'),
    existingConsumedSell: t.field({ type: 'Decimal', nullable: true, resolve: (p) => p.existingConsumedSell }),
    isFinalized: t.exposeBoolean('isFinalized'),
    isReconciled: t.exposeBoolean('isReconciled'),
  }),
});

const HistoricalRef = builder.objectRef<Awaited<ReturnType<typeof syncHistoricalConsumption>>>('HistoricalConsumptionSync').implement({
  description: 'A historical consumption sync\'s outcome for one resource: months synced, skipped, without data, and failed.',
  fields: (t) => ({
    resource: t.prismaField({ type: 'Resource', resolve: (_q, h) => h.resource }),
    periodsSynced: t.exposeInt('periodsSynced'),
    periodsSkipped: t.exposeInt('periodsSkipped', { description: 'Finalized months, not forced.' }),
    periodsNoData: t.exposeInt('periodsNoData'),
    errors: t.field({ type: [PeriodErrorRef], resolve: (h) => h.errors }),
    dryRun: t.exposeBoolean('dryRun'),
    previewPeriods: t.field({ type: [PreviewRef], resolve: (h) => h.previewPeriods }),
  }),
});

builder.mutationField('syncHistoricalConsumption', (t) =>
  t.field({
    type: HistoricalRef,
    description: "One resource's consumption over a range of months (default: the last 12), month by month through the consumption sync.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      resourceUuid: t.arg({ type: 'UUID', required: true }),
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      force: t.arg.boolean({ required: false }),
      dryRun: t.arg.boolean({ required: false }),
    },
    resolve: (_r, a, ctx) => syncHistoricalConsumption({ db: ctx.db, arrow: ctx.arrow }, { resourceUuid: a.resourceUuid, periodFrom: a.periodFrom, periodTo: a.periodTo, force: a.force ?? false, dryRun: a.dryRun ?? false }),
  }),
);

const SubscriptionErrorRef = builder.objectRef<{ subscriptionId: string; error: string }>('SubscriptionError').implement({
  description: 'Why one Arrow subscription could not be imported as a resource.',
  fields: (t) => ({ subscriptionId: t.exposeString('subscriptionId'), error: t.exposeString('error') }),
});

const ResourceSyncRef = builder.objectRef<Awaited<ReturnType<typeof syncResourcesFromArrow>>>('ResourceSyncResult').implement({
  description: 'What syncResourcesFromArrow did: IAAS subscriptions seen, resources imported and already held, and failures.',
  fields: (t) => ({
    synced: t.exposeInt('synced', { description: 'IAAS subscriptions in the export.' }),
    created: t.exposeInt('created', { description: 'Imported as new Waldur resources.' }),
    updated: t.exposeInt('updated', { description: 'Already held by a resource.' }),
    errors: t.field({ type: [SubscriptionErrorRef], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('syncResourcesFromArrow', (t) =>
  t.field({
    type: ResourceSyncRef,
    description: "Imports each IAAS subscription of the billing export that no resource holds as a Waldur resource (sync_resources), through Waldur's import, in its vendor mapping's offering and plan.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      offeringUuid: t.arg({ type: 'UUID', required: false, description: 'For vendors without a vendor-offering mapping.' }),
      projectUuid: t.arg({ type: 'UUID', required: false, description: "Default: each customer's first project." }),
    },
    resolve: (_r, a, ctx) => syncResourcesFromArrow({ prisma: ctx.prisma, arrow: ctx.arrow, waldur: ctx.waldur }, a, ctx.viewer?.uuid),
  }),
);
