import crypto from 'node:crypto';
import http from 'node:http';
import { closeServer, readBody, rng, sendJson } from '../simulator-kit.js';
import type { AddressInfo } from 'node:net';
import { InvoiceBook, invoiceJson, type InvoiceState, type SimInvoice } from './invoices.js';
import { UsageBook, type SimComponent, type SimPlan } from './component-usages.js';
import { hexUuid, type BackendIdRules, type OfferingState, type OrderState, type OrderType, type ResourceState, type WaldurFixture } from './fixture.js';

/**
 * A simulator of Waldur's REST API as a connector sees it (../shared/design/WALDUR.md §1–§5):
 * bare JSON arrays, page/page_size (default 10, cap 300), X-Result-Count and Link on GET and
 * HEAD, 404 past the last page, ?field=, the filters a mirror uses, Token auth, 32-hex UUIDs,
 * `modified` bumped on every change, set_backend_id and the backend-resources import. Tests
 * change Waldur behind the gateway's back through /__sim/objects.
 */

export type WaldurEndpoint = 'customers' | 'projects' | 'offerings' | 'resources' | 'orders' | 'events' | 'setBackendId' | 'backendResources' | 'importResource' | 'invoices' | 'importUsage' | 'setUsage' | 'componentUsages' | 'me' | 'checkBackendId';

export interface WaldurFaults {
  latencyMs: number;
  /** Share of requests answered 500 or 503. */
  errorRate: number;
  /** Share of requests answered 429 with Retry-After. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Share of requests that never answer. */
  hangRate: number;
  /** Only these endpoints misbehave (all when empty). */
  endpoints: WaldurEndpoint[];
  /** After this many faulty answers the faults switch off (unlimited when null). */
  times: number | null;
  /** The first this many requests to the chosen endpoints are answered well (a step after a good one fails). */
  after: number;
  /** An error is a lost answer: the request is carried out, then answered 502 (a proxy that lost Waldur's answer). */
  lostAnswer: boolean;
}

const NO_FAULTS: WaldurFaults = { latencyMs: 0, errorRate: 0, rateLimitRate: 0, retryAfterSeconds: 1, hangRate: 0, endpoints: [], times: null, after: 0, lostAnswer: false };

interface Stamped {
  uuid: string;
  created: Date;
  modified: Date;
}
interface Customer extends Stamped { name: string; abbreviation: string }
interface Project extends Stamped { name: string; customer: string; isRemoved: boolean }
interface Offering extends Stamped { name: string; type: string; state: OfferingState; customer: string | null; plans: SimPlan[]; components: SimComponent[]; backendId: string; category: string; rules: BackendIdRules }
interface Resource extends Stamped { name: string; project: string; offering: string; backendId: string; state: ResourceState; plan: string | null; attributes: Record<string, unknown> }
interface Order extends Stamped { resource: string; type: OrderType; state: OrderState; completedAt: Date | null }
interface BackendResource extends Stamped { name: string; project: string; offering: string; backendId: string }
/** Waldur's event log entry (waldur_core.logging; py-client models/event.py). */
interface WaldurEvent extends Stamped { eventType: string; message: string; context: Record<string, string> }

/** Event groups as `?feature=` expands them (waldur_core.logging expand_event_groups): the customers' only. */
const FEATURES: Record<string, string[]> = { customers: ['customer_creation_succeeded', 'customer_update_succeeded', 'customer_deletion_succeeded'] };

export type WaldurEntity = 'customers' | 'projects' | 'offerings' | 'resources' | 'orders';

export interface RunningWaldurSimulator {
  url: string;
  /** What WALDUR_API_URL names: the server's root (paths begin with /api/). */
  apiUrl: string;
  token: string;
  stats(): Record<string, number>;
  resetStats(): void;
  setFaults(faults: Partial<WaldurFaults>): void;
  /** Creates an object as Waldur would (new uuid, created = modified = now); answers its uuid. */
  create(entity: WaldurEntity, fields: Record<string, unknown>): string;
  /** Changes an object; `modified` moves unless `bump` is false (Waldur's bulk .update()). */
  change(entity: WaldurEntity, uuid: string, fields: Record<string, unknown>, bump?: boolean): void;
  /** Deletes an object outright (a customer's hard delete, a staff unlink of a resource). */
  remove(entity: WaldurEntity, uuid: string): void;
  close(): Promise<void>;
}

/** How a uniqueness refusal begins (the check's is_unique reads it). */
const UNIQUENESS = 'Backend ID must be unique';
const newUuid = () => crypto.randomUUID().replace(/-/g, '');

export async function startWaldurSimulator(
  fixture: WaldurFixture,
  /**
   * `importUsage: false`: a Waldur from before import_usage (2026-01), which answers 404.
   */
  options: { port?: number; faults?: Partial<WaldurFaults>; seed?: number; importUsage?: boolean; now?: Date } = {},
): Promise<RunningWaldurSimulator> {
  let faults: WaldurFaults = { ...NO_FAULTS, ...options.faults };
  const counts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  // the same seed misbehaves the same way every run
  const random = rng(options.seed ?? 7);

  // the fixture's objects were made in the past, a second apart, in order (as a real Waldur's are
  // spread over time, so an incremental sync's overlap holds only the latest few); later ones now
  let clock = Date.now() - (fixture.customers.length + fixture.projects.length + fixture.offerings.length + fixture.resources.length + (fixture.orders?.length ?? 0) + 86_400) * 1000;
  let loading = true;
  // now, but always after the last stamp: Waldur's microsecond timestamps set two changes in the
  // same millisecond apart (taking the later of now and the last stamp gave both the same, and
  // their order by `created` fell to their uuids)
  const later = () => new Date((clock = Math.max(Date.now(), clock + 1)));
  const stamp = (uuid?: string): Stamped => {
    const at = loading ? new Date((clock += 1000)) : later();
    return { uuid: uuid ? hexUuid(uuid) : newUuid(), created: at, modified: at };
  };
  const customers = new Map<string, Customer>();
  const projects = new Map<string, Project>();
  const offerings = new Map<string, Offering>();
  const resources = new Map<string, Resource>();
  const orders = new Map<string, Order>();
  const backendResources = new Map<string, BackendResource>();
  // the simulator's "today" (usage goes to its month); tests move it with /__sim/clock
  let today: Date | null = options.now ?? null;
  const now = () => today ?? new Date();
  const invoices = new InvoiceBook(now);
  const stores: Record<WaldurEntity, Map<string, Stamped>> = { customers, projects, offerings, resources, orders };

  const build: Record<WaldurEntity, (f: Record<string, unknown>) => Stamped> = {
    customers: (f) => ({ ...stamp(f.uuid as string), name: String(f.name ?? ''), abbreviation: String(f.abbreviation ?? '') }),
    projects: (f) => ({ ...stamp(f.uuid as string), name: String(f.name ?? ''), customer: hexUuid(String(f.customer)), isRemoved: false }),
    offerings: (f) => ({
      ...stamp(f.uuid as string),
      name: String(f.name ?? ''),
      type: String(f.type ?? 'Marketplace.Basic'),
      state: (f.state as OfferingState) ?? 'Active',
      customer: f.customer ? hexUuid(String(f.customer)) : null,
      plans: ((f.plans as { uuid?: string; name: string; prices?: Record<string, string | number> }[] | undefined) ?? []).map((p) => ({
        uuid: p.uuid ? hexUuid(p.uuid) : newUuid(),
        name: p.name,
        prices: Object.fromEntries(Object.entries(p.prices ?? {}).map(([k, v]) => [k, String(v)])),
      })),
      components: ((f.components as { type: string; name?: string; billing_type?: SimComponent['billingType']; measured_unit?: string; article_code?: string }[] | undefined) ?? []).map((c) => ({
        type: c.type,
        name: c.name ?? c.type,
        billingType: c.billing_type ?? 'fixed',
        measuredUnit: c.measured_unit ?? '',
        articleCode: c.article_code ?? '',
      })),
      backendId: String(f.backend_id ?? ''),
      category: String(f.category ?? ''),
      rules: (f.backend_id_rules as BackendIdRules | undefined) ?? {},
    }),
    resources: (f) => ({
      ...stamp(f.uuid as string),
      name: String(f.name ?? ''),
      project: hexUuid(String(f.project)),
      offering: hexUuid(String(f.offering)),
      backendId: String(f.backend_id ?? ''),
      state: (f.state as ResourceState) ?? 'OK',
      plan: f.plan ? hexUuid(String(f.plan)) : null,
      attributes: (f.attributes as Record<string, unknown> | undefined) ?? {},
    }),
    orders: (f) => ({ ...stamp(f.uuid as string), resource: hexUuid(String(f.resource)), type: (f.type as OrderType) ?? 'Create', state: (f.state as OrderState) ?? 'done', completedAt: (f.state ?? 'done') === 'done' ? new Date(clock) : null }),
  };
  const events: WaldurEvent[] = [];
  /** Waldur logs a customer's creation, update and deletion (the customers' change feed, WALDUR.md §6). */
  const logCustomer = (what: 'creation' | 'update' | 'deletion', c: Customer) => {
    // logged as the change is made: a creation or update at the object's own stamp (a fixture's in the past)
    const at = what === 'deletion' ? later() : c.modified;
    events.push({ uuid: newUuid(), created: at, modified: at, eventType: `customer_${what}_succeeded`, message: `Customer ${c.name} has been ${what === 'creation' ? 'created' : what === 'update' ? 'updated' : 'deleted'}.`, context: { customer_uuid: c.uuid, customer_name: c.name } });
  };
  const create = (entity: WaldurEntity, fields: Record<string, unknown>) => {
    const obj = build[entity](fields);
    stores[entity].set(obj.uuid, obj);
    if (entity === 'customers') logCustomer('creation', obj as Customer);
    return obj.uuid;
  };
  for (const c of fixture.customers) create('customers', c);
  for (const p of fixture.projects) create('projects', p);
  for (const o of fixture.offerings) create('offerings', o);
  for (const r of fixture.resources) create('resources', r);
  for (const o of fixture.orders ?? []) create('orders', o);
  loading = false;
  // Waldur's users: the fixture's token is a staff user's; users can be demoted or deactivated (/__sim/users)
  type FixtureUser = NonNullable<WaldurFixture['users']>[number];
  const users: FixtureUser[] = [{ token: fixture.token, username: 'staff', isStaff: true, uuid: '5ea7f0005ea7f0005ea7f0005ea7f000' }, ...(fixture.users ?? []).map((u) => ({ ...u }))];
  const lastUsed = new Map<string, number>();
  const userUuid = (u: FixtureUser) => (u.uuid ? hexUuid(u.uuid) : crypto.createHash('sha256').update(u.username).digest('hex').slice(0, 32));
  // py-client's User (GET /api/users/me/), as much of it as a connector reads
  const userJson = (u: FixtureUser, base: string) => {
    const last = lastUsed.get(u.token) ?? now().getTime();
    return {
      url: `${base}/api/users/${userUuid(u)}/`,
      uuid: userUuid(u),
      username: u.username,
      full_name: u.username,
      email: `${u.username}@example.com`,
      is_staff: !!u.isStaff,
      is_support: !!u.isSupport,
      is_active: u.isActive !== false,
      token_lifetime: u.tokenLifetime ?? null,
      token_expires_at: u.tokenLifetime ? iso(new Date(last + u.tokenLifetime * 1000)) : null,
      date_joined: '2025-01-01T00:00:00Z',
      registration_method: 'default',
      permissions: [],
    };
  };
  const usages = new UsageBook(
    {
      resource: (uuid) => resources.get(uuid),
      offering: (uuid) => offerings.get(uuid),
      project: (uuid) => projects.get(uuid),
      customerName: (uuid) => customers.get(uuid)?.name ?? '',
      now,
    },
    invoices,
  );

  /** Field names as the simulator's own REST takes them (Waldur's) → the stored object's. */
  const FIELD_NAMES: Record<string, string> = { backend_id: 'backendId', is_removed: 'isRemoved' };
  const change = (entity: WaldurEntity, uuid: string, fields: Record<string, unknown>, bump = true) => {
    const obj = stores[entity].get(hexUuid(uuid)) as unknown as Record<string, unknown> | undefined;
    if (!obj) throw new Error(`no ${entity} ${uuid}`);
    for (const [k, v] of Object.entries(fields)) obj[FIELD_NAMES[k] ?? k] = ['customer', 'project', 'offering', 'resource', 'plan'].includes(k) && typeof v === 'string' ? hexUuid(v) : v;
    if (bump) obj.modified = later();
    // a bulk .update() (bump false) skips the model's save signals: no event, as in Waldur
    if (bump && entity === 'customers') logCustomer('update', obj as unknown as Customer);
  };
  const remove = (entity: WaldurEntity, uuid: string) => {
    const obj = stores[entity].get(hexUuid(uuid));
    if (obj && entity === 'customers') logCustomer('deletion', obj as Customer);
    stores[entity].delete(hexUuid(uuid));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://waldur');
    if (url.pathname.startsWith('/__sim/')) return control(url, req, res);
    const route = matchRoute(req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'), url.pathname);
    if (!route || (route.endpoint === 'importUsage' && options.importUsage === false)) return sendJson(res, 404, { detail: 'Not found.' });
    counts.set(route.endpoint, (counts.get(route.endpoint) ?? 0) + 1);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const chosen = !faults.endpoints.length || faults.endpoints.includes(route.endpoint);
    let loseAnswer = false;
    if (chosen && faults.after > 0) faults.after -= 1;
    else if (chosen && (faults.times === null || faults.times > 0)) {
      const draw = random();
      const consume = () => faults.times !== null && (faults.times -= 1);
      if (draw < faults.hangRate) return void (consume(), hanging.add(res));
      if (draw < faults.hangRate + faults.rateLimitRate) {
        consume();
        res.setHeader('Retry-After', String(faults.retryAfterSeconds));
        return sendJson(res, 429, { detail: `Request was throttled. Expected available in ${faults.retryAfterSeconds} seconds.` });
      }
      if (draw < faults.hangRate + faults.rateLimitRate + faults.errorRate) {
        consume();
        if (faults.lostAnswer) loseAnswer = true;
        else return sendJson(res, counts.get(route.endpoint)! % 2 ? 503 : 500, { detail: 'Server error.' });
      }
    }
    const auth = req.headers.authorization;
    if (!auth) return sendJson(res, 401, { detail: 'Authentication credentials were not provided.' }, { 'www-authenticate': 'Token' });
    const user = users.find((u) => auth === `Token ${u.token}` || (!!u.bearer && auth === `Bearer ${u.bearer}`));
    if (!user) return sendJson(res, 401, { detail: auth.startsWith('Bearer ') ? 'Invalid access token.' : 'Invalid token.' }, { 'www-authenticate': 'Token' });
    // TokenAuthentication: an inactive user, then the token's idle expiry (refreshed by each request)
    if (user.isActive === false) return sendJson(res, 401, { detail: 'User inactive or deleted.' }, { 'www-authenticate': 'Token' });
    if (auth.startsWith('Token ')) {
      const last = lastUsed.get(user.token) ?? now().getTime();
      if (user.tokenLifetime && now().getTime() - last > user.tokenLifetime * 1000) return sendJson(res, 401, { detail: 'Token has expired.' }, { 'www-authenticate': 'Token' });
      lastUsed.set(user.token, now().getTime());
    }
    // staff-only actions (import_usage_permissions = [is_staff]); the rest of the simulator serves staff's view
    if (route.endpoint === 'importUsage' && !user.isStaff) return sendJson(res, 403, { detail: 'You do not have permission to perform this action.' });
    const base = `http://${req.headers.host ?? 'waldur'}`;
    try {
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
      const [status, payload, headers] = answer(route, url, body, base, user, req.method ?? 'GET');
      if (loseAnswer) return sendJson(res, 502, { detail: 'Bad Gateway' });
      sendJson(res, status, req.method === 'HEAD' ? undefined : payload, headers);
    } catch (err) {
      sendJson(res, 400, { detail: `JSON parse error - ${(err as Error).message}` });
    }
  });

  // ---------- serialisers: strict fields valid or absent, never null (WALDUR.md §3) ----------
  const iso = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  const eventJson = (e: WaldurEvent) => ({ uuid: e.uuid, created: iso(e.created), event_type: e.eventType, message: e.message, context: e.context });
  const customerJson = (c: Customer, base: string) => ({ url: `${base}/api/customers/${c.uuid}/`, uuid: c.uuid, name: c.name, abbreviation: c.abbreviation, created: iso(c.created) });
  const projectJson = (p: Project, base: string) => {
    const c = customers.get(p.customer);
    return { url: `${base}/api/projects/${p.uuid}/`, uuid: p.uuid, name: p.name, customer: `${base}/api/customers/${p.customer}/`, customer_uuid: p.customer, customer_name: c?.name ?? '', created: iso(p.created), is_removed: p.isRemoved };
  };
  // BaseProviderPlan: `prices` and `components` (NestedPlanComponent) by component type
  const planJson = (o: Offering, p: SimPlan, base: string) => ({
    url: `${base}/api/marketplace-plans/${p.uuid}/`,
    uuid: p.uuid,
    name: p.name,
    archived: false,
    is_active: true,
    prices: Object.fromEntries(Object.entries(p.prices).map(([k, v]) => [k, Number(v)])),
    components: o.components.filter((c) => p.prices[c.type] !== undefined).map((c) => ({ type: c.type, name: c.name, measured_unit: c.measuredUnit, amount: 0, price: p.prices[c.type] })),
  });
  // OfferingComponent
  const componentJson = (o: Offering, c: SimComponent) => ({ offering_uuid: o.uuid, billing_type: c.billingType, type: c.type, name: c.name, measured_unit: c.measuredUnit, article_code: c.articleCode, limit_period: null, limit_amount: null, is_builtin: false, is_prepaid: false });
  const offeringJson = (o: Offering, base: string) => ({
    url: `${base}/api/marketplace-provider-offerings/${o.uuid}/`,
    uuid: o.uuid,
    name: o.name,
    type: o.type,
    state: o.state,
    ...(o.customer ? { customer: `${base}/api/customers/${o.customer}/`, customer_uuid: o.customer } : {}),
    created: iso(o.created),
    plans: o.plans.map((p) => planJson(o, p, base)),
    components: o.components.map((c) => componentJson(o, c)),
    backend_id: o.backendId,
    backend_id_rules: o.rules,
  });
  const resourceJson = (r: Resource, base: string) => {
    const project = projects.get(r.project);
    const offering = offerings.get(r.offering);
    const plan = offering?.plans.find((p) => p.uuid === r.plan);
    return {
      url: `${base}/api/marketplace-resources/${r.uuid}/`,
      uuid: r.uuid,
      name: r.name,
      backend_id: r.backendId,
      state: r.state,
      attributes: r.attributes,
      offering: `${base}/api/marketplace-provider-offerings/${r.offering}/`,
      offering_uuid: r.offering,
      offering_name: offering?.name ?? '',
      offering_type: offering?.type ?? '',
      project: `${base}/api/projects/${r.project}/`,
      project_uuid: r.project,
      project_name: project?.name ?? '',
      ...(project ? { customer_uuid: project.customer, customer_name: customers.get(project.customer)?.name ?? '' } : {}),
      plan_uuid: plan ? plan.uuid : null,
      ...(plan ? { plan: `${base}/api/marketplace-plans/${plan.uuid}/`, plan_name: plan.name } : {}),
      created: iso(r.created),
      modified: iso(r.modified),
    };
  };
  const orderJson = (o: Order, base: string) => {
    const r = resources.get(o.resource);
    const project = r ? projects.get(r.project) : undefined;
    return {
      url: `${base}/api/marketplace-orders/${o.uuid}/`,
      uuid: o.uuid,
      type: o.type,
      state: o.state,
      marketplace_resource_uuid: o.resource,
      ...(r ? { offering_uuid: r.offering, project_uuid: r.project } : {}),
      ...(project ? { customer_uuid: project.customer } : {}),
      created: iso(o.created),
      modified: iso(o.modified),
      completed_at: o.completedAt ? iso(o.completedAt) : null,
    };
  };
  const backendResourceJson = (b: BackendResource, base: string) => ({
    url: `${base}/api/backend-resources/${b.uuid}/`,
    uuid: b.uuid,
    name: b.name,
    created: iso(b.created),
    modified: iso(b.modified),
    project: b.project,
    project_name: projects.get(b.project)?.name ?? '',
    project_url: `${base}/api/projects/${b.project}/`,
    offering: b.offering,
    offering_name: offerings.get(b.offering)?.name ?? '',
    offering_url: `${base}/api/marketplace-provider-offerings/${b.offering}/`,
    backend_id: b.backendId,
  });

  // ---------- lists ----------
  type Answer = [number, unknown, Record<string, string>?];
  class BadRequest extends Error {
    constructor(readonly body: unknown) {
      super('bad request');
    }
  }
  /** `created`/`modified` (on or after) and `…_before` filters; a value that is not a date is a 400. */
  const dateFilter = (q: URLSearchParams, name: string, at: (x: Stamped) => Date) => (x: Stamped) => {
    for (const [param, after] of [[name, true], [`${name}_before`, false]] as const) {
      const v = q.get(param);
      if (v === null) continue;
      const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
      if (!Number.isFinite(t)) throw new BadRequest({ [param]: ['Enter a valid date/time.'] });
      if (after ? at(x).getTime() < t : at(x).getTime() >= t) return false;
    }
    return true;
  };
  /** "in" filters take a,b; a repeated one keeps the last. */
  const oneOf = (q: URLSearchParams, name: string) => {
    const v = q.getAll(name).at(-1);
    return v === undefined ? null : new Set(v.split(',').filter(Boolean).map(hexUuid));
  };
  /** Choice filters take repeated parameters. */
  const choices = (q: URLSearchParams, name: string) => (q.getAll(name).length ? new Set(q.getAll(name)) : null);

  function list<T extends Stamped>(url: URL, base: string, items: T[], toJson: (x: T, base: string) => Record<string, unknown>): Answer {
    const q = url.searchParams;
    const raw = Number(q.get('page_size'));
    const pageSize = Number.isInteger(raw) && raw > 0 ? Math.min(raw, 300) : 10;
    const last = Math.max(1, Math.ceil(items.length / pageSize));
    const pageParam = q.get('page');
    const page = pageParam === null ? 1 : pageParam === 'last' ? last : /^\d+$/.test(pageParam) ? Number(pageParam) : 0;
    if (page < 1 || page > last) return [404, { detail: 'Invalid page.' }];
    const fields = q.getAll('field');
    const body = items.slice((page - 1) * pageSize, page * pageSize).map((x) => {
      const full = toJson(x, base);
      const kept = fields.filter((f) => f in full);
      return kept.length ? Object.fromEntries(kept.map((f) => [f, full[f]])) : full;
    });
    const link = (n: number) => {
      const u = new URL(url.pathname + url.search, base);
      if (n === 1) u.searchParams.delete('page');
      else u.searchParams.set('page', String(n));
      return u.toString();
    };
    const links = [`<${link(1)}>; rel="first"`];
    if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`);
    links.push(`<${link(last)}>; rel="last"`);
    return [200, body, { 'x-result-count': String(items.length), link: links.join(', ') }];
  }
  const byName = <T extends { name: string; uuid: string }>(a: T, b: T) => a.name.localeCompare(b.name) || a.uuid.localeCompare(b.uuid);
  const byCreated = <T extends Stamped>(a: T, b: T) => a.created.getTime() - b.created.getTime() || a.uuid.localeCompare(b.uuid);

  function answer(route: RouteMatch, url: URL, body: Record<string, unknown>, base: string, user: FixtureUser, method: string): Answer {
    const q = url.searchParams;
    try {
      switch (route.endpoint) {
        case 'customers': {
          if (route.uuid) return one(customers.get(hexUuid(route.uuid)), (c) => customerJson(c, base));
          // customers have no created/modified filter: unknown parameters are ignored, as Waldur does
          const name = q.get('name')?.toLowerCase();
          const exact = q.get('name_exact');
          const items = [...customers.values()].filter((c) => (!name || c.name.toLowerCase().includes(name)) && (exact === null || c.name === exact)).sort(byName);
          return list(url, base, items, customerJson);
        }
        case 'projects': {
          if (route.uuid) return one(projects.get(hexUuid(route.uuid)), (p) => projectJson(p, base));
          const customer = oneOf(q, 'customer');
          const created = dateFilter(q, 'created', (x) => x.created);
          const modified = dateFilter(q, 'modified', (x) => x.modified);
          const withRemoved = q.get('include_terminated') === 'true';
          const items = [...projects.values()].filter((p) => (!customer || customer.has(p.customer)) && created(p) && modified(p) && (withRemoved || !p.isRemoved)).sort(byName);
          return list(url, base, items, projectJson);
        }
        case 'offerings': {
          if (route.uuid) return one(offerings.get(hexUuid(route.uuid)), (o) => offeringJson(o, base));
          const state = choices(q, 'state');
          const type = q.get('type');
          const created = dateFilter(q, 'created', (x) => x.created);
          const modified = dateFilter(q, 'modified', (x) => x.modified);
          const items = [...offerings.values()].filter((o) => (!state || state.has(o.state)) && (!type || o.type === type) && created(o) && modified(o)).sort(byName);
          return list(url, base, items, offeringJson);
        }
        case 'resources': {
          if (route.uuid) return one(resources.get(hexUuid(route.uuid)), (r) => resourceJson(r, base));
          const backendId = q.get('backend_id');
          const offering = oneOf(q, 'offering_uuid');
          const project = q.get('project_uuid');
          const customer = q.get('customer_uuid');
          const state = choices(q, 'state');
          const nameExact = q.get('name_exact');
          const created = dateFilter(q, 'created', (x) => x.created);
          const modified = dateFilter(q, 'modified', (x) => x.modified);
          const items = [...resources.values()]
            .filter(
              (r) =>
                (backendId === null || r.backendId === backendId) &&
                (!offering || offering.has(r.offering)) &&
                (!project || r.project === hexUuid(project)) &&
                (!customer || projects.get(r.project)?.customer === hexUuid(customer)) &&
                (!state || state.has(r.state)) &&
                (nameExact === null || r.name === nameExact) &&
                created(r) &&
                modified(r),
            )
            .sort(byCreated);
          return list(url, base, items, resourceJson);
        }
        case 'orders': {
          const resource = q.get('resource_uuid');
          const offering = oneOf(q, 'offering_uuid');
          const state = choices(q, 'state');
          const type = choices(q, 'type');
          const modified = dateFilter(q, 'modified', (x) => x.modified);
          const items = [...orders.values()]
            .filter((o) => (!resource || o.resource === hexUuid(resource)) && (!offering || offering.has(resources.get(o.resource)?.offering ?? '')) && (!state || state.has(o.state)) && (!type || type.has(o.type)) && modified(o))
            .sort(byCreated);
          return list(url, base, items, orderJson);
        }
        case 'events': {
          // EventFilter: a caller neither staff nor support, without `scope`, sees none (queryset.none(): 200 [])
          if (!user.isStaff && !user.isSupport) return list(url, base, [], eventJson);
          // EventFilter: created_from/created_to are epoch seconds; ?feature= and ?event_type= repeat;
          // o=created (oldest first) or the default, newest first
          const bound = (param: string) => {
            const v = q.get(param);
            if (v === null) return null;
            if (!/^\d+(\.\d+)?$/.test(v)) throw new BadRequest({ [param]: ['Enter a number.'] });
            return Number(v) * 1000;
          };
          const [from, to] = [bound('created_from'), bound('created_to')];
          const types = new Set([...q.getAll('event_type'), ...q.getAll('feature').flatMap((f) => FEATURES[f] ?? [])]);
          const filtered = q.getAll('event_type').length + q.getAll('feature').length > 0;
          const items = events.filter((e) => (from === null || e.created.getTime() >= from) && (to === null || e.created.getTime() < to) && (!filtered || types.has(e.eventType)));
          items.sort(byCreated);
          if (q.get('o') !== 'created') items.reverse();
          return list(url, base, items, eventJson);
        }
        case 'setBackendId': {
          const r = resources.get(hexUuid(route.uuid!));
          if (!r) return [404, { detail: 'Not found.' }];
          if (!('backend_id' in body)) return [400, { backend_id: ['This field is required.'] }];
          const value = String(body.backend_id ?? '');
          if (value.length > 255) return [400, { backend_id: ['Ensure this field has no more than 255 characters.'] }];
          if (value === r.backendId) return [200, { status: 'Resource backend_id is not changed.' }];
          const refused = backendIdProblems(offerings.get(r.offering)!, value, r.uuid);
          if (refused.length) return [400, { backend_id: refused }];
          change('resources', r.uuid, { backendId: value });
          return [200, { status: 'Resource backend_id has been changed.' }];
        }
        case 'backendResources': {
          if (method === 'GET' || method === 'HEAD') {
            // BackendResourceFilter: the importable list, by backend_id, offering and project
            const backendId = q.get('backend_id');
            const offering = q.get('offering_uuid');
            const project = q.get('project_uuid');
            const items = [...backendResources.values()].filter((b) => (backendId === null || b.backendId === backendId) && (!offering || b.offering === hexUuid(offering)) && (!project || b.project === hexUuid(project))).sort(byCreated);
            return list(url, base, items, backendResourceJson);
          }
          if (route.uuid) {
            const b = backendResources.get(hexUuid(route.uuid));
            if (!b) return [404, { detail: 'Not found.' }];
            if (!managesBackendResources(user, offerings.get(b.offering))) return FORBIDDEN;
            backendResources.delete(b.uuid);
            return [204, undefined];
          }
          const errors: Record<string, string[]> = {};
          const project = typeof body.project === 'string' ? projects.get(hexUuid(body.project)) : undefined;
          const offering = typeof body.offering === 'string' ? offerings.get(hexUuid(body.offering)) : undefined;
          if (!body.name) errors.name = ['This field is required.'];
          if (!project) errors.project = [body.project ? `Invalid pk "${String(body.project)}" - object does not exist.` : 'This field is required.'];
          if (!offering) errors.offering = [body.offering ? `Invalid pk "${String(body.offering)}" - object does not exist.` : 'This field is required.'];
          if (Object.keys(errors).length) return [400, errors];
          if (!managesBackendResources(user, offering)) return FORBIDDEN;
          const b: BackendResource = { ...stamp(), name: String(body.name), project: project!.uuid, offering: offering!.uuid, backendId: String(body.backend_id ?? '') };
          backendResources.set(b.uuid, b);
          return [201, backendResourceJson(b, base)];
        }
        case 'invoices': {
          const name = (i: SimInvoice) => customers.get(i.customer)?.name ?? '';
          if (route.uuid) return one(invoices.byUuid(route.uuid), (i) => invoiceJson(i, base, name(i)));
          const customer = q.get('customer_uuid');
          const year = q.get('year');
          const month = q.get('month');
          const state = choices(q, 'state');
          const items = invoices
            .all()
            .filter((i) => (!customer || i.customer === hexUuid(customer)) && (!year || i.year === Number(year)) && (!month || i.month === Number(month)) && (!state || state.has(i.state)))
            .sort((a, b) => b.year - a.year || b.month - a.month || a.uuid.localeCompare(b.uuid));
          return list(url, base, items, (i) => invoiceJson(i, base, name(i)));
        }
        case 'importUsage':
          return invoices.importUsage(body, customers);
        case 'setUsage':
          // SET_RESOURCE_USAGE on the offering or on its service provider's customer (staff have every permission)
          return usages.setUsage(body, (o) => !!user.isStaff || !!user.manages?.some((m) => hexUuid(m) === o.uuid || hexUuid(m) === o.customer));
        case 'componentUsages':
          return list(url, base, usages.list(q).map((u) => ({ ...u, modified: u.date })), (u) => usages.json(u, base));
        case 'importResource': {
          // import_resource_permissions = [is_staff]
          if (!user.isStaff) return FORBIDDEN;
          const b = backendResources.get(hexUuid(route.uuid!));
          if (!b) return [404, { detail: 'Not found.' }];
          const plan = typeof body.plan === 'string' ? hexUuid(body.plan) : null;
          const refused = backendIdProblems(offerings.get(b.offering)!, b.backendId, null);
          if (refused.length) return [400, { backend_id: refused }];
          const uuid = create('resources', { name: b.name, project: b.project, offering: b.offering, backend_id: b.backendId, state: 'OK', plan });
          create('orders', { resource: uuid, type: 'Create', state: 'done' });
          backendResources.delete(b.uuid);
          return [201, resourceJson(resources.get(uuid)!, base)];
        }
        case 'me':
          return [200, userJson(user, base)];
        case 'checkBackendId': {
          const o = offerings.get(hexUuid(route.uuid!));
          if (!o) return [404, { detail: 'Not found.' }];
          if (typeof body.backend_id !== 'string' || !body.backend_id) return [400, { backend_id: ['This field is required.'] }];
          // CheckUniqueBackendIDResponse: without use_offering_rules, uniqueness in this offering (or all) and no format verdict
          if (body.use_offering_rules === true) {
            const errors = backendIdProblems(o, body.backend_id, null);
            const format = o.rules.format?.regex ? formatProblem(o, body.backend_id) === null : null;
            return [200, { is_unique: !errors.some((e) => e.startsWith(UNIQUENESS)), is_valid_format: format, errors }];
          }
          const taken = [...resources.values()].some((r) => r.backendId === body.backend_id && (body.check_all_offerings === true || r.offering === o.uuid));
          return [200, { is_unique: !taken, is_valid_format: null, errors: [] }];
        }
      }
    } catch (err) {
      if (err instanceof BadRequest) return [400, err.body];
      throw err;
    }
  }
  const one = <T>(obj: T | undefined, toJson: (x: T) => unknown): Answer => (obj ? [200, toJson(obj)] : [404, { detail: 'Not found.' }]);
  const FORBIDDEN: Answer = [403, { detail: 'You do not have permission to perform this action.' }];
  /** MANAGE_OFFERING_BACKEND_RESOURCES: staff, or a user granted it on the offering or its service provider. */
  const managesBackendResources = (user: FixtureUser, o: Offering | undefined) => !!user.isStaff || (!!o && !!user.managesBackendResources && !!user.manages?.some((m) => hexUuid(m) === o.uuid || hexUuid(m) === o.customer));

  /** The offering's format rule broken by a value, or null (re.fullmatch). */
  const formatProblem = (o: Offering, value: string): string | null => {
    const regex = o.rules.format?.regex;
    if (!regex || new RegExp(`^(?:${regex})$`).test(value)) return null;
    return `Backend ID "${value}" does not match the required format: ${o.rules.format?.description || regex}.`;
  };
  /** The offerings a uniqueness scope spans (offering_group without the offering's own backend_id is the offering alone). */
  const scopeOf = (o: Offering, scope: NonNullable<NonNullable<BackendIdRules['uniqueness']>['scope']>) => {
    const all = [...offerings.values()];
    if (scope === 'offering_group' && o.backendId) return all.filter((x) => x.backendId === o.backendId);
    if (scope === 'service_provider' && o.customer) return all.filter((x) => x.customer === o.customer);
    if (scope === 'service_provider_category' && o.customer) return all.filter((x) => x.customer === o.customer && x.category === o.category);
    return [o];
  };
  /**
   * What an offering's backend_id_rules say against a value: its format, then its uniqueness
   * in the rule's scope (terminated resources counted unless include_terminated is false). An empty
   * value is exempt.
   */
  const backendIdProblems = (o: Offering, value: string, exceptResource: string | null): string[] => {
    if (!value) return [];
    const problems: string[] = [];
    const format = formatProblem(o, value);
    if (format) problems.push(format);
    const scope = o.rules.uniqueness?.scope;
    if (scope) {
      const within = new Set(scopeOf(o, scope).map((x) => x.uuid));
      const withTerminated = o.rules.uniqueness?.include_terminated !== false;
      const holder = [...resources.values()].find((r) => r.uuid !== exceptResource && within.has(r.offering) && r.backendId === value && (withTerminated || r.state !== 'Terminated'));
      if (holder) problems.push(`${UNIQUENESS} within scope ${scope}: "${value}" is already used by resource ${holder.name} (${holder.state}).`);
    }
    return problems;
  };

  async function control(url: URL, req: http.IncomingMessage, res: http.ServerResponse) {
    const path = url.pathname;
    if (path === '/__sim/stats') {
      if (req.method === 'DELETE') counts.clear();
      return sendJson(res, 200, { counts: Object.fromEntries(counts), total: [...counts.values()].reduce((a, b) => a + b, 0) });
    }
    try {
      const body = req.method === 'GET' || req.method === 'DELETE' ? {} : (JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>);
      if (path === '/__sim/faults') {
        if (req.method === 'POST' || req.method === 'PUT') faults = { ...(req.method === 'PUT' ? NO_FAULTS : faults), ...(body as Partial<WaldurFaults>) };
        return sendJson(res, 200, faults);
      }
      // a user changed in Waldur: PATCH /__sim/users/<username> {isStaff?, isSupport?, isActive?}
      const um = path.match(/^\/__sim\/users\/([^/]+)\/?$/);
      if (um && req.method === 'PATCH') {
        const u = users.find((x) => x.username === decodeURIComponent(um[1]!));
        if (!u) return sendJson(res, 404, { error: 'no such user' });
        Object.assign(u, body);
        return sendJson(res, 200, { username: u.username, isStaff: !!u.isStaff, isSupport: !!u.isSupport, isActive: u.isActive !== false });
      }
      // the simulator's today (PUT {now: ISO} or {now: null} for the real clock)
      if (path === '/__sim/clock') {
        if (req.method === 'PUT') today = body.now ? new Date(String(body.now)) : null;
        return sendJson(res, 200, { now: now().toISOString() });
      }
      // a resource's plan period: GET its uuid (opened with the resource), PATCH {end} to close it
      const pp = path.match(/^\/__sim\/plan-periods\/([0-9a-f-]+)\/?$/);
      if (pp) {
        const r = resources.get(hexUuid(pp[1]!));
        const period = r && usages.planPeriodOf(r);
        if (!period) return sendJson(res, 404, { error: 'no such resource, or it has no plan' });
        if (req.method === 'PATCH') usages.closePlanPeriod(period.uuid, new Date(String(body.end)));
        return sendJson(res, 200, { uuid: period.uuid, start: period.start, end: period.end });
      }
      // invoices: all of them as Waldur would answer them, or one's state changed (a month closed, paid)
      const inv = path.match(/^\/__sim\/invoices\/?(?:([0-9a-f-]+)\/?)?$/);
      if (inv) {
        const base = `http://${req.headers.host ?? 'waldur'}`;
        if (req.method === 'GET') return sendJson(res, 200, invoices.all().map((i) => invoiceJson(i, base, customers.get(i.customer)?.name ?? '')));
        if (req.method === 'PATCH' && inv[1]) {
          const invoice = invoices.byUuid(inv[1]);
          if (!invoice) return sendJson(res, 404, { error: 'no such invoice' });
          invoice.state = body.state as InvoiceState;
          return sendJson(res, 200, invoiceJson(invoice, base, customers.get(invoice.customer)?.name ?? ''));
        }
        // an invoice made ahead (so a month can be closed before anything is imported into it)
        if (req.method === 'POST' && !inv[1]) {
          const invoice = invoices.invoiceOf(String(body.customer), Number(body.year), Number(body.month));
          if (body.state) invoice.state = body.state as InvoiceState;
          return sendJson(res, 201, invoiceJson(invoice, base, customers.get(invoice.customer)?.name ?? ''));
        }
        return sendJson(res, 405, { error: 'GET all, POST {customer, year, month, state?}, PATCH /<uuid> {state}' });
      }
      const m = path.match(/^\/__sim\/objects\/(customers|projects|offerings|resources|orders)\/?(?:([0-9a-f-]+)\/?)?$/);
      if (!m) return sendJson(res, 404, { error: 'unknown control route' });
      const entity = m[1] as WaldurEntity;
      if (req.method === 'POST' && !m[2]) return sendJson(res, 201, { uuid: create(entity, body) });
      if (req.method === 'PATCH' && m[2]) return sendJson(res, 200, (change(entity, m[2], body, url.searchParams.get('bump') !== 'false'), { uuid: hexUuid(m[2]) }));
      if (req.method === 'DELETE' && m[2]) return sendJson(res, 204, (remove(entity, m[2]), undefined));
      return sendJson(res, 405, { error: 'POST to create, PATCH or DELETE /<uuid>' });
    } catch (err) {
      return sendJson(res, 400, { error: (err as Error).message });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as AddressInfo;
  const root = `http://127.0.0.1:${port}`;
  return {
    url: root,
    apiUrl: root,
    token: fixture.token,
    stats: () => Object.fromEntries(counts),
    resetStats: () => counts.clear(),
    setFaults: (update) => void (faults = { ...NO_FAULTS, ...update }),
    create,
    change,
    remove,
    close: () => closeServer(server, hanging),
  };
}

interface RouteMatch {
  endpoint: WaldurEndpoint;
  uuid?: string;
}

const LISTS: [string, WaldurEndpoint][] = [
  ['customers', 'customers'],
  ['projects', 'projects'],
  ['marketplace-provider-offerings', 'offerings'],
  ['marketplace-resources', 'resources'],
  ['marketplace-provider-resources', 'resources'],
  ['marketplace-orders', 'orders'],
  ['events', 'events'],
  ['invoices', 'invoices'],
  ['marketplace-component-usages', 'componentUsages'],
];

function matchRoute(method: string, path: string): RouteMatch | null {
  let m: RegExpMatchArray | null;
  if (method === 'POST' && (m = path.match(/^\/api\/marketplace-provider-resources\/([0-9a-f-]+)\/set_backend_id\/$/))) return { endpoint: 'setBackendId', uuid: m[1] };
  if (method === 'POST' && path === '/api/backend-resources/') return { endpoint: 'backendResources' };
  if (method === 'GET' && path === '/api/backend-resources/') return { endpoint: 'backendResources' };
  if (method === 'POST' && (m = path.match(/^\/api\/marketplace-provider-offerings\/([0-9a-f-]+)\/check_unique_backend_id\/$/))) return { endpoint: 'checkBackendId', uuid: m[1] };
  if (method === 'POST' && (m = path.match(/^\/api\/backend-resources\/([0-9a-f-]+)\/import_resource\/$/))) return { endpoint: 'importResource', uuid: m[1] };
  if (method === 'DELETE' && (m = path.match(/^\/api\/backend-resources\/([0-9a-f-]+)\/$/))) return { endpoint: 'backendResources', uuid: m[1] };
  if (method === 'POST' && path === '/api/invoices/import_usage/') return { endpoint: 'importUsage' };
  if (method === 'POST' && path === '/api/marketplace-component-usages/set_usage/') return { endpoint: 'setUsage' };
  if (method !== 'GET') return null;
  if (path === '/api/users/me/') return { endpoint: 'me' };
  for (const [segment, endpoint] of LISTS) {
    if (path === `/api/${segment}/`) return { endpoint };
    if ((m = path.match(new RegExp(`^/api/${segment}/([0-9a-f-]+)/$`)))) return { endpoint, uuid: m[1] };
  }
  return null;
}
