import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';

const period = '2026-10';
const SCREEN = `query($uuid: UUID!, $period: String) {
  customerMapping(uuid: $uuid) { arrowLicenses { licenseReference } arrowData(period: $period) { billingTotalSell } }
}`;
const UPDATE = `mutation($uuid: UUID!, $input: UpdateArrowSettingsInput!) {
  updateArrowSettings(uuid: $uuid, input: $input) { __typename ... on Error { message } } }`;

/**
 * A settings update drops the settings' cached Arrow data only when what Arrow answers may change
 * (URL, key, export type, classification) or when it names no field ("look again"): changing how
 * billing reaches Waldur, the flows or the invoice prefix leaves the next screen warm.
 */
describe('which settings updates drop cached Arrow data', () => {
  let gw: TestGateway;
  let rest: { base: string; close(): Promise<void> };
  let company: SeededCompany;
  let settingsUuid: string;
  /** The Arrow requests the screen made. */
  const arrowRequestsOfScreen = async () => {
    gw.sim.resetStats();
    const r = await gw.gql(SCREEN, { uuid: company.mappingUuid, period });
    expect(r.errors).toBeUndefined();
    return Object.values(gw.sim.stats()).reduce((a, b) => a + b, 0);
  };
  const update = async (input: Record<string, unknown>) => expect((await gw.gql(UPDATE, { uuid: settingsUuid, input })).data.updateArrowSettings).toEqual({ __typename: 'MutationUpdateArrowSettingsSuccess' });

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(2, period), { cacheTtlMs: 600_000 });
    rest = await listen(gw.server);
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    [company] = await seedCompanies(gw, { n: 2, settingsUuid, offeringUuid });
  });
  afterAll(async () => {
    await rest.close();
    await gw.close();
  });

  it('keeps it through changes Arrow does not see', async () => {
    expect(await arrowRequestsOfScreen()).toBeGreaterThan(0);
    expect(await arrowRequestsOfScreen()).toBe(0);
    await update({ syncEnabled: true });
    await update({ invoiceItemPrefix: 'Arrow: ', invoicePriceSource: 'buy' });
    await update({ isActive: true });
    expect(await arrowRequestsOfScreen()).toBe(0);
    // REST: a PATCH of the flows, and a PUT that names the same URL again (as Waldur's SDK sends the whole object)
    const headers = { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' };
    const patch = await fetch(`${rest.base}/api/admin/arrow/settings/${settingsUuid}/`, { method: 'PATCH', headers, body: JSON.stringify({ sync_enabled: false }) });
    expect(patch.status).toBe(200);
    const put = await fetch(`${rest.base}/api/admin/arrow/settings/${settingsUuid}/`, { method: 'PUT', headers, body: JSON.stringify({ api_url: gw.sim.apiUrl }) });
    expect(put.status).toBe(200);
    expect(await arrowRequestsOfScreen()).toBe(0);
  });

  it('drops it when asked to look again (an update naming no field), in GraphQL and REST', async () => {
    await update({});
    expect(await arrowRequestsOfScreen()).toBeGreaterThan(0);
    expect(await arrowRequestsOfScreen()).toBe(0);
    const headers = { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' };
    expect((await fetch(`${rest.base}/api/admin/arrow/settings/${settingsUuid}/`, { method: 'PATCH', headers, body: '{}' })).status).toBe(200);
    expect(await arrowRequestsOfScreen()).toBeGreaterThan(0);
  });

  it('drops it when what Arrow is asked changes', async () => {
    expect(await arrowRequestsOfScreen()).toBe(0);
    await update({ classificationFilter: 'SAAS' });
    expect(await arrowRequestsOfScreen()).toBeGreaterThan(0);
    await update({ classificationFilter: 'SAAS' }); // the same value again changes nothing
    expect(await arrowRequestsOfScreen()).toBe(0);
    // the same Arrow by another name: another URL (the key given again, as another host needs)
    await update({ apiUrl: gw.sim.apiUrl.replace('127.0.0.1', 'localhost'), apiKey: 'test-key' });
    expect(await arrowRequestsOfScreen()).toBeGreaterThan(0);
  });
});
