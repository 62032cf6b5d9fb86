import { useEffect, useState } from 'react';
import { subscribe } from '../api';
import { WorkProgressSubscription } from '../documents';
import type { WorkFieldsFragment } from '../gql/graphql';

/** How work ended, in words: a flow that had nothing to do was skipped, not succeeded. */
function outcome(w: WorkFieldsFragment): string {
  if (w.flowRun?.status === 'SKIPPED') return 'skipped';
  if (w.flowRun?.status === 'PARTIAL') return 'partly done';
  return w.state.toLowerCase();
}

/**
 * Long work as progress bars: what the screen's query found running (so a reload picks it up)
 * and what this page started, each followed over the workProgress subscription until it ends.
 */
export function WorkPanel({ found, started, onEnded }: { found: WorkFieldsFragment[]; started: WorkFieldsFragment[]; onEnded?: () => void }) {
  const [works, setWorks] = useState<Map<string, WorkFieldsFragment>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setWorks((current) => {
      const next = new Map(current);
      for (const w of [...found, ...started]) if (!next.has(w.uuid)) next.set(w.uuid, w);
      return next;
    });
  }, [found, started]);

  const running = [...works.values()].filter((w) => w.state === 'RUNNING').map((w) => w.uuid).join(',');
  useEffect(() => {
    const stops = running
      .split(',')
      .filter(Boolean)
      .map((uuid) =>
        subscribe(
          WorkProgressSubscription,
          { uuid },
          (data) => {
            setWorks((current) => new Map(current).set(uuid, data.workProgress));
            // what the work changed (a flow's runs, records) is read again once it ends
            if (data.workProgress.state !== 'RUNNING') onEnded?.();
          },
          (err) => setError(err.message),
        ),
      );
    return () => stops.forEach((stop) => stop());
  }, [running]);

  const list = [...works.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 5);
  if (!list.length) return null;
  return (
    <section aria-label="Work in progress" className="work-panel">
      <h2>Work</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <ul>
        {list.map((w) => {
          const pct = w.total ? Math.round((100 * w.done) / w.total) : w.state === 'RUNNING' ? 0 : 100;
          return (
            <li key={w.uuid} data-work={w.kind} data-state={w.state}>
              <label>
                <span>{w.label}</span> <span className="muted">{w.state === 'RUNNING' ? `${w.done} / ${w.total || '…'}` : outcome(w)}</span>
                <progress max={100} value={pct} aria-valuetext={`${pct}%`}>{pct}%</progress>
                <span className="pct">{pct}%</span>
              </label>
              {w.state !== 'RUNNING' && (w.message || w.flowRun) && (
                <p className={w.state === 'FAILED' ? 'error' : 'muted'}>
                  {w.flowRun ? `${w.flowRun.status}: ${w.flowRun.created} created, ${w.flowRun.updated} updated, ${w.flowRun.unchanged} unchanged, ${w.flowRun.failed} failed. ` : ''}
                  {w.message}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
