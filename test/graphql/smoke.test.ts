import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies } from '../support/seed.js';
import { DEFAULT_GRAPHIQL_QUERY } from '../../src/graphql/yoga.js';

const period = '2026-10';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(3, period));
  const offering = await gw.t.db.prisma.offering.create({ data: { name: 'Arrow' } });
  const settings = await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
  await seedCompanies(gw.t.db.prisma, { n: 3, settingsUuid: settings.uuid, offeringUuid: offering.uuid });
});
afterAll(() => gw.close());

describe('smoke', () => {
  it('answers the GraphiQL default query', async () => {
    const res = await gw.gql(DEFAULT_GRAPHIQL_QUERY, { period });
    expect(res.errors).toBeUndefined();
    console.log(JSON.stringify(res.data.customerMappings.edges[0], null, 1).slice(0, 3000));
  });
});
