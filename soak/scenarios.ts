/**
 * Soak scenarios, shared by `npm run soak` (full size, prints figures) and the tests (small).
 * Both run the real gateway over HTTP against the ArrowSphere simulator and a real database.
 */
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from '../src/db/database.js';
import { applyMigrations } from '../src/db/migrate.js';
import { startArrowSimulator, type Faults, type RunningSimulator } from '../src/arrow-sim/server.js';
import { generateFixture } from '../src/arrow-sim/generate.js';
import { ArrowSource } from '../src/domain/arrow-source.js';
import { createGateway } from '../src/server.js';
import { createLogger } from '../src/observability/logger.js';
import { createToken, createUser } from '../src/domain/users.js';
import { FULL_SCREEN_QUERY, FULL_SCREEN_QUERY_LIVE } from '../src/graphql/screen-query.js';
import { periodOf } from '../src/domain/periods.js';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../src/waldur-sim/server.js';
import { WaldurClient } from '../src/waldur/client.js';
import { syncFromWaldur } from '../src/waldur/mirror.js';
import { dashedUuid } from '../src/waldur/wire.js';

const WALDUR_TOKEN = 'soak-waldur-token-0123456789abcdef';
const dashed = dashedUuid;

export interface SoakWorld {
  db: Database;
  sim: RunningSimulator;
  /** The Waldur the gateway mirrors and writes through to. */
  waldur: RunningWaldurSimulator;
  base: string;
  token: string;
  settingsUuid: string;
  offeringUuids: string[];
  customers: { uuid: string; projectUuid: string; mappingUuid: string; arrowReference: string; resourceUuids: string[]; licenceRefs: string[] }[];
  licenceRefs: string[];
  /** The bound a screen request must answer within. */
  boundMs: number;
  /** The gateway's error log lines (the first 20): what a 5xx answer does not say. */
  errorsLogged: string[];
  close(): Promise<void>;
}

export async function startWorld(opts: { customers: number; faults?: Partial<Faults>; cacheTtlMs: number; timeoutMs: number; databaseUrl?: string }): Promise<SoakWorld> {
  const period = periodOf(new Date());
  const fixture = generateFixture({ seed: 3, customers: opts.customers, licenses: opts.customers * 3, periods: [period], apiKey: 'soak-key' });
  const sim = await startArrowSimulator(fixture, { faults: opts.faults });
  const db = await openDatabase({ dataDir: 'memory://', databaseUrl: opts.databaseUrl });
  await applyMigrations(db);
  await createUser(db.prisma, 'soak', true);
  const token = await createToken(db.prisma, 'soak');
  const settings = await db.prisma.arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: 'soak-key', exportTypeReference: 'EXPORT-STD' } });
  // Waldur's side lives in a Waldur simulator; the gateway mirrors it and writes through to it
  const waldur = await startWaldurSimulator({ token: WALDUR_TOKEN, customers: [], projects: [], offerings: [], resources: [] });
  const offerings = [1, 2].map((i) => waldur.create('offerings', { name: `Arrow ${i}` }));
  const made = fixture.customers.map((c) => {
    const customer = waldur.create('customers', { name: c.CompanyName.split(' ').slice(0, 2).join(' ') });
    const project = waldur.create('projects', { name: 'Production', customer });
    const own = fixture.licenses.filter((l) => l.customer_ref === c.Reference);
    const resources = own.map((l, k) => waldur.create('resources', { name: l.name, backend_id: k === 0 ? l.license_id : '', project, offering: offerings[0] }));
    for (const resource of resources) waldur.create('orders', { resource, type: 'Create', state: 'done' });
    return { c, customer, project, own, resources };
  });
  const waldurClient = new WaldurClient({ apiUrl: waldur.apiUrl, token: WALDUR_TOKEN, timeoutMs: 10_000, retries: 2, retryBaseMs: 20 });
  await syncFromWaldur(db, waldurClient, { full: true });
  const customers = [];
  for (const [i, { c, customer, project, own, resources }] of made.entries()) {
    const mapping = await db.prisma.customerMapping.create({ data: { settingsUuid: settings.uuid, arrowReference: c.Reference, arrowCompanyName: c.CompanyName, waldurCustomerUuid: dashed(customer), created: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) } });
    customers.push({ uuid: dashed(customer), projectUuid: dashed(project), mappingUuid: mapping.uuid, arrowReference: c.Reference, resourceUuids: resources.map(dashed), licenceRefs: own.map((l) => l.license_id) });
  }
  const retries = 2;
  const arrow = new ArrowSource({ timeoutMs: opts.timeoutMs, retries, retryBaseMs: 50, maxInFlight: 8, cacheTtlMs: opts.cacheTtlMs });
  const errorsLogged: string[] = [];
  const logger = createLogger('error', { write: (line: string) => void (errorsLogged.length < 20 && errorsLogged.push(line.trim())) });
  const { server } = createGateway({ db, arrow, waldur: waldurClient, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    sim,
    waldur,
    base,
    errorsLogged,
    token,
    settingsUuid: settings.uuid,
    offeringUuids: offerings.map(dashed),
    customers,
    licenceRefs: fixture.licenses.map((l) => l.license_id),
    // the client's deadline per Arrow call (timeout + 5 s), plus time for the database and the response
    boundMs: opts.timeoutMs + 5000 + 3000,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await sim.close();
      await waldur.close();
      await db.close();
    },
  };
}

async function pool<T>(concurrency: number, next: () => Promise<T> | null): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let job = next(); job; job = next()) await job;
    }),
  );
}

export interface FaultSoakResult {
  queries: number;
  status5xx: number;
  failedFields: number;
  /** Licences whose consumption, or exports, that arrowData reported as failed (in-band errors). */
  arrowDataErrors: number;
  untypedFailures: number;
  maxMs: number;
  p50Ms: number;
  boundMs: number;
}

/** Screen queries against a failing, slow Arrow: data where there is some, typed errors elsewhere. */
export async function faultSoak(world: SoakWorld, queries: number, concurrency: number, first = 10): Promise<FaultSoakResult> {
  // LIVE consumption, so every licence's Arrow call meets the faults too
  const body = JSON.stringify({ query: FULL_SCREEN_QUERY_LIVE, variables: { first } });
  let sent = 0;
  const durations: number[] = [];
  let status5xx = 0;
  let failedFields = 0;
  let arrowDataErrors = 0;
  let untypedFailures = 0;
  await pool(concurrency, () => {
    if (sent++ >= queries) return null;
    return (async () => {
      const t0 = performance.now();
      const res = await fetch(`${world.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${world.token}` }, body });
      const json = (await res.json()) as { data?: any; errors?: { path?: (string | number)[]; extensions?: { code?: string } }[] };
      durations.push(performance.now() - t0);
      if (res.status >= 500) status5xx++;
      const errorPaths = new Set((json.errors ?? []).filter((e) => e.extensions?.code === 'ARROW_UNAVAILABLE').map((e) => e.path?.join('.')));
      untypedFailures += (json.errors ?? []).filter((e) => e.extensions?.code !== 'ARROW_UNAVAILABLE').length;
      for (const [i, edge] of (json.data?.customerMappings?.edges ?? []).entries()) {
        const data = edge.node.arrowData;
        if (data) arrowDataErrors += (data.error ? 1 : 0) + data.consumptionLines.filter((l: { error: string | null }) => l.error).length;
        for (const field of ['arrowCustomer', 'arrowLicenses', 'suggestions']) {
          if (edge.node[field] === null && edge.node.licenseDiscoveryError && !/not found/.test(edge.node.licenseDiscoveryError)) {
            failedFields++;
            if (!errorPaths.has(`customerMappings.edges.${i}.node.${field}`)) untypedFailures++;
          }
        }
      }
      if (!json.data?.customerMappings) untypedFailures++;
    })();
  });
  durations.sort((a, b) => a - b);
  return { queries, status5xx, failedFields, arrowDataErrors, untypedFailures, maxMs: durations.at(-1) ?? 0, p50Ms: durations[Math.floor(durations.length / 2)] ?? 0, boundMs: world.boundMs };
}

export interface MixResult {
  requests: number;
  status5xx: number;
  /** The first few 5xx answers (operation, status, body), so a failing run says what failed. */
  serverErrors: string[];
  byOperation: Record<string, { ok: number; refused: number }>;
  imports: number;
  violations: string[];
}

/** Many clients reading, linking, importing, creating and deleting at once; then the invariants. */
export async function mixSoak(world: SoakWorld, clients: number, seconds: number): Promise<MixResult> {
  const prisma = world.db.prisma;
  const [resourcesBefore, ordersBefore, mappingsBefore] = await Promise.all([prisma.resource.count(), prisma.order.count(), prisma.customerMapping.count()]);
  const deadline = Date.now() + seconds * 1000;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const byOperation: MixResult['byOperation'] = {};
  let requests = 0;
  let status5xx = 0;
  const serverErrors: string[] = [];
  let imports = 0;
  let created = 0;
  let deleted = 0;
  const createdMappings: string[] = [];
  const headers = { 'content-type': 'application/json', authorization: `Token ${world.token}` };
  const M = `${world.base}/api/admin/arrow/customer-mappings`;
  const call = async (name: string, url: string, init: RequestInit) => {
    const res = await fetch(url, { ...init, headers });
    requests++;
    if (res.status >= 500) status5xx++;
    const entry = (byOperation[name] ??= { ok: 0, refused: 0 });
    if (res.ok) entry.ok++;
    else entry.refused++;
    const text = await res.text();
    // with the gateway's last error line: "A server error occurred." alone cannot be diagnosed
    if (res.status >= 500 && serverErrors.length < 5) serverErrors.push(`${name} ${res.status} ${text.slice(0, 500)} (logged: ${world.errorsLogged.at(-1)?.slice(0, 1000) ?? 'nothing'})`);
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const operations: (() => Promise<unknown>)[] = [
    () => call('read screen', `${world.base}/graphql`, { method: 'POST', body: JSON.stringify({ query: FULL_SCREEN_QUERY, variables: { first: 5 } }) }),
    () => call('list', `${M}/?page_size=50`, { method: 'GET' }),
    () => {
      // mostly the customer's own licences (moved or not), now and then another customer's (refused)
      const c = pick(world.customers);
      const licence = Math.random() < 0.8 ? pick(c.licenceRefs) : pick(world.licenceRefs.slice(0, 30));
      return call('link', `${M}/${c.mappingUuid}/link_resource/`, { method: 'POST', body: JSON.stringify({ resource_uuid: pick(c.resourceUuids), license_reference: licence, move: Math.random() < 0.5 }) });
    },
    () => {
      const c = pick(world.customers);
      return call('unlink', `${M}/${c.mappingUuid}/link_resource/`, { method: 'POST', body: JSON.stringify({ resource_uuid: pick(c.resourceUuids), license_reference: '' }) });
    },
    async () => {
      const c = pick(world.customers);
      const r = await call('import', `${M}/${c.mappingUuid}/import_license/`, { method: 'POST', body: JSON.stringify({ license_reference: pick(c.licenceRefs), offering_uuid: pick(world.offeringUuids), project_uuid: c.projectUuid }) });
      if (r.status === 200) imports++;
    },
    async () => {
      const c = pick(world.customers);
      const r = await call('create', `${M}/`, { method: 'POST', body: JSON.stringify({ settings: world.settingsUuid, arrow_reference: `SOAK${Math.floor(Math.random() * 40)}`, waldur_customer: c.uuid }) });
      if (r.status === 201) (created++, createdMappings.push(r.body.uuid));
    },
    async () => {
      const uuid = createdMappings.length ? createdMappings.splice(Math.floor(Math.random() * createdMappings.length), 1)[0]! : '00000000-0000-4000-8000-000000000000';
      const r = await call('delete', `${M}/${uuid}/`, { method: 'DELETE' });
      if (r.status === 204) deleted++;
    },
  ];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) await pick(operations)();
    }),
  );

  const violations: string[] = [];
  const duplicates = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT settings_uuid, arrow_reference FROM customer_mappings GROUP BY 1, 2 HAVING count(*) > 1) d`);
  if (duplicates[0]!.n) violations.push(`${duplicates[0]!.n} duplicate mappings`);
  const twice = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT backend_id FROM resources WHERE backend_id <> '' AND state <> 'TERMINATED' GROUP BY 1 HAVING count(*) > 1) d`);
  if (twice[0]!.n) violations.push(`${twice[0]!.n} licences backing two live resources`);
  const owned = new Map(world.customers.map((c) => [c.uuid, new Set(c.licenceRefs)]));
  const held = await prisma.resource.findMany({ where: { backendId: { not: '' } }, select: { backendId: true, project: { select: { customerUuid: true } } } });
  const misplaced = held.filter((r) => owned.has(r.project.customerUuid) && !owned.get(r.project.customerUuid)!.has(r.backendId)).length;
  if (misplaced) violations.push(`${misplaced} licences linked to a customer they do not belong to`);
  const orphans = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM resources r WHERE (SELECT count(*) FROM orders o WHERE o.resource_uuid = r.uuid AND o.type = 'CREATE') <> 1`);
  if (orphans[0]!.n) violations.push(`${orphans[0]!.n} resources without exactly one create order`);
  const [resourcesAfter, ordersAfter, mappingsAfter] = await Promise.all([prisma.resource.count(), prisma.order.count(), prisma.customerMapping.count()]);
  if (resourcesAfter - resourcesBefore !== imports) violations.push(`resources grew by ${resourcesAfter - resourcesBefore}, imports answered 200: ${imports}`);
  if (ordersAfter - ordersBefore !== imports) violations.push(`orders grew by ${ordersAfter - ordersBefore}, imports answered 200: ${imports}`);
  if (mappingsAfter - mappingsBefore !== created - deleted) violations.push(`mappings changed by ${mappingsAfter - mappingsBefore}, created ${created} − deleted ${deleted}`);
  return { requests, status5xx, serverErrors, byOperation, imports, violations };
}
