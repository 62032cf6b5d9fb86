import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { keepStatementsPrepared } from './pglite-statements.js';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { isDatabaseUnavailable } from './unavailable.js';
import { isBackground } from '../http/resilient.js';

export type Prisma = PrismaClient;
/** The client inside `prisma.$transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Raw SQL on one session: multi-statement scripts (migrations) and parameterised queries. */
export interface SqlSession {
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  kind: 'pglite' | 'postgresql';
  /** Where the data lives, for messages: a folder or the server (never the password). */
  location: string;
  prisma: PrismaClient;
  /** Runs fn on one session holding a PostgreSQL advisory lock, so replicas take turns. */
  withAdvisoryLock<T>(key: bigint, fn: (sql: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Claims a PostgreSQL advisory lock for as long as this process runs (a session of its own):
   * false when another process holds it. PGlite's folder is this process's alone: always true.
   */
  claimForLife(key: bigint): Promise<boolean>;
  /**
   * Runs fn holding the named locks (a licence, a resource): one holder of a name at a time, in
   * this process and across replicas. The locks are held apart from the connections queries use,
   * so fn may wait on Waldur while everyone else reads and writes.
   */
  withNamedLocks<T>(names: string[], fn: () => Promise<T>): Promise<T>;
  /** Calls listener with each SQL statement Prisma sends; returns an unsubscribe function. */
  onQuery(listener: (sql: string) => void): () => void;
  /** PGlite only: the whole data folder as one tar file, which `OpenOptions.startFrom` takes. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {}

/** Names in the one order every holder takes them (duplicates dropped). */
function lockOrder(names: string[]): string[] {
  return [...new Set(names)].sort();
}

/** Locks by name within this process: each name a queue of holders, taken in one order. */
export class NamedLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(names: string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const name of lockOrder(names)) releases.push(await this.take(name));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async take(name: string): Promise<() => void> {
    const before = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(name, tail);
    await before;
    return () => {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    };
  }
}

/** The named locks the running code holds: their session's loss, if it was lost. */
const heldLocks = new AsyncLocalStorage<{ lost?: Error }>();

/**
 * Throws when the session holding the running code's named locks was lost (a restart, a
 * terminated backend): another writer may have the locks now, so a write must not commit on them.
 * The error is the session's, answered as the database being unavailable (503, retry).
 */
export function assertNamedLocksHeld(): void {
  const lost = heldLocks.getStore()?.lost;
  if (lost) throw lost;
}

const namedLocksOf = new WeakMap<PrismaClient, Database['withNamedLocks']>();
const unregistered = new NamedLocks();

/**
 * The named locks of the database this client was opened on (Database.withNamedLocks), for domain
 * code that is handed only the client.
 */
export function withNamedLocks<T>(prisma: PrismaClient, names: string[], fn: () => Promise<T>): Promise<T> {
  const run = namedLocksOf.get(prisma);
  return run ? run(names, fn) : unregistered.run(names, fn);
}

function registered(db: Database): Database {
  namedLocksOf.set(db.prisma, db.withNamedLocks);
  return db;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; 'memory://' keeps everything in memory (tests). */
  dataDir: string;
  /**
   * With 'memory://': start from this dump of a data folder (Database.dumpDataDir) rather than an
   * empty database. Tests start each database from one migrated database: 0.7 s, where creating
   * an empty one (PGlite's initdb) takes 2.3 s.
   */
  startFrom?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir, options.startFrom);
}

/** How long a statement (PostgreSQL) or a transaction (either database) waits for its connection before it is refused. */
const POOL_WAIT_MS = 30_000;

function withQueryEvents(adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>) {
  // A transaction waits for its connection as a statement does (Prisma's default is 2 s, after
  // which a busy database answered 500)
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }], transactionOptions: { maxWait: POOL_WAIT_MS } });
  const listeners = new Set<(sql: string) => void>();
  prisma.$on('query', (e) => {
    for (const listener of listeners) listener(e.query);
  });
  const onQuery = (listener: (sql: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { prisma, onQuery };
}

/** A pooled connection whose own connecting gives up after 3 s (the pool's wait for a free one is longer). */
class ConnectingWithin3s extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: 3000 });
  }
}

/** Statement texts PostgreSQL keeps parsed, per process (on each connection); more run unnamed. pgx's statement cache keeps 512. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Names for the statements PostgreSQL may keep parsed on each connection (the extended protocol's
 * named statements), so a repeated one is parsed once per connection, not per request (the screen's
 * resources statement 3.96 → 3.15 ms; the screen's database fields, with the resources' projects read
 * by key, 20.2–21.2 → 17.3–18.5 ms measured interleaved with the code before). Only texts that repeat
 * are named: one with a list of parameters (`IN ($1,$2,…)`, a VALUES list) changes with the list's
 * length, and named it would add a statement per length to every connection. `?pgbouncer=true` in
 * the URL turns them off, as with Prisma's own engine (a pooler in transaction mode may run a
 * statement on another connection than the one it was prepared on).
 */
export function statementNames(url: string): ((query: { sql: string; args: unknown[] }) => string | undefined) | undefined {
  if (behindPgBouncer(url)) return undefined;
  const names = new Map<string, string>();
  return ({ sql, args }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (!textRepeats(sql, args) || names.size >= MAX_NAMED_STATEMENTS) return undefined;
      name = `gw_${crypto.createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name;
  };
}

/** A statement text that repeats as it is: no list of parameters whose length changes it, and 16 parameters at most. */
function textRepeats(sql: string, args: unknown[]): boolean {
  return args.length <= 16 && !/\(\$\d+(::\w+)?,\s*\$/.test(sql);
}

/** `?pgbouncer=true`; a URL that does not parse says nothing (pg reports it, without its password). */
function behindPgBouncer(url: string): boolean {
  try {
    return new URL(url).searchParams.get('pgbouncer') === 'true';
  } catch {
    return false;
  }
}

async function openPostgres(url: string): Promise<Database> {
  // Connecting takes at most 3 s (a server that is down answers at once, one that is unreachable
  // never would); waiting for one of the ten connections while others' statements run is a busy
  // database, not an unavailable one, and may take up to POOL_WAIT_MS. TCP keep-alive notices
  // connections a failover left half-open.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: POOL_WAIT_MS, keepAlive: true, Client: ConnectingWithin3s });
  // An idle connection that the server ends (restart, failover, DROP DATABASE) must not crash
  // the process; the pool replaces it on the next query.
  pool.on('error', () => undefined);
  const { prisma, onQuery } = withQueryEvents(
    // unnamed where the generator gives no name (pg takes `name: undefined` as the unnamed statement)
    new PrismaPg(pool, { statementNameGenerator: statementNames(url) as ((query: { sql: string; args: unknown[] }) => string) | undefined }),
  );
  const location = redactUrl(url);
  const lifelong: pg.Client[] = [];
  // Named locks live on sessions of their own: a writer waiting on Waldur holds its lock there,
  // never one of the connections the queries share. A writer past the fourth waits for a session.
  const lockPool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 30_000, keepAlive: true });
  lockPool.on('error', () => undefined);
  const inProcess = new NamedLocks();
  return registered({
    kind: 'postgresql',
    location,
    prisma,
    onQuery,
    async claimForLife(key) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, keepAlive: true });
      client.on('error', () => undefined); // a lost session loses the claim; nothing to end the process for
      await client.connect();
      const [row] = (await client.query<{ claimed: boolean }>('SELECT pg_try_advisory_lock($1) AS claimed', [key.toString()])).rows;
      if (row?.claimed) return (lifelong.push(client), true);
      await client.end();
      return false;
    },
    withNamedLocks(names, fn) {
      // waiters in this process queue here first, so each takes a session only when its turn comes
      return inProcess.run(names, async () => {
        const client = await lockPool.connect();
        const held: { lost?: Error } = {};
        const onError = (err: Error) => void (held.lost ??= err);
        client.on('error', onError);
        const keys = lockOrder(names);
        try {
          // one order for everyone, so two writers of the same names never wait on each other in a ring
          for (const name of keys) await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
          return await heldLocks.run(held, fn);
        } finally {
          if (!held.lost) await client.query('SELECT pg_advisory_unlock_all()').catch((err: Error) => void (held.lost ??= err));
          client.removeListener('error', onError);
          client.release(held.lost);
        }
      });
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      // The lock's session is checked out for as long as fn runs: the server ending it (restart,
      // pg_terminate_backend) is an 'error' on this client, which unheard would end the process.
      // The lock ends with its session, so there is nothing to unlock then; the client is dropped.
      let lost: Error | undefined;
      const onError = (err: Error) => void (lost ??= err);
      client.on('error', onError);
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
        try {
          return await fn({
            exec: async (script) => void (await client.query(script)),
            query: async (text, params) => (await client.query(text, params as unknown[])).rows,
          });
        } finally {
          if (!lost) await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch((err: Error) => void (lost ??= err));
        }
      } catch (err) {
        lost ??= isDatabaseUnavailable(err) ? (err as Error) : undefined;
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await lockPool.end();
      await Promise.all(lifelong.map((c) => c.end().catch(() => undefined)));
    },
  });
}

/**
 * PGlite runs PostgreSQL's defaults, whose 128 MB of shared buffers all become resident memory of
 * the gateway's process; the embedded database's pages are in the operating system's cache anyway,
 * so 16 MB of buffers cost little speed (measured by the bench) and save about 120 MB.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** The longest PGlite's statements run back to back before the event loop gets a turn. */
const EVENT_LOOP_TURN_MS = 10;
/** The most turns of the event loop a background statement waits for others' statements to finish. */
const BACKGROUND_TURNS = 20;

/**
 * PGlite is one session in the gateway's own thread, shared by everyone:
 * - its answers are resolved promises, so a screen's statements, and the work between them, ran
 *   from one microtask to the next without the event loop turning. A request that arrived
 *   meanwhile was not even read until the screen was sent, and which waiting socket was read next
 *   was the event loop's choice: with 16 clients computing the screen, some answered in 0.5 s
 *   while others waited 10 s. Before a statement, once EVENT_LOOP_TURN_MS have passed since the
 *   loop last turned, it turns: waiting requests are read and queue in order (the execution gate
 *   is first come, first served);
 * - background work (a flow, the Waldur mirror's sync: inBackground) lets statements someone waits
 *   for go first: each of its statements and transactions waits a turn of the event loop, then
 *   more, a turn at a time and at most BACKGROUND_TURNS, while others' are under way. A
 *   consumption sync writing 1,000 records no longer doubles the time of a screen computed
 *   meanwhile.
 * (Statements inside a transaction run on the transaction's own handle, past this.)
 * The turn is taken when a statement's time to run comes, not when it is asked for: PGlite runs
 * one statement or transaction at a time (its own mutex), and statements asked for together (a
 * screen's loaders batch theirs) used to pass the check at once and then run back to back, 100 ms
 * without a turn. So statements and transactions wait in a queue of ours, in the order PGlite's
 * mutex would take them, and each checks the time when it leaves the queue.
 */
function shareTheSession(pglite: PGlite) {
  let turned = performance.now();
  let foreground = 0;
  let queue: Promise<void> = Promise.resolve();
  const share = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const mine = !isBackground();
    if (mine) foreground++;
    // at least one turn: a request's statements follow one another in microtasks, and one that
    // came between two of them (faster since PGlite keeps statements prepared) found none under
    // way and went first
    else for (let turns = 0; turns === 0 || (foreground > 0 && turns < BACKGROUND_TURNS); turns++) await new Promise((resolve) => setImmediate(resolve));
    const ahead = queue;
    let done!: () => void;
    queue = new Promise<void>((resolve) => (done = resolve));
    try {
      await ahead;
      if (performance.now() - turned >= EVENT_LOOP_TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turned = performance.now();
      }
      return await run(...args);
    } finally {
      done();
      if (mine) foreground--;
    }
  };
  const session = pglite as unknown as { query: (...args: unknown[]) => Promise<unknown>; transaction: (...args: unknown[]) => Promise<unknown> };
  // the texts PostgreSQL's connections keep parsed (statementNames' rules), PGlite keeps parsed too
  const prepared = keepStatementsPrepared(pglite, textRepeats, MAX_NAMED_STATEMENTS);
  session.query = share(prepared.query as (...args: unknown[]) => Promise<unknown>);
  session.transaction = share(prepared.transaction as (...args: unknown[]) => Promise<unknown>);
}

async function openPglite(dataDir: string, startFrom?: Blob): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const releaseFolder = inMemory ? () => {} : claimDataDir(dataDir);
  let pglite: PGlite;
  try {
    // one options object: PGlite ignores its second argument when the first (the folder) is absent
    pglite = new PGlite({ ...(inMemory ? (startFrom ? { loadDataDir: startFrom } : {}) : { dataDir: path.resolve(dataDir) }), startParams: PGLITE_START_PARAMS });
    await pglite.waitReady;
  } catch (err) {
    releaseFolder();
    throw err;
  }
  shareTheSession(pglite);
  const { prisma, onQuery } = withQueryEvents(new PrismaPGlite(pglite));
  // PGlite is one session; a promise chain stands in for the advisory lock's queue inside
  // this process (PostgreSQL's lock is re-entrant for its own session and would not serialise).
  let queue: Promise<unknown> = Promise.resolve();
  const named = new NamedLocks();
  return registered({
    kind: 'pglite',
    location: inMemory ? 'memory' : path.resolve(dataDir),
    prisma,
    onQuery,
    claimForLife: async () => true,
    // the folder is this process's alone: locks in memory are all the replicas there are
    withNamedLocks: (names, fn) => named.run(names, fn),
    withAdvisoryLock(_key, fn) {
      const run = queue.then(() =>
        fn({
          exec: async (script) => void (await pglite.exec(script)),
          query: async <T>(text: string, params?: unknown[]) =>
            (await pglite.query(text, params)).rows as T[],
        }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      releaseFolder();
    },
  });
}

/**
 * PGlite is an embedded database: two processes on one folder would corrupt it. A pid file
 * in the folder says who holds it; a stale one (its process gone) is taken over.
 */
function claimDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'gateway.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(pidFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(pidFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(pidFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(
          `The data folder ${path.resolve(dataDir)} is in use by process ${holder} (a running gateway?). ` +
            'Stop it first, or use PostgreSQL through DATABASE_URL to work while it runs.',
        );
      }
      fs.rmSync(pidFile, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not claim the data folder ${path.resolve(dataDir)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable url)';
  }
}
