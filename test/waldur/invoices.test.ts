import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../../src/waldur-sim/server.js';
import { loadSdk, sdkViolations, type SdkModels } from '../support/sdk-models.js';

/**
 * The simulator's invoices and import_usage against the evidence: shapes from waldur/py-client's
 * models (test/fixtures/waldur-sdk/invoices.json names the commit), rules from waldur-mastermind's
 * invoices/views.py `InvoiceViewSet.import_usage` and invoices/models.py `Invoice.States`
 * (MUTABLE_STATES = pending, pending_finalization), as WALDUR-BILLING-IDENTITY.md §2 cites them.
 */
const sdk = loadSdk<{ models: SdkModels }>('invoices.json');
const STAFF = 's'.repeat(40);
const OWNER = 'o'.repeat(40);
const ALPHA = '00000000-0000-4000-8000-00000000000a';
const BETA = '00000000-0000-4000-8000-00000000000b';

describe("the Waldur simulator's invoices answer as Waldur's do", () => {
  let sim: RunningWaldurSimulator;
  const call = async (method: string, path: string, body?: unknown, token = STAFF) => {
    const res = await fetch(`${sim.url}${path}`, { method, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const importUsage = (items: object[], token = STAFF, period = { year: 2026, month: 10 }) => call('POST', '/api/invoices/import_usage/', { ...period, items }, token);

  beforeAll(async () => {
    sim = await startWaldurSimulator({
      token: STAFF,
      users: [{ token: OWNER, username: 'owner' }],
      customers: [{ uuid: ALPHA, name: 'Alpha GmbH' }, { uuid: BETA, name: 'Beta Ltd' }],
      projects: [],
      offerings: [],
      resources: [],
    });
  });
  afterAll(() => sim.close());

  it('imports items as quantity 1 on the customer’s invoice of the month, answering {created, skipped, errors} as py-client parses it', async () => {
    const r = await importUsage([
      { name: 'Microsoft - Azure Plan (2026-10)', unit_price: '100.25', customer_uuid: ALPHA.replace(/-/g, ''), article_code: 'ARW-1' },
      { name: 'Credit', unit_price: '-10.50', customer_name: 'beta ltd', article_code: 'ARW-2' },
    ]);
    expect(r).toEqual({ status: 200, body: { created: 2, skipped: 0, errors: [] } });
    expect(sdkViolations(sdk.models, 'ImportUsageResponse', r.body, 'import_usage')).toEqual([]);
    const invoices = await call('GET', `/api/invoices/?customer_uuid=${ALPHA}&year=2026&month=10`);
    expect(invoices.body).toHaveLength(1);
    for (const invoice of invoices.body) expect(sdkViolations(sdk.models, 'Invoice', invoice, 'invoice')).toEqual([]);
    expect(invoices.body[0]).toMatchObject({ state: 'pending', year: 2026, month: 10, total: '100.25', items: [{ name: 'Microsoft - Azure Plan (2026-10)', article_code: 'ARW-1', unit_price: '100.25', quantity: '1.00', unit: 'quantity' }] });
    const beta = await call('GET', `/api/invoices/?customer_uuid=${BETA}&year=2026&month=10`);
    expect(beta.body[0]).toMatchObject({ total: '-10.50', compensations: -10.5 });
  });

  it('skips an item whose name and article code the invoice already has, and a zero amount (views.py: idempotency)', async () => {
    const again = await importUsage([
      { name: 'Microsoft - Azure Plan (2026-10)', unit_price: '100.25', customer_uuid: ALPHA, article_code: 'ARW-1' },
      { name: 'Nothing', unit_price: '0.00', customer_uuid: ALPHA, article_code: 'ARW-3' },
      // the same name with another article code is another item
      { name: 'Microsoft - Azure Plan (2026-10)', unit_price: '1.00', customer_uuid: ALPHA, article_code: 'ARW-4' },
    ]);
    expect(again.body).toEqual({ created: 1, skipped: 2, errors: [] });
    const invoice = (await call('GET', `/api/invoices/?customer_uuid=${ALPHA}&year=2026&month=10`)).body[0];
    expect(invoice.items.map((i: { article_code: string }) => i.article_code)).toEqual(['ARW-1', 'ARW-4']);
  });

  it('refuses items for an invoice no longer mutable, naming its state, and names a customer it cannot find', async () => {
    const invoice = (await call('GET', `/api/invoices/?customer_uuid=${ALPHA}&year=2026&month=10`)).body[0];
    await fetch(`${sim.url}/__sim/invoices/${invoice.uuid}/`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'created' }) });
    const r = await importUsage([
      { name: 'Late line', unit_price: '5', customer_uuid: ALPHA, article_code: 'ARW-5' },
      { name: 'Nobody', unit_price: '5', customer_uuid: '00000000-0000-4000-8000-0000000000ff' },
      { name: 'Nobody by name', unit_price: '5', customer_name: 'No Such Org' },
    ]);
    expect(r.body).toEqual({
      created: 0,
      skipped: 0,
      errors: [
        { customer_name: 'Alpha GmbH', reason: "Invoice is in 'created' state, items can only be added to mutable invoices" },
        { customer_name: '000000000000400080000000000000ff', reason: 'Customer not found' },
        { customer_name: 'No Such Org', reason: 'Customer not found' },
      ],
    });
    // pending_finalization is still mutable
    await fetch(`${sim.url}/__sim/invoices/${invoice.uuid}/`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'pending_finalization' }) });
    expect((await importUsage([{ name: 'Late line', unit_price: '5', customer_uuid: ALPHA, article_code: 'ARW-5' }])).body).toEqual({ created: 1, skipped: 0, errors: [] });
  });

  it('is for staff only (import_usage_permissions = [is_staff]), and validates as ImportUsageSerializer does', async () => {
    expect(await importUsage([{ name: 'x', unit_price: '1', customer_uuid: ALPHA }], OWNER)).toEqual({ status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    expect(await importUsage([])).toEqual({ status: 400, body: { items: ['At least one item is required.'] } });
    expect((await importUsage([{ name: 'x', unit_price: '1', customer_uuid: ALPHA }], STAFF, { year: 1999, month: 13 })).status).toBe(400);
    expect((await importUsage([{ name: 'x', unit_price: '1' }])).status).toBe(400);
  });
});
