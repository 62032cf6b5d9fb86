import { answerNotKept } from './arrow-source.js';
import { EventEmitter } from 'node:events';
import type { Database } from '../db/database.js';
import type { Work } from '../generated/prisma/client.js';
import type { BackgroundWork } from './background.js';
import { isUuid } from './mappings.js';
import { NotFoundError } from './errors.js';

/** How long work says how far it has come: `total` steps, `advance` as each is done. */
export interface Progress {
  total(steps: number): void;
  advance(steps?: number): void;
}

/** What a piece of long work ends with: failed or not, a message, and the flow run it made. */
export interface WorkOutcome {
  failed?: boolean;
  message?: string;
  flowRunUuid?: string;
}

/** Progress is written at most this often while work runs (and always at its end). */
const WRITE_EVERY_MS = 200;

/**
 * News of work rows written through this database connection (this replica): a write here wakes
 * its followers at once; followers on other replicas find the row changed when they next read it
 * (followWork polls).
 */
const news = new WeakMap<Database, EventEmitter>();
function changesOf(db: Database): EventEmitter {
  let emitter = news.get(db);
  if (!emitter) news.set(db, (emitter = new EventEmitter().setMaxListeners(0)));
  return emitter;
}

/**
 * Starts long work in the background and answers its Work row at once (RUNNING, 0 of 0). The
 * body reports progress; the row records it, throttled, and the end (state, message, flow run).
 */
export async function startWork(
  deps: { db: Database; background: BackgroundWork },
  what: { kind: string; label: string },
  body: (progress: Progress) => Promise<WorkOutcome>,
): Promise<Work> {
  const prisma = deps.db.prisma;
  const changed = changesOf(deps.db);
  const work = await prisma.work.create({ data: what });
  let done = 0;
  let total = 0;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const write = (data: Partial<Pick<Work, 'done' | 'total' | 'state' | 'message' | 'flowRunUuid' | 'finishedAt'>>) => {
    lastWrite = Date.now();
    // one write at a time, in order: a late progress write must not undo the end
    writing = writing.then(() => prisma.work.update({ where: { uuid: work.uuid }, data })).then(() => changed.emit(work.uuid));
    return writing;
  };
  const progress: Progress = {
    total(steps) {
      total = steps;
      void write({ done, total });
    },
    advance(steps = 1) {
      done += steps;
      if (Date.now() - lastWrite >= WRITE_EVERY_MS) void write({ done, total });
    },
  };
  deps.background.start(what.label, async () => {
    let outcome: WorkOutcome;
    try {
      outcome = await body(progress);
    } catch (err) {
      outcome = { failed: true, message: err instanceof Error ? err.message : String(err) };
    }
    const end = Math.max(done, total);
    await write({ done: end, total: end, state: outcome.failed ? 'FAILED' : 'SUCCEEDED', message: outcome.message ?? '', flowRunUuid: outcome.flowRunUuid ?? null, finishedAt: new Date() });
  });
  return work;
}

export async function getWork(db: Database, uuid: string): Promise<Work> {
  answerNotKept(); // progress rows move no data version
  const work = isUuid(uuid) ? await db.prisma.work.findUnique({ where: { uuid } }) : null;
  if (!work) throw new NotFoundError(`Work ${uuid} not found`);
  return work;
}

/** Work still running, and what finished within the last hour, newest first. */
export function recentWork(db: Database, now = new Date()) {
  answerNotKept();
  return db.prisma.work.findMany({
    where: { OR: [{ state: 'RUNNING' }, { finishedAt: { gte: new Date(now.getTime() - 3_600_000) } }] },
    orderBy: { startedAt: 'desc' },
    take: 20,
  });
}

/**
 * The work row now and at each change until it ends: at once for writes of this process, and
 * within `pollMs` for those of another replica (the row is read again whenever nothing woke us).
 */
export async function* followWork(db: Database, uuid: string, pollMs = 500, signal?: AbortSignal): AsyncGenerator<Work> {
  let wake: () => void = () => {};
  const onChange = () => wake();
  const changed = changesOf(db);
  changed.on(uuid, onChange);
  try {
    let last = '';
    for (;;) {
      // listening before reading: a write between the read and the wait still wakes us
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs).unref?.();
      });
      const work = await getWork(db, uuid);
      const seen = `${work.state}|${work.done}|${work.total}`;
      if (seen !== last) {
        last = seen;
        yield work;
      }
      if (work.state !== 'RUNNING' || signal?.aborted) return;
      await woken;
    }
  } finally {
    changed.off(uuid, onChange);
  }
}
