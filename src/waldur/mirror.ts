import { refreshPlannerStatistics } from '../db/planner-statistics.js';
import { answerNotKept } from '../domain/arrow-source.js';
import type { Database, Transaction } from '../db/database.js';
import { Prisma as P } from '../generated/prisma/client.js';
import { inBackground } from '../http/resilient.js';
import { since, WaldurApiError, type ListParams, type WaldurClient } from './client.js';
import { settleAll } from '../domain/collections.js';
import { licenceOf, type WaldurCustomer, type WaldurOffering, type WaldurOrder, type WaldurProject, type WaldurResource } from './wire.js';
import type { Progress } from '../domain/work.js';

/**
 * The gateway's copy of what Waldur owns (customers, projects, offerings with plans, resources,
 * their create orders), written only here and by write-through. A full sync reads everything and
 * notices hard deletes; an incremental one asks only for what changed since the last marks
 * (WALDUR.md §8): resources and orders by their own `modified` (less an overlap), projects and
 * offerings by the filter alone (they carry no `modified`), customers (Waldur has no filter for
 * them) by their change feed, Waldur's event log, between full scans every `customerScanMs`.
 * Filters a server does not honour are found by a probe during a full sync and never trusted:
 * those entities are scanned in full.
 */

type Entity = 'customers' | 'projects' | 'offerings' | 'resources' | 'orders';
const FILTERED: Exclude<Entity, 'customers'>[] = ['projects', 'offerings', 'resources', 'orders'];

/** What the state row keeps between syncs. */
interface Marks {
  /** Per entity, when to ask from next time (ISO). */
  since?: Partial<Record<Entity, string>>;
  /** Per entity, whether the server honours the `modified` filter, for customers the event feed (probed by a full sync). */
  filters?: Partial<Record<Entity, boolean>>;
  /** When customers were last read in full (ISO): the feed misses bulk edits, a scan does not. */
  customersScannedAt?: string;
  /** Why customers are followed as they are (found by the last full sync's probe). */
  customersFollowedWhy?: string;
}

export interface MirrorChanges {
  created: number;
  updated: number;
  deleted: number;
}

export interface MirrorResult {
  full: boolean;
  startedAt: Date;
  ms: number;
  changes: Record<Entity, MirrorChanges>;
  /** Objects gone from Waldur that billing data still needs: kept (resources marked TERMINATED). */
  kept: string[];
}

export interface MirrorOptions {
  full?: boolean;
  /** How far back of the last marks an incremental sync asks, for clocks and commits in flight. */
  overlapMs?: number;
  now?: () => Date;
  /** Progress, a line at a time (the CLI and the start log show it). */
  progress?: (line: string) => void;
  /** Progress in steps (reading Waldur, then each entity mirrored), for a console's progress bar. */
  steps?: Progress;
  /** How often an incremental sync reads every customer instead of their change feed (WALDUR.md §8: hourly). */
  customerScanMs?: number;
}

const MIRROR_LOCK = 0x5741_4c44n; // "WALD"
const RESOURCE_STATES = { Creating: 'CREATING', OK: 'OK', Erred: 'ERRED', Updating: 'UPDATING', Terminating: 'TERMINATING', Terminated: 'TERMINATED' } as const;
const ORDER_STATES: Record<string, 'PENDING' | 'EXECUTING' | 'DONE' | 'ERRED'> = { done: 'DONE', executing: 'EXECUTING', erred: 'ERRED', canceled: 'ERRED', rejected: 'ERRED' };

/** Brings the mirror up to Waldur; one at a time across replicas (a PostgreSQL advisory lock). */
export function syncFromWaldur(db: Database, waldur: WaldurClient, options: MirrorOptions = {}): Promise<MirrorResult> {
  // the sync's page reads let a write's Waldur requests go first
  return inBackground(() => db.withAdvisoryLock(MIRROR_LOCK, async () => {
    const prisma = db.prisma;
    const startedAt = options.now?.() ?? new Date();
    const t0 = performance.now();
    const state = await prisma.waldurSyncState.upsert({ where: { id: 1 }, create: { id: 1, runningSince: startedAt }, update: { runningSince: startedAt } });
    const marks = (state.marks ?? {}) as Marks;
    const full = options.full || !state.lastFullAt;
    const overlapMs = options.overlapMs ?? 60_000;
    const log = options.progress ?? (() => {});
    try {
      const probed = full ? await probeFilters(waldur) : null;
      const filters = probed?.filters ?? marks.filters ?? {};
      if (probed) log(`waldur: customers followed by ${probed.filters.customers ? 'their event feed, between hourly scans' : 'a scan at every sync'}: ${probed.why}`);
      /** What to ask for an entity: everything on a full sync or where the filter is not honoured, else what changed. */
      const ask = (entity: Exclude<Entity, 'customers'>): ListParams => {
        const from = marks.since?.[entity];
        return full || !filters[entity] || !from ? {} : since(new Date(Date.parse(from) - overlapMs));
      };
      const scannedAt = marks.customersScannedAt ? Date.parse(marks.customersScannedAt) : 0;
      const customersFrom = marks.since?.customers;
      const scanCustomers = full || !filters.customers || !customersFrom || startedAt.getTime() - scannedAt >= (options.customerScanMs ?? 3_600_000);
      log(`waldur: ${full ? 'full' : 'incremental'} sync started`);
      const steps = options.steps;
      steps?.total(6);
      // each list is read a page at a time and each page mirrored before the next is read: a full
      // sync of 200,000 resources holds one page, and the uuids seen (to find what is gone)
      const read = { customers: 0, projects: 0, offerings: 0, resources: 0, orders: 0 };
      const kept: string[] = [];
      const changes = {} as Record<Entity, MirrorChanges>;
      const stepped = async <T>(work: Promise<T>) => {
        const result = await work;
        steps?.advance();
        return result;
      };
      // every list's first page is asked at once (an incremental sync is mostly first pages); each
      // is mirrored in turn, parents first
      const lists = {
        customers: scanCustomers ? startedNow(waldur.pages('customers')) : null,
        customerNews: scanCustomers ? null : customerChanges(waldur, new Date(Date.parse(customersFrom!) - overlapMs)),
        offerings: startedNow(waldur.pages('offerings', ask('offerings'))),
        projects: startedNow(waldur.pages('projects', ask('projects'))),
        resources: startedNow(waldur.pages('resources', ask('resources'))),
        orders: startedNow(waldur.pages('orders', { type: 'Create', ...ask('orders') })),
      };
      lists.customerNews?.catch(() => undefined); // thrown where it is read
      steps?.advance();
      if (lists.customers) {
        changes.customers = await stepped(mirrorCustomerScan(prisma, counted(lists.customers, read, 'customers'), kept));
      } else {
        const news = await lists.customerNews!;
        read.customers = news.list.length;
        changes.customers = await stepped(mirrorCustomers(prisma, news.list, news.gone, kept));
      }
      changes.offerings = await stepped(mirrorOfferings(prisma, await collect(counted(lists.offerings, read, 'offerings')), full));
      changes.projects = await stepped(mirrorProjects(prisma, counted(lists.projects, read, 'projects'), full));
      // a changed resource may name a project or offering the mirror has not seen: those are read in full (once)
      const readInFull = { projects: full || !filters.projects, offerings: full || !filters.offerings };
      const parents = async (page: WaldurResource[]) => {
        const [needProjects, needOfferings] = await missingParents(prisma, page);
        if (needProjects && !readInFull.projects) {
          readInFull.projects = true;
          add(changes.projects, await mirrorProjects(prisma, counted(waldur.pages('projects'), read, 'projects'), false));
        }
        if (needOfferings && !readInFull.offerings) {
          readInFull.offerings = true;
          add(changes.offerings, await mirrorOfferings(prisma, await collect(counted(waldur.pages('offerings'), read, 'offerings')), false));
        }
      };
      const resourcesModified = { latest: marks.since?.resources };
      changes.resources = await stepped(mirrorResources(prisma, counted(lists.resources, read, 'resources'), full, kept, parents, resourcesModified));
      const ordersModified = { latest: marks.since?.orders };
      changes.orders = await stepped(mirrorOrderPages(prisma, counted(lists.orders, read, 'orders'), ordersModified));
      log(`waldur: read ${read.customers} customers, ${read.projects} projects, ${read.offerings} offerings, ${read.resources} resources, ${read.orders} orders`);
      const next: Marks = {
        filters,
        customersFollowedWhy: probed?.why ?? marks.customersFollowedWhy,
        customersScannedAt: scanCustomers ? startedAt.toISOString() : marks.customersScannedAt,
        since: {
          customers: startedAt.toISOString(),
          // entities without `modified` in their body: from this sync's start
          projects: startedAt.toISOString(),
          offerings: startedAt.toISOString(),
          resources: resourcesModified.latest ?? startedAt.toISOString(),
          orders: ordersModified.latest ?? startedAt.toISOString(),
        },
      };
      await prisma.waldurSyncState.update({
        where: { id: 1 },
        data: { marks: next as P.InputJsonValue, error: '', runningSince: null, ...(full ? { lastFullAt: startedAt } : {}), lastIncrementalAt: startedAt },
      });
      const rows = (c: MirrorChanges) => c.created + c.updated + c.deleted;
      // statistics are an optimisation: failing to refresh them fails no sync
      await refreshPlannerStatistics(prisma, { waldur_customers: rows(changes.customers), offerings: rows(changes.offerings), projects: rows(changes.projects), resources: rows(changes.resources), orders: rows(changes.orders) }).catch(() => undefined);
      const ms = performance.now() - t0;
      log(`waldur: ${full ? 'full' : 'incremental'} sync done in ${Math.round(ms)} ms: ${summary(changes)}`);
      return { full, startedAt, ms, changes, kept };
    } catch (err) {
      await prisma.waldurSyncState.update({ where: { id: 1 }, data: { error: err instanceof Error ? err.message : String(err), runningSince: null } });
      throw err;
    }
  }));
}

export interface MirrorState {
  lastFullAt: Date | null;
  lastIncrementalAt: Date | null;
  /** Seconds since the last successful sync began: how much older than Waldur the mirror may be. */
  lagSeconds: number | null;
  running: boolean;
  /** The last sync's failure ('' after a success). */
  error: string;
  /** How customers' renames and deletions reach the mirror: Waldur's event feed, or a scan of every customer at each sync. Null before the first full sync. */
  customersFollowedBy: 'EVENT_FEED' | 'SCANS' | null;
  customersFollowedWhy: string | null;
}

/** How fresh the mirror is, for GraphQL and the CLI. */
export async function mirrorState(prisma: Tx, now = new Date()): Promise<MirrorState> {
  answerNotKept(); // the sync's own state moves no data version
  const s = await prisma.waldurSyncState.findUnique({ where: { id: 1 } });
  const last = s?.lastIncrementalAt ?? s?.lastFullAt ?? null;
  const marks = (s?.marks ?? {}) as Marks;
  const feed = marks.filters?.customers;
  return {
    customersFollowedBy: feed === undefined ? null : feed ? 'EVENT_FEED' : 'SCANS',
    customersFollowedWhy: marks.customersFollowedWhy ?? null,
    lastFullAt: s?.lastFullAt ?? null,
    lastIncrementalAt: s?.lastIncrementalAt ?? null,
    lagSeconds: last ? Math.max(0, Math.round((now.getTime() - last.getTime()) / 1000)) : null,
    running: !!s?.runningSince,
    error: s?.error ?? '',
  };
}

/** Whether a page of resources names projects, or offerings, the mirror does not hold. */
async function missingParents(prisma: Tx, resources: WaldurResource[]): Promise<[boolean, boolean]> {
  const projectUuids = [...new Set(resources.map((r) => r.project_uuid))];
  const offeringUuids = [...new Set(resources.map((r) => r.offering_uuid))];
  const [projects, offerings] = await Promise.all([
    prisma.project.count({ where: { uuid: { in: projectUuids } } }),
    prisma.offering.count({ where: { uuid: { in: offeringUuids } } }),
  ]);
  return [projects < projectUuids.length, offerings < offeringUuids.length];
}

/** A list's pages, its first page asked now rather than when it is first read. */
function startedNow<T>(pages: AsyncGenerator<T[]>): AsyncIterable<T[]> {
  const first = pages.next();
  first.catch(() => undefined); // thrown where it is read
  return {
    async *[Symbol.asyncIterator]() {
      for (let page = await first; !page.done; page = await pages.next()) yield page.value;
    },
  };
}

/** A list's pages as they are read, counted into `read`. */
async function* counted<T>(pages: AsyncIterable<T[]>, read: Record<string, number>, entity: string): AsyncGenerator<T[]> {
  for await (const page of pages) {
    read[entity] = (read[entity] ?? 0) + page.length;
    yield page;
  }
}

/** Every page's rows (for the short lists: offerings, with their plans). */
async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

function add(into: MirrorChanges, more: MirrorChanges) {
  into.created += more.created;
  into.updated += more.updated;
  into.deleted += more.deleted;
}

/** The latest `modified` seen, as ISO: where the next incremental sync asks from. */
function noteLatest(mark: { latest?: string }, items: { modified: Date }[]) {
  for (const i of items) {
    const at = i.modified.toISOString();
    if (!mark.latest || at > mark.latest) mark.latest = at;
  }
}

/** The mirror's uuids read at a time when looking for what a full read found gone. */
const UUID_PAGE = 10_000;

/**
 * The mirror's uuids of a table that are not among those seen (what a full read found gone), a
 * page of the table at a time in uuid order, each page's gone ones yielded before the next is
 * read (they may be deleted meanwhile): the whole table's uuids as Prisma's rows were the first
 * full sync's peak memory (200,000 resources).
 */
async function* notSeen(prisma: Tx, table: 'waldur_customers' | 'projects' | 'resources', seen: Set<string>): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const [page]: { uuids: string | null }[] = await prisma.$queryRaw`
      SELECT json_agg(uuid ORDER BY uuid)::text AS uuids
        FROM (SELECT uuid FROM ${P.raw(table)} WHERE ${after}::uuid IS NULL OR uuid > ${after}::uuid ORDER BY uuid LIMIT ${UUID_PAGE}) s`;
    const uuids = JSON.parse(page?.uuids ?? '[]') as string[];
    const gone = uuids.filter((uuid) => !seen.has(uuid));
    if (gone.length) yield gone;
    if (uuids.length < UUID_PAGE) return;
    after = uuids.at(-1)!;
  }
}

function summary(changes: Record<Entity, MirrorChanges>): string {
  return Object.entries(changes)
    .map(([entity, c]) => `${entity} +${c.created} ~${c.updated} -${c.deleted}`)
    .join(', ');
}

/**
 * Whether each list honours `modified`: asked for changes from a year ahead, a server that
 * honours it answers none; one that ignores the parameter answers everything.
 *
 * The customers' event feed is read only by staff and support: Waldur answers anyone else 200 with
 * no events (logging/filters.py), which a count cannot tell from a quiet feed. So the token's
 * roles are read first (`/api/users/me/`), and the feed is followed only where they allow it.
 */
async function probeFilters(waldur: WaldurClient): Promise<{ filters: Partial<Record<Entity, boolean>>; why: string }> {
  const ahead = new Date(Date.now() + 365 * 86_400_000);
  const [probes, me] = await Promise.all([
    settleAll(FILTERED.map(async (entity) => [entity, (await waldur.count(entity, since(ahead))) === 0] as const)),
    waldur.whoAmI().catch((err: unknown) => {
      if (err instanceof WaldurApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return null;
      throw err;
    }),
  ]);
  const feed = async (): Promise<{ customers: boolean; why: string }> => {
    if (me && !me.is_staff && !me.is_support) return { customers: false, why: `Waldur shows its event log only to staff and support, and the gateway's token (user ${me.username}) is neither` };
    const n = await waldur.customerEventCount(ahead).catch((err: unknown) => {
      if (err instanceof WaldurApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return err;
      throw err;
    });
    if (n instanceof WaldurApiError) return { customers: false, why: `Waldur's event log cannot be read (HTTP ${n.status})` };
    if (n !== 0) return { customers: false, why: "Waldur's event log ignores created_from" };
    return { customers: true, why: me ? `the gateway's token (user ${me.username}) is ${me.is_staff ? 'staff' : 'support'}, who read Waldur's event log` : "Waldur's event log answers (the token's roles could not be read)" };
  };
  const customers = await feed();
  return { filters: { ...Object.fromEntries(probes), customers: customers.customers }, why: customers.why };
}

/** What of the mirror to compare with: all of it when everything was read (to find what is gone), else the rows read. */
const only = (everything: boolean, uuids: string[]) => (everything ? {} : { uuid: { in: uuids } });

/** The rows to create and to update (only those whose mirrored fields differ), and the uuids seen. */
function diff<T extends { uuid: string }>(existing: Map<string, T>, incoming: T[], same: (a: T, b: T) => boolean) {
  const create: T[] = [];
  const update: T[] = [];
  for (const row of incoming) {
    const current = existing.get(row.uuid);
    if (!current) create.push(row);
    else if (!same(current, row)) update.push(row);
  }
  return { create, update, seen: new Set(incoming.map((r) => r.uuid)) };
}

type Tx = Database['prisma'];

/** Rows written a thousand at a time: one statement for 20,000 rows held several times their size in memory at once. */
function chunks<T>(rows: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * The customers that changed since a moment, from their events: each one created or updated read
 * as Waldur has it now, each one deleted (or gone by the time it is read) named in `gone`.
 */
async function customerChanges(waldur: WaldurClient, from: Date): Promise<{ list: WaldurCustomer[]; gone: string[] }> {
  const last = new Map<string, string>();
  // created_from is whole seconds: events of the same second but before `from` were seen last time
  for (const e of await waldur.customerEvents(from)) if (e.context?.customer_uuid && e.created >= from) last.set(e.context.customer_uuid, e.event_type);
  const gone = [...last].filter(([, type]) => type === 'customer_deletion_succeeded').map(([uuid]) => uuid);
  const read = await settleAll(
    [...last].filter(([, type]) => type !== 'customer_deletion_succeeded').map(([uuid]) =>
      waldur.customer(uuid).catch((err: unknown) => {
        if (err instanceof WaldurApiError && err.status === 404) return (gone.push(uuid), null);
        throw err;
      }),
    ),
  );
  return { list: read.filter((c): c is WaldurCustomer => c !== null), gone };
}

/** A page of customers into the mirror: those new created, those changed updated. */
async function writeCustomers(prisma: Tx, customers: WaldurCustomer[]): Promise<MirrorChanges & { seen: Set<string> }> {
  const rows = customers.map((c) => ({ uuid: c.uuid, name: c.name, abbreviation: c.abbreviation, ...(c.created ? { created: c.created } : {}) }));
  const existing = new Map((await prisma.waldurCustomer.findMany({ where: { uuid: { in: rows.map((r) => r.uuid) } }, select: { uuid: true, name: true, abbreviation: true } })).map((c) => [c.uuid, c]));
  const { create, update, seen } = diff(existing, rows, (a, b) => a.name === b.name && a.abbreviation === b.abbreviation);
  for (const rows of chunks(create)) await prisma.waldurCustomer.createMany({ data: rows, skipDuplicates: true });
  for (const c of update) await prisma.waldurCustomer.update({ where: { uuid: c.uuid }, data: { name: c.name, abbreviation: c.abbreviation } });
  return { created: create.length, updated: update.length, deleted: 0, seen };
}

/** Customers deleted in Waldur go, unless a mapping still names them: its billing history stays. */
async function removeCustomers(prisma: Tx, gone: string[], kept: string[]): Promise<number> {
  let deleted = 0;
  for (const some of chunks(gone)) {
    const mapped = new Set((await prisma.customerMapping.findMany({ where: { waldurCustomerUuid: { in: some } }, select: { waldurCustomerUuid: true } })).map((m) => m.waldurCustomerUuid));
    for (const uuid of some.filter((u) => mapped.has(u))) kept.push(`customer ${uuid} is gone from Waldur but mapped: kept`);
    deleted += (await prisma.waldurCustomer.deleteMany({ where: { uuid: { in: some.filter((u) => !mapped.has(u)) } } })).count;
  }
  return deleted;
}

/** Every customer, a page at a time: those the mirror has and Waldur no longer lists are gone. */
async function mirrorCustomerScan(prisma: Tx, pages: AsyncIterable<WaldurCustomer[]>, kept: string[]): Promise<MirrorChanges> {
  const changes = { created: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  for await (const page of pages) {
    const written = await writeCustomers(prisma, page);
    add(changes, written);
    for (const uuid of written.seen) seen.add(uuid);
  }
  for await (const gone of notSeen(prisma, 'waldur_customers', seen)) changes.deleted += await removeCustomers(prisma, gone, kept);
  return changes;
}

/** The customers that changed (their event feed), and those it says were deleted. */
async function mirrorCustomers(prisma: Tx, customers: WaldurCustomer[], goneFromFeed: string[], kept: string[]): Promise<MirrorChanges> {
  const changes = await writeCustomers(prisma, customers);
  const held = (await prisma.waldurCustomer.findMany({ where: { uuid: { in: goneFromFeed } }, select: { uuid: true } })).map((c) => c.uuid);
  return { created: changes.created, updated: changes.updated, deleted: await removeCustomers(prisma, held, kept) };
}

async function mirrorProjects(prisma: Tx, pages: AsyncIterable<WaldurProject[]>, full: boolean): Promise<MirrorChanges> {
  const changes = { created: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  for await (const projects of pages) {
    const rows = projects.map((p) => ({ uuid: p.uuid, name: p.name, customerUuid: p.customer_uuid, isRemoved: p.is_removed ?? false, ...(p.created ? { created: p.created } : {}) }));
    const existing = new Map((await prisma.project.findMany({ where: { uuid: { in: rows.map((r) => r.uuid) } }, select: { uuid: true, name: true, customerUuid: true, isRemoved: true } })).map((p) => [p.uuid, p]));
    const { create, update } = diff(existing, rows, (a, b) => a.name === b.name && a.customerUuid === b.customerUuid && a.isRemoved === b.isRemoved);
    for (const rows of chunks(create)) await prisma.project.createMany({ data: rows, skipDuplicates: true });
    for (const p of update) await prisma.project.update({ where: { uuid: p.uuid }, data: { name: p.name, customerUuid: p.customerUuid, isRemoved: p.isRemoved } });
    add(changes, { created: create.length, updated: update.length, deleted: 0 });
    for (const r of rows) seen.add(r.uuid);
  }
  if (full) {
    // a project whose resources' consumption is on record stays
    for await (const page of notSeen(prisma, 'projects', seen)) for (const gone of chunks(page)) {
      changes.deleted += (await prisma.project.deleteMany({ where: { uuid: { in: gone }, resources: { none: { consumptionRecords: { some: {} } } } } })).count;
    }
  }
  return changes;
}

async function mirrorOfferings(prisma: Tx, offerings: WaldurOffering[], full: boolean): Promise<MirrorChanges> {
  const rows = offerings.map((o) => ({ uuid: o.uuid, name: o.name, type: o.type, state: o.state || 'Active', backendIdRules: o.backend_id_rules as P.InputJsonValue, ...(o.created ? { created: o.created } : {}) }));
  const existing = new Map((await prisma.offering.findMany({ where: only(full, rows.map((r) => r.uuid)), select: { uuid: true, name: true, type: true, state: true, backendIdRules: true } })).map((o) => [o.uuid, { ...o, backendIdRules: o.backendIdRules as P.InputJsonValue }]));
  const { create, update, seen } = diff(existing, rows, (a, b) => a.name === b.name && a.type === b.type && a.state === b.state && JSON.stringify(a.backendIdRules) === JSON.stringify(b.backendIdRules));
  for (const rows of chunks(create)) await prisma.offering.createMany({ data: rows, skipDuplicates: true });
  for (const o of update) await prisma.offering.update({ where: { uuid: o.uuid }, data: { name: o.name, type: o.type, state: o.state, backendIdRules: o.backendIdRules } });
  // plans: as Waldur nests them, replaced per offering read
  for (const o of offerings) {
    await prisma.offeringPlan.deleteMany({ where: { offeringUuid: o.uuid, uuid: { notIn: o.plans.map((p) => p.uuid) } } });
    for (const p of o.plans) await prisma.offeringPlan.upsert({ where: { uuid: p.uuid }, create: { uuid: p.uuid, offeringUuid: o.uuid, name: p.name }, update: { name: p.name } });
  }
  // an offering gone from Waldur that resources still name is kept (they need it)
  const deleted = full ? (await prisma.offering.deleteMany({ where: { uuid: { notIn: [...seen] }, resources: { none: {} } } })).count : 0;
  return { created: create.length, updated: update.length, deleted };
}

/** A resource row as the mirror keeps it. */
/** A resource's row as the mirror keeps it. */
export function resourceRow(r: WaldurResource) {
  const licence = licenceOf(r);
  return {
    uuid: r.uuid,
    name: r.name,
    projectUuid: r.project_uuid,
    offeringUuid: r.offering_uuid,
    state: RESOURCE_STATES[r.state],
    backendId: r.backend_id,
    licenseReference: licence.licenseReference,
    licenseInAttributes: licence.inAttributes,
    planUuid: r.plan_uuid ?? null,
    created: r.created,
    modified: r.modified,
  };
}

/**
 * One resource as a write just read it from Waldur. A resource whose project or offering the
 * mirror has not seen yet waits for the next sync (which reads its parents too).
 */
export async function mirrorOneResource(tx: Transaction, r: WaldurResource): Promise<boolean> {
  const [project, offering] = await Promise.all([tx.project.count({ where: { uuid: r.project_uuid } }), tx.offering.count({ where: { uuid: r.offering_uuid } })]);
  if (!project || !offering) return false;
  const row = resourceRow(r);
  await tx.resource.upsert({ where: { uuid: r.uuid }, create: row, update: row });
  return true;
}

/** A written resource's orders into the mirror. */
export async function mirrorResourceOrders(tx: Transaction, orders: WaldurOrder[], resource: WaldurResource) {
  await mirrorOrders(tx, orders, [resource]);
}

async function mirrorResources(
  prisma: Tx,
  pages: AsyncIterable<WaldurResource[]>,
  full: boolean,
  kept: string[],
  parents: (page: WaldurResource[]) => Promise<void>,
  modified: { latest?: string },
): Promise<MirrorChanges> {
  const changes = { created: 0, updated: 0, deleted: 0 };
  const seen = new Set<string>();
  for await (const resources of pages) {
    await parents(resources);
    noteLatest(modified, resources);
    const rows = resources.map(resourceRow);
    const existing = new Map(
      (await prisma.resource.findMany({ where: { uuid: { in: rows.map((r) => r.uuid) } }, select: { uuid: true, name: true, projectUuid: true, offeringUuid: true, state: true, backendId: true, licenseReference: true, licenseInAttributes: true, planUuid: true, created: true, modified: true } })).map((r) => [r.uuid, r]),
    );
    // a row the mirror has newer than this listing (a write through the gateway while the sync
    // read Waldur) stays: the listing would set it back to before the write
    const { create, update } = diff(existing, rows, (a, b) => a.modified.getTime() > b.modified.getTime() || (a.modified.getTime() === b.modified.getTime() && a.state === b.state && a.backendId === b.backendId && a.licenseReference === b.licenseReference && a.name === b.name));
    for (const rows of chunks(create)) await prisma.resource.createMany({ data: rows, skipDuplicates: true });
    for (const r of update) await prisma.resource.update({ where: { uuid: r.uuid }, data: r });
    add(changes, { created: create.length, updated: update.length, deleted: 0 });
    for (const r of rows) seen.add(r.uuid);
  }
  if (full) {
    for await (const page of notSeen(prisma, 'resources', seen)) for (const gone of chunks(page)) {
      // a resource unlinked (hard-deleted) in Waldur whose consumption is on record stays, terminated
      const billed = new Set((await prisma.consumptionRecord.findMany({ where: { resourceUuid: { in: gone } }, select: { resourceUuid: true }, distinct: ['resourceUuid'] })).map((c) => c.resourceUuid));
      for (const uuid of billed) kept.push(`resource ${uuid} is gone from Waldur but has consumption records: kept as TERMINATED`);
      if (billed.size) await prisma.resource.updateMany({ where: { uuid: { in: [...billed] } }, data: { state: 'TERMINATED' } });
      changes.deleted += (await prisma.resource.deleteMany({ where: { uuid: { in: gone.filter((u) => !billed.has(u)) } } })).count;
    }
  }
  return changes;
}

/** Create orders, a page at a time. */
async function mirrorOrderPages(prisma: Tx, pages: AsyncIterable<WaldurOrder[]>, modified: { latest?: string }): Promise<MirrorChanges> {
  const changes = { created: 0, updated: 0, deleted: 0 };
  for await (const orders of pages) {
    noteLatest(modified, orders);
    add(changes, await mirrorOrders(prisma, orders, []));
  }
  return changes;
}

/** Create orders, for the audit trail of each resource (only those whose resource is mirrored). */
async function mirrorOrders(prisma: Tx | Transaction, orders: WaldurOrder[], resources: WaldurResource[]): Promise<MirrorChanges> {
  const uuids = [...new Set(orders.map((o) => o.marketplace_resource_uuid).filter((u): u is string => !!u))];
  const known = new Map((await prisma.resource.findMany({ where: { uuid: { in: uuids } }, select: { uuid: true, projectUuid: true, offeringUuid: true } })).map((r) => [r.uuid, r]));
  for (const r of resources) if (!known.has(r.uuid)) known.set(r.uuid, { uuid: r.uuid, projectUuid: r.project_uuid, offeringUuid: r.offering_uuid });
  const rows = orders
    .filter((o) => o.marketplace_resource_uuid && known.has(o.marketplace_resource_uuid))
    .map((o) => {
      const r = known.get(o.marketplace_resource_uuid!)!;
      return { uuid: o.uuid, type: 'CREATE' as const, state: ORDER_STATES[o.state] ?? 'PENDING', resourceUuid: r.uuid, projectUuid: r.projectUuid, offeringUuid: r.offeringUuid, created: o.created, modified: o.modified };
    });
  const existing = new Map((await prisma.order.findMany({ where: { uuid: { in: rows.map((r) => r.uuid) } }, select: { uuid: true, state: true, resourceUuid: true, projectUuid: true, offeringUuid: true, type: true, created: true, modified: true } })).map((o) => [o.uuid, o]));
  const { create, update } = diff(existing, rows, (a, b) => a.state === b.state);
  for (const rows of chunks(create)) await prisma.order.createMany({ data: rows, skipDuplicates: true });
  for (const o of update) await prisma.order.update({ where: { uuid: o.uuid }, data: { state: o.state, modified: o.modified } });
  return { created: create.length, updated: update.length, deleted: 0 };
}
