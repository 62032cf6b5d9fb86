import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { WaldurClient } from './client.js';
import { syncFromWaldur, type MirrorResult } from './mirror.js';

export interface WaldurSyncLoopOptions {
  /** Incremental syncs this often (0: none after the first). */
  intervalMs: number;
  /** A full sync (hard deletes, bulk edits that skip `modified`) this often. */
  fullEveryMs: number;
  metrics?: Metrics;
  logger?: Logger;
  /** Where progress lines go (the start log prints them). */
  progress?: (line: string) => void;
}

/**
 * Keeps the mirror fresh: syncs on a timer, full ones now and then, one at a time in this process
 * (replicas take turns through the mirror's advisory lock). Records each outcome in the metrics.
 */
export class WaldurSyncLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private lastFullMs = 0;
  /** The first sync has succeeded: the mirror holds Waldur's objects. */
  ready = false;

  constructor(
    private readonly db: Database,
    private readonly waldur: WaldurClient,
    private readonly options: WaldurSyncLoopOptions,
  ) {}

  /** One sync now (full when asked, when none has been, or when the reconcile is due). */
  run(full = false): Promise<MirrorResult> {
    const due = !this.ready || Date.now() - this.lastFullMs >= this.options.fullEveryMs;
    const kind = full || due ? 'full' : 'incremental';
    const started = performance.now();
    const run = syncFromWaldur(this.db, this.waldur, { full: kind === 'full', progress: this.options.progress }).then(
      (result) => {
        this.ready = true;
        if (result.full) this.lastFullMs = Date.now();
        this.options.metrics?.waldurSyncDuration.observe({ kind: result.full ? 'full' : 'incremental', outcome: 'ok' }, (performance.now() - started) / 1000);
        this.options.metrics?.onWaldurSynced(result.startedAt);
        for (const [entity, c] of Object.entries(result.changes)) {
          for (const change of ['created', 'updated', 'deleted'] as const) if (c[change]) this.options.metrics?.waldurSyncRows.inc({ entity, change }, c[change]);
        }
        for (const line of result.kept) this.options.logger?.warn(`waldur: ${line}`);
        return result;
      },
      (err: unknown) => {
        this.options.metrics?.waldurSyncDuration.observe({ kind, outcome: 'failed' }, (performance.now() - started) / 1000);
        throw err;
      },
    );
    this.current = run.catch(() => {});
    return run;
  }

  /** Syncs every interval after the first; a sync still going delays the next; failures are logged and retried next time. */
  start() {
    if (this.options.intervalMs <= 0) return;
    const tick = () => {
      this.run()
        .catch((err: unknown) => this.options.logger?.warn(`waldur: sync failed (the mirror is kept as it was; next try in ${Math.round(this.options.intervalMs / 1000)} s): ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}
