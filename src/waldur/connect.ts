import crypto from 'node:crypto';
import type { Config } from '../config.js';
import type { Metrics } from '../observability/metrics.js';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../waldur-sim/server.js';
import { hexUuid, type OrderState, type ResourceState, type WaldurFixture } from '../waldur-sim/fixture.js';
import type { Database } from '../db/database.js';
import { WaldurClient } from './client.js';

export interface WaldurAttachment {
  client: WaldurClient;
  /** Where the gateway reads and writes (the in-process simulator's when none was named). */
  apiUrl: string;
  /** The in-process simulator, when WALDUR_API_URL was not set. */
  simulator: RunningWaldurSimulator | null;
  close(): Promise<void>;
}

/**
 * The Waldur the gateway attaches to: WALDUR_API_URL with WALDUR_API_TOKEN, or, unset, an
 * in-process simulator holding `fixture` (the demo's Waldur), attached to exactly as a real one.
 */
export async function attachWaldur(config: Config, db: Database, fixture: (token: string) => WaldurFixture, metrics?: Metrics): Promise<WaldurAttachment> {
  let simulator: RunningWaldurSimulator | null = null;
  let apiUrl = config.WALDUR_API_URL;
  let token = config.WALDUR_API_TOKEN;
  if (!apiUrl || !token) {
    // two in-memory Waldurs on one database would each undo the links made through the other
    if (!(await db.claimForLife(IN_PROCESS_WALDUR_LOCK))) throw new SharedDemoWaldurError(db.location);
    token = crypto.randomBytes(20).toString('hex');
    simulator = await startWaldurSimulator(await withMirror(db, fixture(token)), { port: config.WALDUR_SIM_PORT });
    apiUrl = simulator.apiUrl;
  }
  const client = new WaldurClient({ apiUrl, token, timeoutMs: config.WALDUR_TIMEOUT_MS, retries: 3, onRequest: metrics?.onWaldurRequest, publicOnly: !!config.WALDUR_API_URL && !config.ALLOW_PRIVATE_UPSTREAMS });
  return { client, apiUrl, simulator, close: async () => void (await simulator?.close()) };
}

const IN_PROCESS_WALDUR_LOCK = 0x5741_4c44_5349_4dn; // "WALDSIM"

/** A second gateway without WALDUR_API_URL on a database whose in-process Waldur another gateway runs. */
export class SharedDemoWaldurError extends Error {
  constructor(location: string) {
    super(
      `another gateway on ${location} runs its own in-process Waldur simulator (WALDUR_API_URL is not set). ` +
        'Two simulated Waldurs would each undo the links made through the other at their next full sync. ' +
        'For several gateways on one database, run one Waldur for all (npm run waldur-sim -- --demo prints its URL and token) ' +
        'and set WALDUR_API_URL and WALDUR_API_TOKEN on each.',
    );
  }
}

const WALDUR_RESOURCE_STATES: Record<string, ResourceState> = { CREATING: 'Creating', OK: 'OK', ERRED: 'Erred', UPDATING: 'Updating', TERMINATING: 'Terminating', TERMINATED: 'Terminated' };
const WALDUR_ORDER_STATES: Record<string, OrderState> = { PENDING: 'pending-provider', EXECUTING: 'executing', DONE: 'done', ERRED: 'erred' };

/**
 * The in-process Waldur as the mirror last saw it, over the demo's: it lives in memory, so without
 * this a restart would forget the links and imports made through it, and the first full sync would
 * then erase them from the mirror. Objects are matched by uuid; the mirror's state wins.
 */
async function withMirror(db: Database, base: WaldurFixture): Promise<WaldurFixture> {
  const prisma = db.prisma;
  const [customers, projects, offerings, resources, orders] = await Promise.all([
    prisma.waldurCustomer.findMany(),
    prisma.project.findMany({ where: { isRemoved: false } }),
    prisma.offering.findMany({ include: { plans: true } }),
    prisma.resource.findMany(),
    prisma.order.findMany({ where: { type: 'CREATE' } }),
  ]);
  if (!customers.length && !resources.length) return base;
  const merge = <T extends { uuid?: string }>(fixed: T[], mirrored: T[]) => {
    const byUuid = new Map(fixed.map((x) => [hexUuid(x.uuid ?? ''), x]));
    for (const m of mirrored) byUuid.set(hexUuid(m.uuid!), { ...byUuid.get(hexUuid(m.uuid!)), ...m });
    return [...byUuid.values()];
  };
  return {
    ...base,
    customers: merge(base.customers, customers.map((c) => ({ uuid: c.uuid, name: c.name, abbreviation: c.abbreviation }))),
    projects: merge(base.projects, projects.map((p) => ({ uuid: p.uuid, name: p.name, customer: p.customerUuid }))),
    offerings: merge(base.offerings, offerings.map((o) => ({ uuid: o.uuid, name: o.name, type: o.type, plans: o.plans.map((p) => ({ uuid: p.uuid, name: p.name })) }))),
    resources: merge(
      base.resources,
      resources.map((r) => ({ uuid: r.uuid, name: r.name, project: r.projectUuid, offering: r.offeringUuid, backend_id: r.backendId, state: WALDUR_RESOURCE_STATES[r.state] ?? 'OK', ...(r.planUuid ? { plan: r.planUuid } : {}) })),
    ),
    orders: merge(base.orders ?? [], orders.map((o) => ({ uuid: o.uuid, resource: o.resourceUuid, type: 'Create' as const, state: WALDUR_ORDER_STATES[o.state] ?? 'done' }))),
  };
}
