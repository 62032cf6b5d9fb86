import { runBillingSync, runValidation } from '../domain/flows/billing-sync.js';
import { runConsumptionSync } from '../domain/flows/consumption-sync.js';
import { runReconciliation } from '../domain/flows/reconciliation.js';
import { checkFlowTargets, type FlowOptions } from '../domain/flows/runs.js';
import { consumptionStatus, setSyncEnabled } from '../domain/sync-controls.js';
import { cleanupConsumption, consumptionStatistics, pendingRecords, syncHistoricalConsumption } from '../domain/consumption-admin.js';
import { fetchBillingExport, fetchConsumption, fetchLicenseInfo } from '../domain/arrow-lookups.js';
import { syncResourcesFromArrow } from '../domain/resource-sync.js';
import { twoPlaces } from '../domain/money.js';
import { BodyReader, readBody } from './input.js';
import type { RestDeps, RestRequest, Route } from './router.js';

const BASE = '/api/admin/arrow/billing-syncs';

/** year (2000–2100) and month (1–12), both required, as one YYYY-MM; settings and resource uuids when given. */
function monthBody(b: BodyReader) {
  const number = (field: string, min: number, max: number) => {
    const raw = b.string(field, { required: true });
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) return void (b.errors[field] = ['A valid integer is required.']);
    const n = Number(raw);
    if (n < min) return void (b.errors[field] = [`Ensure this value is greater than or equal to ${min}.`]);
    if (n > max) return void (b.errors[field] = [`Ensure this value is less than or equal to ${max}.`]);
    return n;
  };
  const year = number('year', 2000, 2100);
  const month = number('month', 1, 12);
  return { period: year && month ? `${year}-${String(month).padStart(2, '0')}` : '', settingsUuid: b.reference('settings_uuid') };
}

/** A flow started in the background for a 202; its FlowRun says how it went. Unknown settings or resources are a 404 first. */
async function scheduled(r: RestRequest, deps: RestDeps, message: string, flow: (options: FlowOptions) => Promise<unknown>, extra: (b: BodyReader) => Partial<FlowOptions> = () => ({})) {
  const b = new BodyReader(await r.body());
  const { period, settingsUuid } = monthBody(b);
  const more = extra(b);
  b.done();
  // Waldur queues first and never checks; answering 404 at once saves a run that can only fail
  await checkFlowTargets(deps.prisma, { settingsUuid, resourceUuid: more.resourceUuid });
  deps.background.start(message, () => flow({ period, settingsUuid, ...more }));
  return { status: 202, body: { message } };
}

const flowDeps = (deps: RestDeps) => ({ db: deps.db, arrow: deps.arrow, logger: deps.logger });

/** What paused or resumed, by the body's settings_uuid and pause_global. */
async function switchSync(r: RestRequest, deps: RestDeps, enabled: boolean) {
  const b = new BodyReader(await r.body());
  const settingsUuid = b.reference('settings_uuid');
  const global = b.boolean('pause_global') ?? false;
  b.done();
  const switched = await setSyncEnabled(deps.prisma, enabled, { settingsUuid, global });
  return { status: 200, body: enabled ? { resumed: switched } : { paused: switched } };
}

export const billingActionRoutes: Route[] = [
  {
    method: 'POST',
    path: `${BASE}/trigger_sync/`,
    errorStyle: 'error',
    // resource_uuid is taken and checked; a billing sync is per statement, so it narrows nothing (README)
    handle: (r, deps) => scheduled(r, deps, 'Sync task scheduled', (o) => runBillingSync(flowDeps(deps), o), (b) => ({ resourceUuid: b.reference('resource_uuid') })),
  },
  {
    method: 'POST',
    path: `${BASE}/reconcile/`,
    errorStyle: 'error',
    // validation first, so that a month just over is reconciled without waiting for the scheduler
    handle: (r, deps) =>
      scheduled(r, deps, 'Reconciliation task scheduled', async (o) => (await runValidation(flowDeps(deps), o), runReconciliation(flowDeps(deps), o)), (b) => ({ force: b.boolean('force') ?? false })),
  },
  {
    method: 'POST',
    path: `${BASE}/trigger_reconciliation/`,
    errorStyle: 'error',
    handle: (r, deps) => scheduled(r, deps, 'Reconciliation task scheduled', (o) => runReconciliation(flowDeps(deps), o), (b) => ({ force: b.boolean('force') ?? false })),
  },
  {
    method: 'POST',
    path: `${BASE}/trigger_consumption_sync/`,
    errorStyle: 'error',
    // resource_uuid honoured: only that resource's licence is read (Waldur ignores it)
    handle: (r, deps) => scheduled(r, deps, 'Consumption sync task scheduled', (o) => runConsumptionSync(flowDeps(deps), o), (b) => ({ resourceUuid: b.reference('resource_uuid') })),
  },
  { method: 'POST', path: `${BASE}/pause_sync/`, errorStyle: 'error', handle: (r, deps) => switchSync(r, deps, false) },
  { method: 'POST', path: `${BASE}/resume_sync/`, errorStyle: 'error', handle: (r, deps) => switchSync(r, deps, true) },
  {
    method: 'GET',
    path: `${BASE}/consumption_status/`,
    async handle(_r, deps) {
      const s = await consumptionStatus(deps.prisma);
      return { status: 200, body: { global_sync_enabled: s.globalSyncEnabled, settings_sync_enabled: s.settingsSyncEnabled, settings_uuid: s.settingsUuid, last_sync_run: s.lastSyncRun?.toISOString() ?? null } };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/consumption_statistics/`,
    async handle(_r, deps) {
      const s = await consumptionStatistics(deps.prisma);
      return {
        status: 200,
        body: {
          total_records: s.totalRecords,
          pending_records: s.pendingRecords,
          finalized_records: s.finalizedRecords,
          reconciled_records: s.reconciledRecords,
          total_consumed_sell: twoPlaces(s.totalConsumedSell),
          total_adjustments: twoPlaces(s.totalAdjustments),
          period_breakdown: s.periodBreakdown.map((p) => ({ period: p.period, count: p.count, consumed_sell: twoPlaces(p.consumedSell), finalized_count: p.finalizedCount, reconciled_count: p.reconciledCount })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/pending_records/`,
    async handle(_r, deps) {
      // a plain list of at most 100, as Waldur answers it
      const rows = await pendingRecords(deps.prisma);
      return {
        status: 200,
        body: rows.map((c) => ({
          uuid: c.uuid,
          resource_uuid: c.resourceUuid,
          resource_name: c.resource.name,
          license_reference: c.licenseReference,
          billing_period: c.billingPeriod.toISOString().slice(0, 10),
          consumed_sell: twoPlaces(c.consumedSell),
          last_sync_at: c.lastSyncAt?.toISOString() ?? null,
        })),
      };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/cleanup_consumption/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const input = await readBody(r, (b) => ({
        periodFrom: b.string('period_from'),
        periodTo: b.string('period_to'),
        resourceUuid: b.reference('resource_uuid'),
        onlyFinalized: b.boolean('only_finalized') ?? false,
        onlyUnfinalized: b.boolean('only_unfinalized') ?? false,
        dryRun: b.boolean('dry_run') ?? true,
      }));
      const c = await cleanupConsumption(deps.prisma, input);
      return { status: 200, body: { dry_run: c.dryRun, records_to_delete: c.recordsToDelete, records_deleted: c.recordsDeleted, compensation_items_affected: c.compensationItemsAffected, invoice_items_affected: c.invoiceItemsAffected } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/sync_resource_historical_consumption/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const input = await readBody(r, (b) => ({ resourceUuid: b.reference('resource_uuid', { required: true })!, periodFrom: b.string('period_from'), periodTo: b.string('period_to'), force: b.boolean('force') ?? false, dryRun: b.boolean('dry_run') ?? false }));
      const h = await syncHistoricalConsumption(flowDeps(deps), input);
      return {
        status: 200,
        body: {
          resource_uuid: h.resource.uuid,
          resource_name: h.resource.name,
          periods_synced: h.periodsSynced,
          periods_skipped: h.periodsSkipped,
          periods_no_data: h.periodsNoData,
          errors: h.errors,
          dry_run: h.dryRun,
          preview_periods: h.previewPeriods.map((p) => ({
            period: p.period,
            status: p.isFinalized ? 'finalized' : p.hasExisting ? 'existing' : 'new',
            row_count: p.rowCount,
            consumed_sell: twoPlaces(p.consumedSell),
            consumed_buy: twoPlaces(p.consumedBuy),
            has_existing: p.hasExisting,
            existing_consumed_sell: twoPlaces(p.existingConsumedSell),
            is_finalized: p.isFinalized,
            is_reconciled: p.isReconciled,
          })),
        },
      };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/sync_resources/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const input = await readBody(r, (b) => {
        // force_import would make Waldur customers and projects; they are Waldur's to make (README)
        b.boolean('force_import');
        return { periodFrom: b.string('period_from'), periodTo: b.string('period_to'), settingsUuid: b.reference('settings_uuid'), offeringUuid: b.reference('offering_uuid'), projectUuid: b.reference('project_uuid') };
      });
      const s = await syncResourcesFromArrow(deps, input, r.viewerUuid);
      return { status: 200, body: { synced: s.synced, created: s.created, updated: s.updated, errors: s.errors.map((e) => ({ subscription_id: e.subscriptionId, error: e.error })) } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/fetch_consumption/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const licence = b.string('license_reference', { required: true });
      const period = b.string('period', { required: true });
      b.done();
      const f = await fetchConsumption(deps.prisma, deps.arrow, licence!, period!);
      return { status: 200, body: { license_reference: f.licenseReference, period: f.period, row_count: f.rowCount, data: f.rows } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/fetch_billing_export/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const input = { periodFrom: b.string('period_from', { required: true })!, periodTo: b.string('period_to', { required: true })!, classification: b.string('classification') };
      b.done();
      const f = await fetchBillingExport(deps.prisma, deps.arrow, input);
      // rows as objects (Waldur's view slices its export wrongly here and fails)
      return { status: 200, body: { period_from: f.periodFrom, period_to: f.periodTo, classification: f.classification, row_count: f.rowCount, data: f.rows } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/fetch_license_info/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const licence = b.string('license_reference', { required: true });
      b.done();
      return { status: 200, body: { data: await fetchLicenseInfo(deps.prisma, deps.arrow, licence!) } };
    },
  },
];

