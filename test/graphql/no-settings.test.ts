import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture } from '../support/seed.js';
import { listen } from '../support/http.js';

// A gateway with no Arrow settings at all: the actions that need them say so and change nothing.
let gw: TestGateway;
let http: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(1, '2026-10'));
  http = await listen(gw.server);
});
afterAll(async () => {
  await http.close();
  await gw.close();
});

const rest = async (method: string, path: string) => {
  const res = await fetch(`${http.base}/api/admin/arrow/customer-mappings/${path}`, { method, headers: { authorization: `Token ${gw.staffToken}` } });
  return { status: res.status, body: await res.json() };
};

describe('without any Arrow settings', () => {
  it('sync_from_arrow answers "No Arrow settings found"', async () => {
    expect(await rest('POST', 'sync_from_arrow/')).toEqual({ status: 400, body: { error: 'No Arrow settings found' } });
    const r = await gw.gql('mutation { syncCustomersFromArrow { ... on Error { __typename message } } }');
    expect(r.data.syncCustomersFromArrow).toEqual({ __typename: 'ValidationError', message: 'No Arrow settings found' });
  });

  it('available_customers answers "No active Arrow settings configured"', async () => {
    expect(await rest('GET', 'available_customers/')).toEqual({ status: 400, body: { detail: 'No active Arrow settings configured' } });
  });

  it('a flow records that it had nothing to work with', async () => {
    const r = await gw.gql('mutation { runBillingSync(period: "2026-10") { ... on MutationRunBillingSyncSuccess { run { status message } } } }');
    expect(r.data.runBillingSync.run).toEqual({ status: 'SKIPPED', message: 'No active Arrow settings configured' });
  });
});
