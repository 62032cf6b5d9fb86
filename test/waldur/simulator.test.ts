import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../../src/waldur-sim/server.js';
import type { WaldurFixture } from '../../src/waldur-sim/fixture.js';
import { loadSdk, sdkViolations, type SdkModels } from '../support/sdk-models.js';

const sdk = loadSdk<{ models: SdkModels }>('waldur-core-models.json');
const TOKEN = 'a'.repeat(40);

function fixture(): WaldurFixture {
  const customers = Array.from({ length: 25 }, (_, i) => ({ uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Customer ${String(i).padStart(2, '0')}`, abbreviation: `C${i}` }));
  return {
    token: TOKEN,
    customers,
    projects: customers.map((c, i) => ({ uuid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Project ${i}`, customer: c.uuid })),
    offerings: [{ uuid: '20000000-0000-4000-8000-000000000001', name: 'Arrow licences', type: 'Marketplace.Basic', plans: [{ uuid: '30000000-0000-4000-8000-000000000001', name: 'Default' }] }],
    resources: [
      { uuid: '40000000-0000-4000-8000-000000000001', name: 'Azure Plan', project: '10000000-0000-4000-8000-000000000000', offering: '20000000-0000-4000-8000-000000000001', backend_id: 'XSP1', plan: '30000000-0000-4000-8000-000000000001' },
      { uuid: '40000000-0000-4000-8000-000000000002', name: 'M365', project: '10000000-0000-4000-8000-000000000001', offering: '20000000-0000-4000-8000-000000000001' },
    ],
    orders: [{ resource: '40000000-0000-4000-8000-000000000001' }],
  };
}

/** Evidence: ../shared/design/WALDUR.md §1–§5 and Waldur's SDK models (test/fixtures/waldur-sdk). */
describe('the Waldur simulator answers as Waldur does', () => {
  let sim: RunningWaldurSimulator;
  const get = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sim.url}${path}`, { ...init, headers: { authorization: `Token ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  beforeAll(async () => {
    sim = await startWaldurSimulator(fixture());
  });
  afterAll(() => sim.close());

  it('refuses a missing or wrong token with 401 and WWW-Authenticate: Token', async () => {
    const none = await fetch(`${sim.url}/api/customers/`);
    expect([none.status, none.headers.get('www-authenticate'), await none.json()]).toEqual([401, 'Token', { detail: 'Authentication credentials were not provided.' }]);
    const wrong = await get('/api/customers/', { headers: { authorization: 'Token nope' } });
    expect([wrong.status, wrong.body]).toEqual([401, { detail: 'Invalid token.' }]);
  });

  it('lists as bare arrays: page_size 10 by default, capped at 300, X-Result-Count and Link', async () => {
    const first = await get('/api/customers/');
    expect(Array.isArray(first.body)).toBe(true);
    expect(first.body).toHaveLength(10);
    expect(first.headers.get('x-result-count')).toBe('25');
    const link = first.headers.get('link')!;
    expect(link).toContain(`<${sim.url}/api/customers/>; rel="first"`);
    expect(link).toContain(`<${sim.url}/api/customers/?page=2>; rel="next"`);
    expect(link).toContain(`<${sim.url}/api/customers/?page=3>; rel="last"`);
    expect(link).not.toContain('rel="prev"');
    expect((await get('/api/customers/?page_size=1000')).body).toHaveLength(25);
    expect((await get('/api/customers/?page_size=0')).body).toHaveLength(10);
    expect((await get('/api/customers/?page=last')).body).toHaveLength(5);
    for (const page of ['4', '0', 'abc']) expect(await get(`/api/customers/?page=${page}`)).toMatchObject({ status: 404, body: { detail: 'Invalid page.' } });
    const head = await fetch(`${sim.url}/api/customers/?page=2`, { method: 'HEAD', headers: { authorization: `Token ${TOKEN}` } });
    expect([head.status, head.headers.get('x-result-count'), await head.text()]).toEqual([200, '25', '']);
  });

  it('answers ?field= with those keys only, ignoring unknown ones', async () => {
    expect((await get('/api/customers/?page_size=1&field=uuid&field=name&field=nope')).body).toEqual([{ uuid: '00000000000040008000000000000000', name: 'Customer 00' }]);
    expect(Object.keys((await get('/api/customers/?page_size=1&field=nope')).body[0])).toContain('created');
  });

  it("serves objects Waldur's SDK parses: strict fields valid or absent, never null, UUIDs as 32 hex", async () => {
    const checks: [string, string][] = [['/api/customers/?page_size=300', 'Customer'], ['/api/projects/?page_size=300', 'Project'], ['/api/marketplace-provider-offerings/', 'ProviderOfferingDetails'], ['/api/marketplace-resources/', 'Resource'], ['/api/marketplace-orders/', 'OrderDetails']];
    for (const [path, model] of checks) {
      const { body } = await get(path);
      expect(body.length, path).toBeGreaterThan(0);
      expect(body.flatMap((item: unknown, i: number) => sdkViolations(sdk.models, model, item, `${model}[${i}]`))).toEqual([]);
      for (const item of body) expect(item.uuid).toMatch(/^[0-9a-f]{32}$/);
    }
    const r = (await get('/api/marketplace-resources/?backend_id=XSP1')).body[0];
    expect(r).toMatchObject({ name: 'Azure Plan', backend_id: 'XSP1', state: 'OK', offering_uuid: '20000000000040008000000000000001', project_uuid: '10000000000040008000000000000000', customer_uuid: '00000000000040008000000000000000', plan_uuid: '30000000000040008000000000000001' });
    expect(r.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('filters as a mirror needs, ignores what an entity does not filter on, and refuses a bad date', async () => {
    expect((await get('/api/projects/?customer=00000000000040008000000000000001,00000000-0000-4000-8000-000000000002')).body.map((p: any) => p.name)).toEqual(['Project 1', 'Project 2']);
    expect((await get('/api/marketplace-resources/?offering_uuid=20000000000040008000000000000001&state=OK&state=Erred')).body).toHaveLength(2);
    expect((await get('/api/marketplace-resources/?backend_id=xsp1')).body).toHaveLength(0); // exact, case-sensitive
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await get(`/api/marketplace-resources/?modified=${encodeURIComponent(future)}`)).body).toHaveLength(0);
    expect((await get(`/api/customers/?modified=${encodeURIComponent(future)}`)).body).toHaveLength(10); // no such filter on customers
    expect(await get('/api/marketplace-resources/?modified=yesterday')).toMatchObject({ status: 400, body: { modified: ['Enter a valid date/time.'] } });
  });

  it('set_backend_id answers its two statuses, validates, and bumps modified', async () => {
    const path = '/api/marketplace-provider-resources/40000000000040008000000000000002/set_backend_id/';
    const before = (await get('/api/marketplace-resources/40000000000040008000000000000002/')).body.modified;
    expect(await get(path, { method: 'POST', body: JSON.stringify({ backend_id: 'XSP2' }) })).toMatchObject({ status: 200, body: { status: 'Resource backend_id has been changed.' } });
    expect(await get(path, { method: 'POST', body: JSON.stringify({ backend_id: 'XSP2' }) })).toMatchObject({ status: 200, body: { status: 'Resource backend_id is not changed.' } });
    expect(await get(path, { method: 'POST', body: '{}' })).toMatchObject({ status: 400, body: { backend_id: ['This field is required.'] } });
    expect(await get(path, { method: 'POST', body: JSON.stringify({ backend_id: 'x'.repeat(256) }) })).toMatchObject({ status: 400 });
    expect((await get('/api/marketplace-resources/40000000000040008000000000000002/')).body.modified > before).toBe(true);
    expect((await get('/api/marketplace-provider-resources/ffffffffffff4fff8fffffffffffffff/set_backend_id/', { method: 'POST', body: '{"backend_id":""}' })).status).toBe(404);
  });

  it('deletes a backend resource as backend_resources_destroy expects: 204 without a body, then 404', async () => {
    // waldur/py-client waldur_api_client/api/backend_resources/backend_resources_destroy.py: 204 → None, 404 raises
    const made = await get('/api/backend-resources/', { method: 'POST', body: JSON.stringify({ name: 'Undone', project: '10000000-0000-4000-8000-000000000003', offering: '20000000-0000-4000-8000-000000000001', backend_id: 'XSP8' }) });
    const path = `/api/backend-resources/${made.body.uuid}/`;
    expect(await get(path, { method: 'DELETE' })).toMatchObject({ status: 204, body: undefined });
    expect((await get(path, { method: 'DELETE' })).status).toBe(404);
    expect((await get(`${path}import_resource/`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('imports through backend-resources: 201 BackendResource, then 201 Resource in state OK with a done Create order', async () => {
    const made = await get('/api/backend-resources/', { method: 'POST', body: JSON.stringify({ name: 'Imported', project: '10000000-0000-4000-8000-000000000003', offering: '20000000-0000-4000-8000-000000000001', backend_id: 'XSP9' }) });
    expect(made.status).toBe(201);
    expect(sdkViolations(sdk.models, 'BackendResource', made.body, 'BackendResource')).toEqual([]);
    const imported = await get(`/api/backend-resources/${made.body.uuid}/import_resource/`, { method: 'POST', body: '{}' });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ name: 'Imported', backend_id: 'XSP9', state: 'OK', project_uuid: '10000000000040008000000000000003' });
    expect((await get(`/api/marketplace-orders/?resource_uuid=${imported.body.uuid}`)).body.map((o: any) => [o.type, o.state])).toEqual([['Create', 'done']]);
    expect((await get(`/api/backend-resources/${made.body.uuid}/import_resource/`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await get('/api/backend-resources/', { method: 'POST', body: JSON.stringify({ name: 'X', project: 'ffffffffffff4fff8fffffffffffffff' }) })).toMatchObject({ status: 400, body: { project: [expect.stringMatching(/object does not exist/)], offering: ['This field is required.'] } });
  });

  it('logs customers\' creation, update and deletion as events: created_from in epoch seconds, feature=customers, o=created', async () => {
    // waldur_core/logging/filters.py EventFilter (created_from: TimestampFilter, gte) and EventFilterBackend (feature)
    const from = Math.floor(Date.now() / 1000);
    const ctl = (path: string, method: string, body?: object) => fetch(`${sim.url}/__sim/objects/${path}`, { method, body: body ? JSON.stringify(body) : undefined });
    const { uuid } = (await (await ctl('customers', 'POST', { name: 'Evented Org' })).json()) as { uuid: string };
    await ctl(`customers/${uuid}`, 'PATCH', { name: 'Evented Org 2' });
    await ctl(`customers/${uuid}?bump=false`, 'PATCH', { name: 'Quiet bulk edit' }); // a bulk .update() logs nothing
    await ctl(`customers/${uuid}`, 'DELETE');
    const feed = await get(`/api/events/?feature=customers&created_from=${from}&o=created&page_size=300`);
    expect(feed.status).toBe(200);
    const mine = feed.body.filter((e: { context: { customer_uuid?: string } }) => e.context.customer_uuid === uuid);
    expect(mine.map((e: { event_type: string }) => e.event_type)).toEqual(['customer_creation_succeeded', 'customer_update_succeeded', 'customer_deletion_succeeded']);
    expect(feed.body.flatMap((e: unknown, i: number) => sdkViolations(sdk.models, 'Event', e, `Event[${i}]`))).toEqual([]);
    expect(feed.headers.get('x-result-count')).toBe(String(feed.body.length));
    // newest first by default; nothing from a future second; a bad bound is a 400
    expect((await get(`/api/events/?feature=customers&created_from=${from}&page_size=300`)).body.map((e: { uuid: string }) => e.uuid)).toEqual(feed.body.map((e: { uuid: string }) => e.uuid).reverse());
    expect((await get(`/api/events/?feature=customers&created_from=${from + 3600}`)).headers.get('x-result-count')).toBe('0');
    expect(await get('/api/events/?created_from=yesterday')).toMatchObject({ status: 400, body: { created_from: ['Enter a number.'] } });
  });

  it('lets tests change Waldur behind the gateway: create, change (modified moves, or not for a bulk edit), delete', async () => {
    const ctl = (path: string, method: string, body?: object) => fetch(`${sim.url}/__sim/objects/${path}`, { method, body: body ? JSON.stringify(body) : undefined });
    const { uuid } = (await (await ctl('customers', 'POST', { name: 'New Org' })).json()) as { uuid: string };
    expect((await get(`/api/customers/${uuid}/`)).body.name).toBe('New Org');
    const r = '40000000000040008000000000000001';
    const m0 = (await get(`/api/marketplace-resources/${r}/`)).body.modified;
    await ctl(`resources/${r}?bump=false`, 'PATCH', { name: 'Renamed quietly' });
    expect((await get(`/api/marketplace-resources/${r}/`)).body).toMatchObject({ name: 'Renamed quietly', modified: m0 });
    await ctl(`resources/${r}`, 'PATCH', { state: 'Terminated' });
    expect((await get(`/api/marketplace-resources/${r}/`)).body.modified > m0).toBe(true);
    expect((await ctl(`customers/${uuid}`, 'DELETE')).status).toBe(204);
    expect((await get(`/api/customers/${uuid}/`)).status).toBe(404);
  });
});
