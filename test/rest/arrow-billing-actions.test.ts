import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, dashed, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';
import { loadSdk, type SdkModels } from '../support/sdk-models.js';
import { sdkCalls, type SdkOperation } from '../support/sdk-calls.js';
import { runScheduledFlows } from '../../src/scheduler.js';

const sdk = loadSdk<{ operations: Record<string, SdkOperation>; models: SdkModels }>('arrow-module.json');
const ACTIONS = Object.keys(sdk.operations).filter((o) => o.startsWith('admin_arrow_billing_syncs_') && !['admin_arrow_billing_syncs_list', 'admin_arrow_billing_syncs_retrieve'].includes(o));
const period = '2026-10';
const [year, month] = [2026, 10];

/** The billing-sync actions (ARROW-MODULE.md §4), each run through our own flows. */
describe('billing-sync actions, as Waldur has them', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  const { seen, send, call } = sdkCalls('arrow-module.json', () => ({ gw, base: http.base }));
  let companies: SeededCompany[];
  let settingsUuid: string;
  let offering: { uuid: string; plan: string };

  const records = () => gw.t.db.prisma.consumptionRecord.findMany({ orderBy: { licenseReference: 'asc' } });
  const lastRun = async (kind: 'BILLING_SYNC' | 'CONSUMPTION_SYNC' | 'RECONCILIATION' | 'VALIDATION') => gw.t.db.prisma.flowRun.findFirstOrThrow({ where: { kind }, orderBy: { startedAt: 'desc' } });

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(3, period));
    http = await listen(gw.server);
    const uuid = await gw.waldur.create('offerings', { name: 'Arrow Azure', type: 'Marketplace.Basic', plans: [{ name: 'Arrow Cloud Cost' }] });
    await gw.syncWaldur();
    offering = { uuid: dashed(uuid), plan: (await gw.t.db.prisma.offeringPlan.findFirstOrThrow({ where: { offeringUuid: dashed(uuid) } })).uuid };
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', syncEnabled: true } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid: offering.uuid });
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it('the 202 actions run our flows in the background, each recorded as a flow run; trigger_consumption_sync honours resource_uuid', async () => {
    expect(await call('admin_arrow_billing_syncs_trigger_sync', { body: { year, month } })).toEqual({ message: 'Sync task scheduled' });
    expect(await lastRun('BILLING_SYNC')).toMatchObject({ period, status: 'SUCCEEDED', created: 3 });
    const only = companies[0]!.resourceUuids[0]!;
    expect(await call('admin_arrow_billing_syncs_trigger_consumption_sync', { body: { year, month, resource_uuid: only } })).toEqual({ message: 'Consumption sync task scheduled' });
    expect((await records()).map((r) => r.resourceUuid)).toEqual([only]);
    await call('admin_arrow_billing_syncs_trigger_consumption_sync', { body: { year: String(year), month: String(month), settings_uuid: settingsUuid } });
    expect(await records()).toHaveLength(3);
    expect(await call('admin_arrow_billing_syncs_reconcile', { body: { year, month, force: true } })).toEqual({ message: 'Reconciliation task scheduled' });
    expect((await records()).every((r) => r.finalizedAt && r.reconciledAt)).toBe(true);
    expect(await call('admin_arrow_billing_syncs_trigger_reconciliation', { body: { year, month } })).toEqual({ message: 'Reconciliation task scheduled' });
    expect(await lastRun('RECONCILIATION')).toMatchObject({ period, status: expect.stringMatching(/SUCCEEDED|SKIPPED/) });
    // bad input is refused before anything is scheduled
    const runs = await gw.t.db.prisma.flowRun.count();
    expect(await send('POST', '/api/admin/arrow/billing-syncs/trigger_sync/', { year: 1999, month: 13 })).toMatchObject({ status: 400, body: { year: ['Ensure this value is greater than or equal to 2000.'], month: ['Ensure this value is less than or equal to 12.'] } });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/trigger_sync/', {})).toMatchObject({ status: 400, body: { year: ['This field is required.'], month: ['This field is required.'] } });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/trigger_consumption_sync/', { year, month, resource_uuid: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/reconcile/', { year, month, settings_uuid: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
    await gw.background.settled();
    expect(await gw.t.db.prisma.flowRun.count()).toBe(runs);
  });

  it('status, statistics and pending records describe the records', async () => {
    expect(await call('admin_arrow_billing_syncs_consumption_status_retrieve')).toEqual({ global_sync_enabled: true, settings_sync_enabled: true, settings_uuid: settingsUuid, last_sync_run: expect.any(String) });
    const stats = await call('admin_arrow_billing_syncs_consumption_statistics_retrieve');
    expect(stats).toMatchObject({ total_records: 3, pending_records: 0, finalized_records: 3, reconciled_records: 3, total_consumed_sell: '46.50', total_adjustments: '0.00' });
    expect(stats.period_breakdown).toEqual([{ period, count: 3, consumed_sell: '46.50', finalized_count: 3, reconciled_count: 3 }]);
    expect(await send('GET', '/api/admin/arrow/billing-syncs/pending_records/')).toMatchObject({ status: 200, body: [] });
    seen.add('admin_arrow_billing_syncs_pending_records_list');
  });

  it('pause_sync and resume_sync switch the scheduled flows, globally or per settings', async () => {
    expect(await call('admin_arrow_billing_syncs_pause_sync', { body: { pause_global: true } })).toEqual({ paused: ['global'] });
    expect((await send('GET', '/api/admin/arrow/billing-syncs/consumption_status/')).body.global_sync_enabled).toBe(false);
    const round = await runScheduledFlows({ db: gw.t.db, arrow: gw.arrow }, new Date('2026-11-10T00:00:00Z'));
    expect(round.map((r) => r.kind)).not.toContain('CONSUMPTION_SYNC');
    expect(await call('admin_arrow_billing_syncs_pause_sync', { body: {} })).toEqual({ paused: [settingsUuid] }); // the active settings
    expect(await runScheduledFlows({ db: gw.t.db, arrow: gw.arrow }, new Date('2026-11-10T00:00:00Z'))).toEqual([]);
    expect(await call('admin_arrow_billing_syncs_resume_sync', { body: { settings_uuid: settingsUuid, pause_global: true } })).toEqual({ resumed: ['global', settingsUuid] });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/pause_sync/', { settings_uuid: '00000000-0000-4000-8000-00000000beef' })).toMatchObject({ status: 404, body: { error: 'Settings not found: 00000000-0000-4000-8000-00000000beef' } });
    expect((await send('GET', '/api/admin/arrow/billing-syncs/consumption_status/')).body).toMatchObject({ global_sync_enabled: true, settings_sync_enabled: true });
  });

  it('the historical sync reads a range of months for one resource; a finalized month is skipped unless forced; a dry run writes nothing', async () => {
    const resource = companies[1]!.resourceUuids[0]!;
    const h = await call('admin_arrow_billing_syncs_sync_resource_historical_consumption', { body: { resource_uuid: resource, period_from: '2026-09', period_to: '2026-10' } });
    // October is finalized (skipped); September has no consumption in Arrow: no data, and no 0.00 record written for it
    expect(h).toMatchObject({ resource_uuid: resource, resource_name: 'Azure Plan', periods_synced: 0, periods_no_data: 1, periods_skipped: 1, dry_run: false });
    expect((await gw.t.db.prisma.consumptionRecord.findMany({ where: { resourceUuid: resource } })).map((r) => r.billingPeriod.toISOString().slice(0, 7))).toEqual(['2026-10']);
    const forced = await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: resource, period_from: '2026-10', period_to: '2026-10', force: true });
    expect(forced.body).toMatchObject({ periods_synced: 1, periods_skipped: 0 });
    const before = await records();
    const dry = await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: resource, period_from: '2026-10', period_to: '2026-10', dry_run: true, force: true });
    expect(dry.body.preview_periods).toEqual([expect.objectContaining({ period, consumed_sell: '15.50', has_existing: true, is_finalized: true })]);
    expect(await records()).toEqual(before);
    expect(await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404, body: { error: 'Resource 00000000-0000-4000-8000-000000000000 not found' } });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: companies[1]!.resourceUuids[1] })).toMatchObject({ status: 400, body: { error: 'Resource does not have a backend_id (Arrow license reference)' } });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: resource, period_from: '2026-1' })).toMatchObject({ status: 400, body: { period_from: [expect.stringMatching(/YYYY-MM/)] } });
  });

  it('cleanup_consumption is a dry run unless told otherwise', async () => {
    const count = (await records()).filter((r) => r.billingPeriod.toISOString().startsWith(period)).length;
    expect(await call('admin_arrow_billing_syncs_cleanup_consumption', { body: { period_from: period, period_to: period } })).toEqual({ dry_run: true, records_to_delete: count, records_deleted: 0, compensation_items_affected: 0, invoice_items_affected: 0 });
    expect((await records()).filter((r) => r.billingPeriod.toISOString().startsWith(period))).toHaveLength(count);
    expect(await send('POST', '/api/admin/arrow/billing-syncs/cleanup_consumption/', { only_finalized: true, only_unfinalized: true })).toMatchObject({ status: 400, body: { error: 'Cannot specify both only_finalized and only_unfinalized' } });
    const gone = companies[2]!.resourceUuids[0]!;
    expect((await send('POST', '/api/admin/arrow/billing-syncs/cleanup_consumption/', { resource_uuid: gone, dry_run: false })).body).toMatchObject({ dry_run: false, records_to_delete: 1, records_deleted: 1 });
    expect((await records()).map((r) => r.resourceUuid)).not.toContain(gone);
  });

  it('sync_resources imports each IAAS subscription no resource holds, through Waldur, in its vendor mapping\'s offering and plan', async () => {
    await send('POST', '/api/admin/arrow/vendor-offering-mappings/', { settings: settingsUuid, arrow_vendor_name: 'Microsoft', offering: offering.uuid, plan: offering.plan });
    await gw.waldur.resetStats();
    const s = await call('admin_arrow_billing_syncs_sync_resources', { body: { period_from: period, period_to: period } });
    // six subscriptions: three held by a resource already, three imported
    expect(s).toEqual({ synced: 6, created: 3, updated: 3, errors: [] });
    const made = await gw.t.db.prisma.resource.findMany({ where: { backendId: { in: ['XSP700001', 'XSP700011', 'XSP700021'] } }, include: { orders: true } });
    expect(made.map((r) => [r.backendId, r.offeringUuid, r.planUuid, r.orders.map((o) => o.state)])).toEqual(
      ['XSP700001', 'XSP700011', 'XSP700021'].map((l) => [l, offering.uuid, offering.plan, ['DONE']]).sort(),
    );
    // the same write as importLicense: a look for a backend resource left by a lost answer, the backend resource, the import, per licence
    expect(await gw.waldur.stats()).toMatchObject({ backendResources: 6, importResource: 3 });
    expect(await call('admin_arrow_billing_syncs_sync_resources', { body: { period_from: period, period_to: period } })).toEqual({ synced: 6, created: 0, updated: 6, errors: [] });
  });

  it('fetch_consumption, fetch_billing_export (rows as objects) and fetch_license_info ask Arrow and store nothing', async () => {
    const c = await call('admin_arrow_billing_syncs_fetch_consumption', { body: { license_reference: 'XSP700000', period } });
    expect(c).toMatchObject({ license_reference: 'XSP700000', period, row_count: 2 });
    expect(c.data[0]).toMatchObject({ 'Total sell price': '10.00' });
    const e = await call('admin_arrow_billing_syncs_fetch_billing_export', { body: { period_from: period, period_to: period } });
    expect(e).toMatchObject({ period_from: period, period_to: period, classification: 'IAAS', row_count: 6 });
    expect(e.data[0]).toMatchObject({ Classification: 'IAAS', 'Report Period': period });
    expect((await send('POST', '/api/admin/arrow/billing-syncs/fetch_billing_export/', { period_from: period, period_to: period, classification: 'SAAS' })).body.row_count).toBe(0);
    const l = await call('admin_arrow_billing_syncs_fetch_license_info', { body: { license_reference: 'XSP700000' } });
    expect(l.data).toMatchObject({ licenseReference: 'XSP700000', customerReference: 'XSP500000' });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_license_info/', { license_reference: 'XSP799999' })).toMatchObject({ status: 404, body: { error: 'Arrow has no licence XSP799999' } });
    expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_consumption/', { license_reference: 'XSP700000' })).toMatchObject({ status: 400, body: { period: ['This field is required.'] } });
    gw.sim.setFaults({ errorRate: 1 });
    try {
      expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_consumption/', { license_reference: 'XSP700000', period })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Arrow/) } });
    } finally {
      gw.sim.setFaults({});
    }
    expect([...seen].sort()).toEqual(ACTIONS.sort());
  });
  it('has GraphQL twins that give the same data', async () => {
    const q = async (doc: string, variables?: Record<string, unknown>) => {
      const r = await gw.gql(doc, variables);
      expect(r.errors).toBeUndefined();
      return r.data;
    };
    const OK = (name: string, fields: string) => `... on ${name} { result { ${fields} } } ... on Error { __typename message }`;
    const rest = async (path: string, body?: unknown) => (await send(body === undefined ? 'GET' : 'POST', `/api/admin/arrow/billing-syncs/${path}/`, body)).body;

    const status = (await q('{ consumptionSyncStatus { globalSyncEnabled settingsSyncEnabled settingsUuid lastSyncRun } }')).consumptionSyncStatus;
    const restStatus = await rest('consumption_status');
    expect([status.globalSyncEnabled, status.settingsSyncEnabled, status.settingsUuid, new Date(status.lastSyncRun).toISOString()]).toEqual([restStatus.global_sync_enabled, restStatus.settings_sync_enabled, restStatus.settings_uuid, restStatus.last_sync_run]);
    const stats = (await q('{ consumptionStatistics { totalRecords pendingRecords finalizedRecords reconciledRecords totalConsumedSell totalAdjustments periodBreakdown { period count consumedSell finalizedCount reconciledCount } } }')).consumptionStatistics;
    const restStats = await rest('consumption_statistics');
    expect([stats.totalRecords, stats.pendingRecords, stats.finalizedRecords, stats.totalConsumedSell, stats.totalAdjustments]).toEqual([restStats.total_records, restStats.pending_records, restStats.finalized_records, restStats.total_consumed_sell, restStats.total_adjustments]);
    expect(stats.periodBreakdown.map((p: any) => [p.period, p.count, p.consumedSell])).toEqual(restStats.period_breakdown.map((p: any) => [p.period, p.count, p.consumed_sell]));
    expect((await q('{ pendingConsumptionRecords { uuid } }')).pendingConsumptionRecords.map((r: any) => r.uuid)).toEqual((await rest('pending_records')).map((r: any) => r.uuid));

    const cleanup = (await q(`mutation { cleanupConsumption(periodFrom: "${period}") { ... on MutationCleanupConsumptionSuccess { result { dryRun recordsToDelete recordsDeleted } } } }`)).cleanupConsumption.result;
    expect(cleanup).toEqual({ dryRun: true, recordsToDelete: (await rest('cleanup_consumption', { period_from: period })).records_to_delete, recordsDeleted: 0 });
    const both = (await q('mutation { cleanupConsumption(onlyFinalized: true, onlyUnfinalized: true) { __typename ... on Error { message } } }')).cleanupConsumption;
    expect(both).toEqual({ __typename: 'ValidationError', message: 'Cannot specify both only_finalized and only_unfinalized' });

    expect((await q('mutation { pauseSync(global: true) { ... on MutationPauseSyncSuccess { result { switched } } } }')).pauseSync.result.switched).toEqual(['global']);
    expect((await rest('consumption_status')).global_sync_enabled).toBe(false);
    expect((await q('mutation { resumeSync(global: true) { ... on MutationResumeSyncSuccess { result { switched } } } }')).resumeSync.result.switched).toEqual(['global']);
    expect((await q('mutation { pauseSync(settingsUuid: "00000000-0000-4000-8000-00000000beef") { __typename } }')).pauseSync.__typename).toBe('NotFoundError');

    const resource = companies[1]!.resourceUuids[0]!;
    const dry = (await q(`mutation($r: UUID!) { syncHistoricalConsumption(resourceUuid: $r, periodFrom: "${period}", periodTo: "${period}", dryRun: true, force: true) { ${OK('MutationSyncHistoricalConsumptionSuccess', 'resource { uuid name } dryRun previewPeriods { period consumedSell hasExisting isFinalized }')} } }`, { r: resource })).syncHistoricalConsumption.result;
    const restDry = await rest('sync_resource_historical_consumption', { resource_uuid: resource, period_from: period, period_to: period, dry_run: true, force: true });
    expect(dry.previewPeriods.map((p: any) => [p.period, p.consumedSell, p.hasExisting, p.isFinalized])).toEqual(restDry.preview_periods.map((p: any) => [p.period, p.consumed_sell, p.has_existing, p.is_finalized]));
    expect(dry.resource).toEqual({ uuid: resource, name: restDry.resource_name });

    const sync = (await q(`mutation { syncResourcesFromArrow(periodFrom: "${period}", periodTo: "${period}") { ${OK('MutationSyncResourcesFromArrowSuccess', 'synced created updated errors { subscriptionId error }')} } }`)).syncResourcesFromArrow.result;
    expect(sync).toEqual({ synced: 6, created: 0, updated: 6, errors: [] });

    const consumption = (await q(`{ arrowLicenceConsumption(licenseReference: "XSP700000", period: "${period}") { ${OK('QueryArrowLicenceConsumptionSuccess', 'rowCount rows')} } }`)).arrowLicenceConsumption.result;
    expect(consumption).toEqual({ rowCount: 2, rows: (await rest('fetch_consumption', { license_reference: 'XSP700000', period })).data });
    const exported = (await q(`{ arrowBillingExport(periodFrom: "${period}", periodTo: "${period}") { ${OK('QueryArrowBillingExportSuccess', 'rowCount rows')} } }`)).arrowBillingExport.result;
    expect(exported.rows).toEqual((await rest('fetch_billing_export', { period_from: period, period_to: period })).data);
    const licence = (await q('{ arrowLicence(licenseReference: "XSP700000") { ... on QueryArrowLicenceSuccess { licence { licenseReference customerReference offerName } } } }')).arrowLicence.licence;
    expect(licence).toMatchObject({ licenseReference: 'XSP700000', customerReference: 'XSP500000' });
    expect((await q('{ arrowLicence(licenseReference: "XSP799999") { __typename } }')).arrowLicence.__typename).toBe('NotFoundError');

    const one = (await q(`mutation($r: UUID!) { runConsumptionSync(period: "${period}", resourceUuid: $r, force: true) { ... on MutationRunConsumptionSyncSuccess { run { status updated unchanged created } } } }`, { r: companies[0]!.resourceUuids[0] })).runConsumptionSync.run;
    expect(one.updated + one.unchanged + one.created).toBe(1);
  });
  it('without active settings, the actions that ask Arrow say so', async () => {
    await gw.t.db.prisma.arrowSettings.update({ where: { uuid: settingsUuid }, data: { isActive: false } });
    try {
      const none = { error: 'No active Arrow settings found' };
      expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_consumption/', { license_reference: 'XSP700000', period })).toMatchObject({ status: 400, body: none });
      expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_billing_export/', { period_from: period, period_to: period })).toMatchObject({ status: 400, body: none });
      expect(await send('POST', '/api/admin/arrow/billing-syncs/fetch_license_info/', { license_reference: 'XSP700000' })).toMatchObject({ status: 400, body: none });
      expect(await send('POST', '/api/admin/arrow/billing-syncs/sync_resources/', {})).toMatchObject({ status: 400, body: none });
      expect(await send('POST', '/api/admin/arrow/billing-syncs/sync_resource_historical_consumption/', { resource_uuid: companies[0]!.resourceUuids[0] })).toMatchObject({ status: 400, body: none });
      expect((await send('GET', '/api/admin/arrow/billing-syncs/consumption_status/')).body).toMatchObject({ settings_sync_enabled: false, settings_uuid: null });
      expect(await send('POST', '/api/admin/arrow/billing-syncs/pause_sync/', {})).toMatchObject({ status: 200, body: { paused: [] } });
    } finally {
      await gw.t.db.prisma.arrowSettings.update({ where: { uuid: settingsUuid }, data: { isActive: true } });
    }
  });
});
