import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../../src/waldur-sim/server.js';
import { since, WaldurApiError, WaldurClient } from '../../src/waldur/client.js';
import { record } from '../support/secret-scan.js';

const TOKEN = 'b'.repeat(40);
const dashed = (n: number, prefix = '0') => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('WaldurClient against the Waldur simulator', () => {
  let sim: RunningWaldurSimulator;
  const client = (options: Partial<ConstructorParameters<typeof WaldurClient>[0]> = {}) => new WaldurClient({ apiUrl: sim.apiUrl, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000, ...options });
  beforeAll(async () => {
    record('token', TOKEN);
    const customers = Array.from({ length: 25 }, (_, i) => ({ uuid: dashed(i), name: `Customer ${String(i).padStart(2, '0')}` }));
    sim = await startWaldurSimulator({
      token: TOKEN,
      customers,
      projects: customers.map((c, i) => ({ uuid: dashed(i, '1'), name: `Project ${i}`, customer: c.uuid })),
      offerings: [{ uuid: dashed(1, '2'), name: 'Arrow licences', plans: [{ uuid: dashed(1, '3'), name: 'Default' }] }],
      resources: [{ uuid: dashed(1, '4'), name: 'Azure Plan', project: dashed(0, '1'), offering: dashed(1, '2'), backend_id: 'XSP1' }],
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });

  it("takes Waldur's root with or without /api/ at its end (the site agent's form), and asks the same paths", async () => {
    for (const apiUrl of [sim.apiUrl, `${sim.apiUrl}/`, `${sim.apiUrl}/api`, `${sim.apiUrl}/api/`]) expect(await client({ apiUrl }).customers(), apiUrl).toHaveLength(25);
  });

  it('reads every page of a list: page 1, then the rest at once, as X-Result-Count says', async () => {
    const customers = await client({ pageSize: 10 }).customers();
    expect(customers).toHaveLength(25);
    expect(customers[0]).toEqual({ uuid: dashed(0), name: 'Customer 00', abbreviation: '', created: expect.any(Date) });
    expect(sim.stats()).toEqual({ customers: 3 });
    expect(await client().customers()).toHaveLength(25);
    expect(sim.stats()).toEqual({ customers: 4 }); // 300 a page: one request
  });

  it('asks each list only for the keys the mirror keeps (?field=), and gets only those', async () => {
    // a recording proxy between client and simulator: what went over the wire, and what came back
    const seen: { path: string; keys: string[] }[] = [];
    const proxy = http.createServer(async (req, res) => {
      const answer = await fetch(new URL(req.url!, sim.apiUrl), { headers: { authorization: req.headers.authorization ?? '' } });
      const text = await answer.text();
      const body = JSON.parse(text) as unknown;
      seen.push({ path: req.url!, keys: Array.isArray(body) ? [...new Set(body.flatMap((row: object) => Object.keys(row)))].sort() : [] });
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-result-count': answer.headers.get('x-result-count') ?? '' });
      res.end(text);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const c = new WaldurClient({ apiUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000 });
      await Promise.all([c.customers(), c.projects(), c.offerings(), c.resources(), c.orders()]);
      const fieldsOf = (prefix: string) => {
        const hit = seen.find((s) => s.path.startsWith(prefix))!;
        return { asked: new URL(hit.path, 'http://x').searchParams.getAll('field').sort(), got: hit.keys };
      };
      expect(fieldsOf('/api/customers/')).toEqual({ asked: ['abbreviation', 'created', 'name', 'uuid'], got: ['abbreviation', 'created', 'name', 'uuid'] });
      expect(fieldsOf('/api/projects/').asked).toEqual(['created', 'customer_uuid', 'is_removed', 'name', 'uuid']);
      expect(fieldsOf('/api/marketplace-provider-offerings/').got).toEqual(['backend_id_rules', 'created', 'name', 'plans', 'state', 'type', 'uuid']);
      const resources = fieldsOf('/api/marketplace-resources/');
      expect(resources.asked).toEqual(['attributes', 'backend_id', 'created', 'modified', 'name', 'offering_uuid', 'plan_uuid', 'project_uuid', 'state', 'uuid']);
      expect(resources.got).toEqual(resources.asked);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('reads projects (terminated too), offerings with plans, resources and orders, UUIDs dashed', async () => {
    const c = client();
    expect((await c.projects({ customer: dashed(3) })).map((p) => [p.name, p.customer_uuid])).toEqual([['Project 3', dashed(3)]]);
    expect(await c.offerings()).toEqual([{ uuid: dashed(1, '2'), name: 'Arrow licences', type: 'Marketplace.Basic', state: 'Active', created: expect.any(Date), plans: [{ uuid: dashed(1, '3'), name: 'Default' }], backend_id_rules: {} }]);
    expect((await c.resources({ backend_id: 'XSP1' })).map((r) => [r.uuid, r.offering_uuid, r.project_uuid, r.state])).toEqual([[dashed(1, '4'), dashed(1, '2'), dashed(0, '1'), 'OK']]);
  });

  it('asks for changes since a moment with the modified filter', async () => {
    const c = client();
    const mark = new Date();
    expect(await c.resources(since(mark))).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    sim.change('resources', dashed(1, '4'), { name: 'Azure Plan (renamed)' });
    expect((await c.resources(since(mark))).map((r) => r.name)).toEqual(['Azure Plan (renamed)']);
  });

  it('sets a backend_id, and imports a licence in two writes (backend resource, then import)', async () => {
    const c = client();
    expect(await c.setBackendId(dashed(1, '4'), 'XSP7')).toBe('Resource backend_id has been changed.');
    expect(await c.setBackendId(dashed(1, '4'), 'XSP7')).toBe('Resource backend_id is not changed.');
    const backend = await c.createBackendResource({ name: 'Imported', project: dashed(2, '1'), offering: dashed(1, '2'), backendId: 'XSP8' });
    const resource = await c.importBackendResource(backend.uuid, dashed(1, '3'));
    expect(resource).toMatchObject({ name: 'Imported', backend_id: 'XSP8', state: 'OK', project_uuid: dashed(2, '1'), plan_uuid: dashed(1, '3') });
    expect((await c.orders({ resource_uuid: resource.uuid })).map((o) => [o.type, o.state])).toEqual([['Create', 'done']]);
  });

  it("turns Waldur's refusals into WaldurApiError with its message, never the token", async () => {
    const err = (await client({ token: 'c'.repeat(40) }).customers().then(() => null, (e: unknown) => e)) as WaldurApiError;
    expect(err).toBeInstanceOf(WaldurApiError);
    expect(err).toMatchObject({ status: 401, endpoint: 'customers', waldurMessage: 'Invalid token.' });
    expect(err.message).not.toContain('c'.repeat(40));
    const bad = await client().setBackendId('ffffffff-ffff-4fff-8fff-ffffffffffff', 'X').catch((e: unknown) => e as WaldurApiError);
    expect(bad).toMatchObject({ status: 404, waldurMessage: 'Not found.' });
    const invalid = await client().createBackendResource({ name: 'X', project: 'ffffffff-ffff-4fff-8fff-ffffffffffff', offering: dashed(1, '2'), backendId: 'X' }).catch((e: unknown) => e as WaldurApiError);
    expect(invalid).toMatchObject({ status: 400, waldurMessage: expect.stringMatching(/^project: Invalid pk/) });
  });

  it('retries reads on 5xx and 429, and sends the import writes once', async () => {
    sim.setFaults({ errorRate: 1, times: 2, endpoints: ['customers'] });
    expect(await client().customers()).toHaveLength(25);
    expect(sim.stats()).toEqual({ customers: 3 });
    sim.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0, times: 1, endpoints: ['projects'] });
    expect(await client().projects({ customer: dashed(1) })).toHaveLength(1);
    sim.setFaults({ errorRate: 1, times: 1, endpoints: ['backendResources'] });
    await expect(client().createBackendResource({ name: 'Once', project: dashed(3, '1'), offering: dashed(1, '2'), backendId: 'XSP9' })).rejects.toMatchObject({ status: 503 });
    expect(sim.stats().backendResources).toBe(1);
  });
});
