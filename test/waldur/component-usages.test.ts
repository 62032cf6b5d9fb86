import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../../src/waldur-sim/server.js';
import { loadSdk, sdkViolations, type SdkModels } from '../support/sdk-models.js';

/**
 * The simulator's component usages against the evidence: shapes from waldur/py-client's models,
 * rules from waldur-mastermind's set_usage (test/fixtures/waldur-sdk/component-usages.json names
 * both commits and the lines), as WALDUR-BILLING-IDENTITY.md §2 cites them.
 */
const sdk = loadSdk<{ models: SdkModels; rules: Record<string, unknown> }>('component-usages.json');
const STAFF = 's'.repeat(40);
const MANAGER = 'm'.repeat(40);
const OWNER = 'o'.repeat(40);
const PROVIDER = '00000000-0000-4000-8000-0000000000a0';
const CLIENT = '00000000-0000-4000-8000-0000000000c0';
const PROJECT = '00000000-0000-4000-8000-0000000000d0';
const OFFERING = '00000000-0000-4000-8000-0000000000e0';
const PLAN = '00000000-0000-4000-8000-0000000000f0';
const R = (n: number) => `00000000-0000-4000-8000-00000000010${n}`;
const hex = (u: string) => u.replace(/-/g, '');

describe("the Waldur simulator's component usages answer as Waldur's do", () => {
  let sim: RunningWaldurSimulator;
  const call = async (method: string, path: string, body?: unknown, token = STAFF) => {
    const res = await fetch(`${sim.url}${path}`, { method, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const setUsage = (body: object, token = MANAGER) => call('POST', '/api/marketplace-component-usages/set_usage/', body, token);
  const usage = (resource: string, amount: string, type = 'cloud_cost') => setUsage({ resource: hex(resource), usages: [{ type, amount, description: 'Arrow consumption' }] });
  const invoiceItems = async () => (await call('GET', `/api/invoices/?customer_uuid=${hex(CLIENT)}&year=2026&month=10`)).body[0]?.items ?? [];

  beforeAll(async () => {
    sim = await startWaldurSimulator(
      {
        token: STAFF,
        users: [
          { token: MANAGER, username: 'arrow-integration', manages: [OFFERING] },
          { token: OWNER, username: 'client-owner' },
        ],
        customers: [{ uuid: PROVIDER, name: 'Arrow provider' }, { uuid: CLIENT, name: 'Client GmbH' }],
        projects: [{ uuid: PROJECT, name: 'Licences', customer: CLIENT }],
        offerings: [
          {
            uuid: OFFERING,
            name: 'Arrow licences',
            customer: PROVIDER,
            components: [
              { type: 'cloud_cost', name: 'Cloud cost', billing_type: 'usage', measured_unit: 'EUR' },
              { type: 'seats', name: 'Seats', billing_type: 'fixed' },
              { type: 'quota', name: 'Quota', billing_type: 'limit' },
            ],
            plans: [{ uuid: PLAN, name: 'Arrow', prices: { cloud_cost: 1, seats: 3 } }],
          },
        ],
        resources: [
          { uuid: R(1), name: 'Azure Plan', project: PROJECT, offering: OFFERING, plan: PLAN, backend_id: 'XSP1' },
          { uuid: R(2), name: 'No plan', project: PROJECT, offering: OFFERING },
          { uuid: R(3), name: 'Gone', project: PROJECT, offering: OFFERING, plan: PLAN, state: 'Terminated' },
          { uuid: R(4), name: 'Second', project: PROJECT, offering: OFFERING, plan: PLAN },
        ],
      },
      { now: new Date('2026-10-15T12:00:00Z') },
    );
  });
  afterAll(() => sim.close());

  it("takes an offering manager's usage with 201 and no body, and bills it as one item: usage × the plan's price, named resource / component", async () => {
    expect(await usage(R(1), '15.50')).toEqual({ status: 201, body: undefined });
    const items = await invoiceItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'Azure Plan / Cloud cost', unit_price: '1.00', quantity: '15.50', total: '15.50', measured_unit: 'EUR', resource_uuid: hex(R(1)), details: { offering_component_type: 'cloud_cost', resource_uuid: hex(R(1)), plan_uuid: hex(PLAN) } });
    // the item spans the month (the plan period began before it)
    expect([items[0].start, items[0].end]).toEqual(['2026-10-01T00:00:00Z', '2026-10-31T23:59:59Z']);
    // the request body is py-client's ComponentUsageCreateRequest, each usage its ComponentUsageItemRequest
    const body = { resource: hex(R(1)), usages: [{ type: 'cloud_cost', amount: '15.50', description: 'Arrow consumption' }] };
    expect(sdkViolations(sdk.models, 'ComponentUsageCreateRequest', body, 'body')).toEqual([]);
    expect(sdkViolations(sdk.models, 'ComponentUsageItemRequest', body.usages[0], 'usage')).toEqual([]);
  });

  it('replaces the month’s usage (update_or_create) and the item’s quantity: a repeat bills nothing twice', async () => {
    expect((await usage(R(1), '20.25')).status).toBe(201);
    expect((await usage(R(1), '20.25')).status).toBe(201);
    const items = await invoiceItems();
    expect(items.map((i: { name: string; quantity: string }) => [i.name, i.quantity])).toEqual([['Azure Plan / Cloud cost', '20.25']]);
    const listed = await call('GET', `/api/marketplace-component-usages/?resource_uuid=${hex(R(1))}&billing_period=2026-10-01`);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({ type: 'cloud_cost', usage: '20.25', billing_period: '2026-10-01', resource_uuid: hex(R(1)), customer_uuid: hex(CLIENT) });
    // py-client annotates usage as int but keeps what it gets; Django REST framework writes a DecimalField as a string
    expect(sdkViolations(sdk.models, 'ComponentUsage', listed.body[0], 'usage')).toEqual(['usage.usage: "20.25" is not integer']);
  });

  it("serves the offering's components and its plans' prices as py-client's OfferingComponent and BaseProviderPlan", async () => {
    const offering = (await call('GET', `/api/marketplace-provider-offerings/${hex(OFFERING)}/`)).body;
    for (const c of offering.components) expect(sdkViolations(sdk.models, 'OfferingComponent', c, 'component')).toEqual([]);
    for (const p of offering.plans) expect(sdkViolations(sdk.models, 'BaseProviderPlan', p, 'plan')).toEqual([]);
    expect(offering.components.map((c: { type: string; billing_type: string }) => [c.type, c.billing_type])).toEqual([['cloud_cost', 'usage'], ['seats', 'fixed'], ['quota', 'limit']]);
    expect(offering.plans[0].prices).toEqual({ cloud_cost: 1, seats: 3 });
  });

  it("refuses as Waldur's serializer does, field by field, and changes nothing", async () => {
    const before = await invoiceItems();
    expect(await setUsage({ resource: hex(R(1)) })).toEqual({ status: 400, body: { usages: ['This field is required.'] } });
    expect(await setUsage({ resource: hex(R(1)), usages: [{ type: 'cloud_cost', amount: '1.005' }] })).toEqual({ status: 400, body: { usages: [{ amount: ['Ensure that there are no more than 2 decimal places.'] }] } });
    expect(await setUsage({ resource: hex(R(1)), usages: [{ type: 'cloud_cost', amount: 'ten' }] })).toEqual({ status: 400, body: { usages: [{ amount: ['A valid number is required.'] }] } });
    expect(await setUsage({ resource: 'f'.repeat(32), usages: [{ type: 'cloud_cost', amount: '1' }] })).toEqual({ status: 400, body: { resource: [`Object with uuid=${'f'.repeat(32)} does not exist.`] } });
    expect(await setUsage({ usages: [{ type: 'cloud_cost', amount: '1' }] })).toEqual({ status: 400, body: { non_field_errors: [sdk.rules.no_target] } });
    // a resource not in OK, Updating or Terminating
    expect(await usage(R(3), '1.00')).toEqual({ status: 400, body: sdk.rules.bad_state });
    // a component that is not usage- or limit-billed, or not the offering's at all
    expect(await setUsage({ resource: hex(R(1)), usages: [{ type: 'seats', amount: '1' }, { type: 'nope', amount: '1' }] })).toEqual({ status: 400, body: { non_field_errors: ['These components are invalid: nope, seats.'] } });
    expect(await invoiceItems()).toEqual(before);
  });

  it('takes usage only from staff and those with SET_RESOURCE_USAGE on the offering (checked after validation)', async () => {
    expect(await usage(R(4), '1.00').then(() => setUsage({ resource: hex(R(4)), usages: [{ type: 'cloud_cost', amount: '2.00' }] }, OWNER))).toEqual({ status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    // a refusal by validation comes before the permission's
    expect((await setUsage({ resource: hex(R(3)), usages: [{ type: 'cloud_cost', amount: '2.00' }] }, OWNER)).status).toBe(400);
    expect((await setUsage({ resource: hex(R(4)), usages: [{ type: 'cloud_cost', amount: '3.00' }] }, STAFF)).status).toBe(201);
    const item = (await invoiceItems()).find((i: { name: string }) => i.name === 'Second / Cloud cost');
    expect(item.quantity).toBe('3.00');
  });

  it("keeps a limit component's usage and a plan-less resource's without invoicing them; refuses a closed plan period", async () => {
    const before = (await invoiceItems()).length;
    expect((await usage(R(1), '7', 'quota')).status).toBe(201);
    expect((await usage(R(2), '9.00')).status).toBe(201);
    expect(await invoiceItems()).toHaveLength(before);
    const usages = await call('GET', `/api/marketplace-component-usages/?billing_period=2026-10-01`);
    expect(usages.body.map((u: { resource_name: string; type: string }) => `${u.resource_name}:${u.type}`).sort()).toEqual(['Azure Plan:cloud_cost', 'Azure Plan:quota', 'No plan:cloud_cost', 'Second:cloud_cost']);
    // a plan period that ended before this month
    const period = await (await fetch(`${sim.url}/__sim/plan-periods/${hex(R(4))}/`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ end: '2026-09-30T00:00:00Z' }) })).json();
    expect(await setUsage({ plan_period: period.uuid, usages: [{ type: 'cloud_cost', amount: '1' }] })).toEqual({ status: 400, body: { plan_period: [sdk.rules.closed_plan_period] } });
  });

  it("bills usage in the month of the simulator's today: a new month, a new invoice", async () => {
    await fetch(`${sim.url}/__sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2026-11-02T08:00:00Z' }) });
    expect((await usage(R(1), '1.25')).status).toBe(201);
    const november = (await call('GET', `/api/invoices/?customer_uuid=${hex(CLIENT)}&year=2026&month=11`)).body[0];
    expect(november.items.map((i: { name: string; quantity: string }) => [i.name, i.quantity])).toEqual([['Azure Plan / Cloud cost', '1.25']]);
    // October's stays as it was
    expect((await invoiceItems()).find((i: { name: string }) => i.name === 'Azure Plan / Cloud cost').quantity).toBe('20.25');
  });
});
