import type { Logger } from '../observability/logger.js';

/**
 * Work an answer does not wait for (Waldur's 202 actions): started at once, its failures logged,
 * and awaited on shutdown (or by a test) so that nothing is cut off midway. What each did is
 * recorded where it always is (a flow's FlowRun).
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();
  constructor(private readonly logger?: Logger) {}

  start(name: string, work: () => Promise<unknown>): void {
    const p = work()
      .catch((err: unknown) => this.logger?.warn({ work: name }, `${name} failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when everything started so far (and anything it started) has finished. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
