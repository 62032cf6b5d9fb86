import { inBackground } from '../../http/resilient.js';
import { refreshPlannerStatistics } from '../../db/planner-statistics.js';
import crypto from 'node:crypto';
import type { Database } from '../../db/database.js';
import type { ArrowSource } from '../arrow-source.js';
import { activeSettings, getSettings, type Settings } from '../settings.js';
import type { FlowKind, FlowRun } from '../../generated/prisma/client.js';
import { periodOf } from '../periods.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../mappings.js';
import type { Logger } from '../../observability/logger.js';
import type { Progress } from '../work.js';

export interface FlowDeps {
  db: Database;
  arrow: ArrowSource;
  /** The attached Waldur: the invoice push writes into its invoices. */
  waldur?: import('../../waldur/client.js').WaldurClient;
  now?: () => Date;
  /** Failed and partial runs are logged here at warn. */
  logger?: Logger;
  /** Told how many items the run has and as each is done (a console's progress bar). */
  progress?: Progress;
}

export interface FlowOptions {
  /** Default: the active settings. */
  settingsUuid?: string | null;
  /** YYYY-MM */
  period: string;
  /** Reconciliation: redo what is already reconciled, or not yet validated; consumption sync: re-read finalized months too. */
  force?: boolean;
  /** Consumption sync: only this resource's licence. */
  resourceUuid?: string | null;
}

/** What a flow's body reports as it goes; written to the FlowRun row at the end. */
export class RunTally {
  created = 0;
  updated = 0;
  unchanged = 0;
  skipped = 0;
  failed = 0;
  errors: { reference: string; message: string }[] = [];
  skipReason: string | null = null;

  fail(reference: string, err: unknown) {
    this.failed++;
    this.errors.push({ reference, message: err instanceof Error ? err.message : String(err) });
  }

  /** Ends the run as SKIPPED with this reason (nothing to do). */
  skip(reason: string) {
    this.skipReason = reason;
  }
}

/** Where a period stands against today's month (UTC): flows must not freeze or invent a month. */
export function monthStanding(deps: FlowDeps, period: string): 'over' | 'current' | 'future' {
  const today = periodOf(deps.now?.() ?? new Date());
  return period < today ? 'over' : period === today ? 'current' : 'future';
}

/** The skip reason for a flow that needs the month over (validation, reconciliation), or null. */
export function notOverYet(deps: FlowDeps, period: string): string | null {
  return monthStanding(deps, period) === 'over' ? null : `The month ${period} is not over yet`;
}

/** The skip reason for a flow that reads a month's figures (billing, consumption), or null. */
export function notBegunYet(deps: FlowDeps, period: string): string | null {
  return monthStanding(deps, period) === 'future' ? `The month ${period} has not begun yet` : null;
}

/** A run's message when items failed: how many, and the first reason. */
function failureMessage(tally: RunTally): string {
  const total = tally.created + tally.updated + tally.unchanged + tally.failed;
  const first = tally.errors[0];
  return `${tally.failed} of ${total} failed${first ? `; first: ${first.reference}: ${first.message}` : ''}`;
}

function lockKey(settingsUuid: string, period: string): bigint {
  // 60 bits of a hash: every replica computes the same key for the same settings and month
  return BigInt(`0x${crypto.createHash('sha256').update(`flow:${settingsUuid}:${period}`).digest('hex').slice(0, 15)}`);
}

/**
 * Runs one flow for one settings and period: at most one at a time across replicas (an
 * advisory lock per settings and period, shared by all kinds), recorded as a FlowRun whatever
 * happens. Failures of single items are tallied by the body; the rest completes.
 */
export async function runFlow(
  deps: FlowDeps,
  kind: FlowKind,
  options: FlowOptions,
  body: (settings: Settings, tally: RunTally) => Promise<void>,
): Promise<FlowRun> {
  const prisma = deps.db.prisma;
  const settings = options.settingsUuid ? await getSettings(prisma, options.settingsUuid) : await activeSettings(prisma);
  const base = { kind, period: options.period, forced: options.force ?? false };
  if (!settings) {
    return prisma.flowRun.create({ data: { ...base, status: 'SKIPPED', message: 'No active Arrow settings configured', finishedAt: new Date() } });
  }
  return deps.db.withAdvisoryLock(lockKey(settings.uuid, options.period), async () => {
    const run = await prisma.flowRun.create({ data: { ...base, settingsUuid: settings.uuid } });
    const tally = new RunTally();
    let status: FlowRun['status'];
    let message = '';
    try {
      // bulk work: its upstream requests let those someone waits for go first
      await inBackground(() => body(settings, tally));
      const done = tally.created + tally.updated + tally.unchanged;
      if (tally.skipReason) (status = 'SKIPPED'), (message = tally.skipReason);
      else if (tally.failed) (status = done ? 'PARTIAL' : 'FAILED'), (message = failureMessage(tally));
      else status = 'SUCCEEDED';
    } catch (err) {
      status = 'FAILED';
      message = err instanceof Error ? err.message : String(err);
    }
    const tables = kind === 'CONSUMPTION_SYNC' ? (['consumption_records'] as const) : kind === 'BILLING_SYNC' ? (['billing_syncs', 'billing_sync_items'] as const) : [];
    await refreshPlannerStatistics(prisma, Object.fromEntries(tables.map((t) => [t, tally.created + tally.updated]))).catch(() => undefined); // statistics are an optimisation
    if (status === 'FAILED' || status === 'PARTIAL') {
      deps.logger?.warn({ flow: kind, period: options.period, settings: settings.uuid, run: run.uuid, failed: tally.failed }, `flow ${kind} ${options.period} ${status}: ${message}`);
    }
    return prisma.flowRun.update({
      where: { uuid: run.uuid },
      data: {
        status,
        message,
        created: tally.created,
        updated: tally.updated,
        unchanged: tally.unchanged,
        skipped: tally.skipped,
        failed: tally.failed,
        errors: tally.errors,
        finishedAt: new Date(),
      },
    });
  });
}

/**
 * Settings or a resource named for a flow but not there: refused (404) before anything starts,
 * rather than a run that can only fail. Shared by the REST actions, GraphQL and started work.
 */
export async function checkFlowTargets(prisma: Database['prisma'], options: Pick<FlowOptions, 'settingsUuid' | 'resourceUuid'>): Promise<void> {
  if (options.settingsUuid) await getSettings(prisma, options.settingsUuid);
  if (options.resourceUuid && !(isUuid(options.resourceUuid) && (await prisma.resource.findUnique({ where: { uuid: options.resourceUuid }, select: { uuid: true } })))) {
    throw new NotFoundError(`Resource ${options.resourceUuid} not found`);
  }
}

/** The active mappings of the settings, with their Waldur customers. */
export function activeMappings(deps: FlowDeps, settings: Settings) {
  return deps.db.prisma.customerMapping.findMany({
    where: { settingsUuid: settings.uuid, isActive: true },
    include: { waldurCustomer: { select: { uuid: true, name: true } } },
    orderBy: { created: 'asc' },
  });
}
