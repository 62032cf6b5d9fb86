import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../../src/waldur-sim/server.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { mirrorState, syncFromWaldur } from '../../src/waldur/mirror.js';
import { dashedUuid } from '../../src/waldur/wire.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';

const TOKEN = 'd'.repeat(40);
const id = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The mirror against a Waldur simulator changed behind its back (WALDUR.md §8). */
describe.each(databaseKinds)('the Waldur mirror (%s)', (kind) => {
  let t: TestDatabase;
  let sim: RunningWaldurSimulator;
  let waldur: WaldurClient;
  const prisma = () => t.db.prisma;
  const sync = (full = false) => syncFromWaldur(t.db, waldur, { full, overlapMs: 0 });

  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    await sim?.close();
    for (const table of ['order', 'consumptionRecord', 'resource', 'offeringPlan', 'project', 'customerMapping', 'arrowSettings', 'offering', 'waldurCustomer', 'waldurSyncState'] as const) {
      await (prisma()[table] as unknown as { deleteMany(): Promise<unknown> }).deleteMany();
    }
    sim = await startWaldurSimulator({
      token: TOKEN,
      customers: [1, 2, 3].map((n) => ({ uuid: id('0', n), name: `Org ${n}`, abbreviation: `O${n}` })),
      projects: [1, 2, 3].map((n) => ({ uuid: id('1', n), name: `Project ${n}`, customer: id('0', n) })),
      offerings: [{ uuid: id('2', 1), name: 'Arrow licences', type: 'Marketplace.Basic', plans: [{ uuid: id('3', 1), name: 'Default' }] }],
      resources: [1, 2, 3].map((n) => ({ uuid: id('4', n), name: `Licence ${n}`, project: id('1', n), offering: id('2', 1), backend_id: `XSP${n}`, plan: id('3', 1) })),
      orders: [1, 2, 3].map((n) => ({ uuid: id('5', n), resource: id('4', n) })),
    });
    waldur = new WaldurClient({ apiUrl: sim.apiUrl, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000 });
  });

  it('a first sync is full: everything Waldur has, exactly as it has it, with its create orders', async () => {
    const result = await sync();
    expect(result.full).toBe(true);
    expect(result.changes).toEqual({
      customers: { created: 3, updated: 0, deleted: 0 },
      offerings: { created: 1, updated: 0, deleted: 0 },
      projects: { created: 3, updated: 0, deleted: 0 },
      resources: { created: 3, updated: 0, deleted: 0 },
      orders: { created: 3, updated: 0, deleted: 0 },
    });
    expect(await prisma().resource.findUniqueOrThrow({ where: { uuid: id('4', 2) }, include: { project: true, offering: { include: { plans: true } } } })).toMatchObject({
      name: 'Licence 2', backendId: 'XSP2', state: 'OK', planUuid: id('3', 1), project: { name: 'Project 2', customerUuid: id('0', 2) }, offering: { name: 'Arrow licences', state: 'Active', plans: [{ uuid: id('3', 1), name: 'Default' }] },
    });
    expect((await prisma().order.findMany({ orderBy: { uuid: 'asc' } })).map((o) => [o.type, o.state, o.resourceUuid])).toEqual([1, 2, 3].map((n) => ['CREATE', 'DONE', id('4', n)]));
    expect((await prisma().waldurSyncState.findUniqueOrThrow({ where: { id: 1 } })).lastFullAt).toEqual(result.startedAt);
  });

  it('an incremental sync with nothing changed asks one request per entity, and changes nothing', async () => {
    await sync();
    sim.resetStats();
    const result = await sync();
    expect(result.full).toBe(false);
    // customers through their change feed (Waldur's event log): one page of no events
    expect(sim.stats()).toEqual({ events: 1, projects: 1, offerings: 1, resources: 1, orders: 1 });
    expect(Object.values(result.changes).every((c) => c.created + c.updated + c.deleted === 0)).toBe(true);
  });

  it('follows customers through their events: a creation, a rename and a deletion after one incremental sync, each read once', async () => {
    await sync();
    await new Promise((r) => setTimeout(r, 5));
    const org = sim.create('customers', { name: 'Org 5' });
    sim.change('customers', id('0', 1), { name: 'Org 1 renamed' });
    sim.change('customers', id('0', 1), { abbreviation: 'O1R' });
    sim.remove('customers', id('0', 2));
    sim.resetStats();
    const result = await sync();
    expect(result.changes.customers).toEqual({ created: 1, updated: 1, deleted: 1 });
    // the feed's page, then each changed customer as Waldur has it now (the deleted one is not read)
    expect(sim.stats()).toMatchObject({ events: 1, customers: 2 });
    expect((await prisma().waldurCustomer.findMany({ orderBy: { name: 'asc' } })).map((c) => [c.uuid, c.name, c.abbreviation])).toEqual([
      [id('0', 1), 'Org 1 renamed', 'O1R'],
      [id('0', 3), 'Org 3', 'O3'],
      [dashedUuid(org), 'Org 5', ''],
    ]);
  });

  it('reads every customer once the scan interval is over: a bulk rename (no event) is seen then', async () => {
    await sync();
    sim.change('customers', id('0', 3), { name: 'Renamed in bulk' }, false);
    expect((await sync()).changes.customers.updated).toBe(0);
    sim.resetStats();
    const scanned = await syncFromWaldur(t.db, waldur, { overlapMs: 0, customerScanMs: 0 });
    expect(scanned.changes.customers.updated).toBe(1);
    expect(sim.stats()).toMatchObject({ customers: 1 });
    expect(sim.stats().events).toBeUndefined();
  });

  it("scans customers every time where the event log is hidden from the token (Waldur answers a provider's token 200 [])", async () => {
    const provider = 'p'.repeat(40);
    const hidden = await startWaldurSimulator({ token: TOKEN, users: [{ token: provider, username: 'provider' }], customers: [{ uuid: id('0', 9), name: 'Org 9' }], projects: [], offerings: [], resources: [] });
    try {
      for (const table of ['order', 'resource', 'project', 'offering', 'waldurCustomer', 'waldurSyncState'] as const) await (prisma()[table] as unknown as { deleteMany(): Promise<unknown> }).deleteMany();
      const client = new WaldurClient({ apiUrl: hidden.apiUrl, token: provider, retryBaseMs: 5, timeoutMs: 2000 });
      await syncFromWaldur(t.db, client, { overlapMs: 0 });
      const state = await mirrorState(prisma());
      expect(state.customersFollowedBy).toBe('SCANS');
      expect(state.customersFollowedWhy).toBe("Waldur shows its event log only to staff and support, and the gateway's token (user provider) is neither");
      hidden.change('customers', id('0', 9), { name: 'Org 9 renamed' });
      hidden.resetStats();
      expect((await syncFromWaldur(t.db, client, { overlapMs: 0 })).changes.customers.updated).toBe(1);
      expect(hidden.stats()).toMatchObject({ customers: 1 });
      expect(hidden.stats().events).toBeUndefined();
    } finally {
      await hidden.close();
    }
  });

  it('sees objects created, changed, terminated in Waldur after one incremental sync', async () => {
    await sync();
    await new Promise((r) => setTimeout(r, 5));
    const org = sim.create('customers', { name: 'Org 4' });
    const project = sim.create('projects', { name: 'Project 4', customer: org });
    const resource = sim.create('resources', { name: 'Licence 4', project, offering: id('2', 1), backend_id: 'XSP4' });
    sim.change('resources', id('4', 1), { backend_id: 'XSP1-B' });
    sim.change('resources', id('4', 2), { state: 'Terminated' });
    sim.change('customers', id('0', 3), { name: 'Org 3 renamed' });
    const result = await sync();
    expect(result.changes.customers).toEqual({ created: 1, updated: 1, deleted: 0 });
    expect(result.changes.resources).toEqual({ created: 1, updated: 2, deleted: 0 });
    const r = async (uuid: string) => prisma().resource.findUniqueOrThrow({ where: { uuid: dashedUuid(uuid) } });
    expect((await r(resource)).backendId).toBe('XSP4');
    expect((await r(id('4', 1))).backendId).toBe('XSP1-B');
    expect((await r(id('4', 2))).state).toBe('TERMINATED');
    expect((await prisma().waldurCustomer.findUniqueOrThrow({ where: { uuid: id('0', 3) } })).name).toBe('Org 3 renamed');
  });

  it('a full sync notices hard deletes and bulk edits an incremental one cannot see, keeping what billing needs', async () => {
    await sync();
    sim.change('resources', id('4', 1), { name: 'Renamed in bulk' }, false); // Waldur's bulk .update(): modified does not move
    sim.remove('resources', id('4', 3));
    await prisma().consumptionRecord.create({ data: { resourceUuid: id('4', 2), licenseReference: 'XSP2', billingPeriod: new Date('2026-10-01'), consumedSell: '1', consumedBuy: '1' } });
    sim.remove('resources', id('4', 2));
    expect((await sync()).changes.resources).toEqual({ created: 0, updated: 0, deleted: 0 });
    const full = await sync(true);
    expect(full.kept).toEqual([`resource ${id('4', 2)} is gone from Waldur but has consumption records: kept as TERMINATED`]);
    expect(full.changes.resources).toEqual({ created: 0, updated: 1, deleted: 1 });
    expect((await prisma().resource.findMany({ orderBy: { uuid: 'asc' } })).map((r) => [r.uuid, r.name, r.state])).toEqual([
      [id('4', 1), 'Renamed in bulk', 'OK'],
      [id('4', 2), 'Licence 2', 'TERMINATED'],
    ]);
  });

  it('reads a list a page at a time: one row a page mirrors the same, and finds what is gone on any page', async () => {
    waldur = new WaldurClient({ apiUrl: sim.apiUrl, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000, pageSize: 1 });
    sim.resetStats();
    const first = await sync();
    expect(first.changes.resources).toEqual({ created: 3, updated: 0, deleted: 0 });
    expect(first.changes.orders).toEqual({ created: 3, updated: 0, deleted: 0 });
    expect(sim.stats()).toMatchObject({ customers: 3, projects: 1 + 3, resources: 1 + 3, orders: 1 + 3 }); // the probe's count, then each page
    sim.remove('resources', id('4', 1));
    sim.remove('resources', id('4', 3));
    const org = sim.create('customers', { name: 'Org 4' });
    const full = await sync(true);
    expect(full.changes.resources).toEqual({ created: 0, updated: 0, deleted: 2 });
    expect(full.changes.customers).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect((await prisma().resource.findMany()).map((r) => r.uuid)).toEqual([id('4', 2)]);
    expect((await prisma().waldurCustomer.findMany({ orderBy: { name: 'asc' } })).map((c) => c.uuid)).toEqual([id('0', 1), id('0', 2), id('0', 3), dashedUuid(org)]);
  });

  it("finds what is gone past the mirror's first 10,000 uuids (read a page at a time), keeping a mapped customer", async () => {
    await sync();
    const extra = Array.from({ length: 10_005 }, (_, i) => ({ uuid: id('6', i), name: `Gone ${i}`, abbreviation: '' }));
    await prisma().waldurCustomer.createMany({ data: extra });
    const settings = await prisma().arrowSettings.create({ data: { apiUrl: 'http://arrow.invalid/', apiKey: 'k' } });
    await prisma().customerMapping.create({ data: { settingsUuid: settings.uuid, arrowReference: 'XSP1', arrowCompanyName: 'C', waldurCustomerUuid: id('6', 10_004) } });
    const full = await sync(true);
    expect(full.changes.customers).toEqual({ created: 0, updated: 0, deleted: 10_004 });
    expect(full.kept).toEqual([`customer ${id('6', 10_004)} is gone from Waldur but mapped: kept`]);
    expect((await prisma().waldurCustomer.findMany({ orderBy: { uuid: 'asc' } })).map((c) => c.uuid)).toEqual([id('0', 1), id('0', 2), id('0', 3), id('6', 10_004)]);
  });

  it('never trusts a filter the server ignores: those entities are read in full', async () => {
    // a server that ignores `modified` on resources answers everything to the probe
    await sync();
    const state = await prisma().waldurSyncState.findUniqueOrThrow({ where: { id: 1 } });
    expect((state.marks as { filters: object }).filters).toEqual({ customers: true, projects: true, offerings: true, resources: true, orders: true });
    await prisma().waldurSyncState.update({ where: { id: 1 }, data: { marks: { ...(state.marks as object), filters: { customers: true, projects: true, offerings: true, resources: false, orders: true } } } });
    // with the filter distrusted, resources are read in full, so even a bulk edit is seen
    sim.change('resources', id('4', 1), { name: 'Renamed in bulk' }, false);
    sim.resetStats();
    expect((await sync()).changes.resources.updated).toBe(1);
    expect(sim.stats().resources).toBe(1);
  });

  it('keeps its marks and says so when Waldur fails, changing nothing', async () => {
    await sync();
    const before = await prisma().waldurSyncState.findUniqueOrThrow({ where: { id: 1 } });
    sim.setFaults({ errorRate: 1, endpoints: ['resources'] });
    await expect(sync()).rejects.toMatchObject({ name: 'WaldurApiError' });
    const after = await prisma().waldurSyncState.findUniqueOrThrow({ where: { id: 1 } });
    expect(after.marks).toEqual(before.marks);
    expect(after.error).toMatch(/^Waldur resources failed \(HTTP 50[03]\)/);
  });
});
