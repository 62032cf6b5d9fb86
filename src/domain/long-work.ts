import type { Database } from '../db/database.js';
import type { FlowKind } from '../generated/prisma/client.js';
import type { WaldurClient } from '../waldur/client.js';
import { syncFromWaldur } from '../waldur/mirror.js';
import type { ArrowSource } from './arrow-source.js';
import type { BackgroundWork } from './background.js';
import { historicalSyncResource, syncHistoricalConsumption } from './consumption-admin.js';
import { runBillingSync, runValidation } from './flows/billing-sync.js';
import { runConsumptionSync } from './flows/consumption-sync.js';
import { runReconciliation } from './flows/reconciliation.js';
import { runInvoicePush } from './flows/invoice-push.js';
import { checkFlowTargets, type FlowOptions } from './flows/runs.js';
import { parsePeriod } from './periods.js';
import { waldurFailure } from './waldur-writes.js';
import { startWork } from './work.js';

/**
 * The long work staff start from a console and follow: a flow for a month, the Waldur sync, a
 * resource's historical consumption. Each checks its input at once (a bad one starts nothing)
 * and answers its Work row while the work goes on in the background.
 */
export interface LongWorkDeps {
  db: Database;
  arrow: ArrowSource;
  waldur: WaldurClient;
  background: BackgroundWork;
}

const FLOWS = { BILLING_SYNC: runBillingSync, VALIDATION: runValidation, CONSUMPTION_SYNC: runConsumptionSync, RECONCILIATION: runReconciliation, INVOICE_PUSH: runInvoicePush } satisfies Record<FlowKind, unknown>;
const FLOW_NAMES: Record<FlowKind, string> = { BILLING_SYNC: 'Billing sync', VALIDATION: 'Billing validation', CONSUMPTION_SYNC: 'Consumption sync', RECONCILIATION: 'Reconciliation', INVOICE_PUSH: 'Push to Waldur invoices' };

export async function startFlow(deps: LongWorkDeps, kind: FlowKind, options: FlowOptions) {
  const period = parsePeriod(options.period);
  await checkFlowTargets(deps.db.prisma, options);
  return startWork(deps, { kind, label: `${FLOW_NAMES[kind]} ${period}` }, async (progress) => {
    const run = await FLOWS[kind]({ db: deps.db, arrow: deps.arrow, waldur: deps.waldur, progress }, { ...options, period });
    return { flowRunUuid: run.uuid, failed: run.status === 'FAILED', message: run.message };
  });
}

export function startWaldurSync(deps: LongWorkDeps, full: boolean) {
  return startWork(deps, { kind: 'WALDUR_SYNC', label: `${full ? 'Full' : 'Incremental'} Waldur sync` }, async (steps) => {
    try {
      const result = await syncFromWaldur(deps.db, deps.waldur, { full, steps });
      const changed = Object.values(result.changes).reduce((n, c) => n + c.created + c.updated + c.deleted, 0);
      return { message: `${changed} changes in ${Math.round(result.ms)} ms` };
    } catch (err) {
      throw waldurFailure(err, 'sync from Waldur');
    }
  });
}

export async function startHistoricalConsumptionSync(deps: LongWorkDeps, o: { resourceUuid: string; periodFrom?: string | null; periodTo?: string | null; force?: boolean }) {
  const resource = await historicalSyncResource(deps.db.prisma, o.resourceUuid);
  return startWork(deps, { kind: 'HISTORICAL_CONSUMPTION_SYNC', label: `Historical consumption of ${resource.name}` }, async (progress) => {
    const result = await syncHistoricalConsumption({ db: deps.db, arrow: deps.arrow, progress }, { ...o, dryRun: false });
    const failed = result.errors.length > 0 && result.periodsSynced === 0;
    const errors = result.errors.length ? `; ${result.errors.length} failed, first ${result.errors[0]!.period}: ${result.errors[0]!.error}` : '';
    return { failed, message: `${result.periodsSynced} months synced, ${result.periodsSkipped} finalized, ${result.periodsNoData} without data${errors}` };
  });
}
