import type { FlowDeps } from './domain/flows/runs.js';
import { runBillingSync, runValidation } from './domain/flows/billing-sync.js';
import { runConsumptionSync } from './domain/flows/consumption-sync.js';
import { runReconciliation } from './domain/flows/reconciliation.js';
import { runInvoicePush } from './domain/flows/invoice-push.js';
import { periodOf } from './domain/periods.js';
import { consumptionSyncEnabled } from './domain/sync-controls.js';
import type { Logger } from './observability/logger.js';

/**
 * One round of the periodic flows for every active settings with sync enabled: this month's
 * billing and consumption, and last month's billing, validation and reconciliation.
 * Replicas may all do this: the flows take turns per settings and period and are idempotent.
 */
export async function runScheduledFlows(deps: FlowDeps, now = new Date()) {
  const settings = await deps.db.prisma.arrowSettings.findMany({ where: { isActive: true, syncEnabled: true }, select: { uuid: true } });
  // consumption syncs paused for all settings (pause_sync with pause_global) are left out
  const consumption = await consumptionSyncEnabled(deps.db.prisma);
  const runs = [];
  for (const { uuid: settingsUuid } of settings) {
    const current = { settingsUuid, period: periodOf(now) };
    const previous = { settingsUuid, period: periodOf(now, 1) };
    runs.push(await runBillingSync(deps, current));
    if (consumption) runs.push(await runConsumptionSync(deps, current));
    runs.push(await runBillingSync(deps, previous));
    if (consumption) runs.push(await runConsumptionSync(deps, previous));
    runs.push(await runValidation(deps, previous), await runReconciliation(deps, previous));
    // last: the months' lines onto Waldur's invoices (skipped unless the settings say INVOICE_ITEMS)
    runs.push(await runInvoicePush(deps, previous), await runInvoicePush(deps, current));
  }
  return runs;
}

/** Runs the flows every `intervalMs` (0: never); a round still going delays the next. */
export function startScheduler(deps: FlowDeps, intervalMs: number, logger?: Logger) {
  if (intervalMs <= 0) return { stop: async () => {} };
  const flowDeps = { ...deps, logger };
  const log = (line: string) => logger?.info(line);
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const tick = () => {
    current = runScheduledFlows(flowDeps)
      .then((runs) => log(`flows: ${runs.length} runs, ${runs.filter((r) => r.status === 'FAILED' || r.status === 'PARTIAL').length} with failures`))
      .catch((err: unknown) => log(`flows: round failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
