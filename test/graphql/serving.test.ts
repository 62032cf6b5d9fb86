import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies } from '../support/seed.js';
import { DEFAULT_GRAPHIQL_QUERY, maskError } from '../../src/graphql/yoga.js';
import { NotFoundError } from '../../src/domain/errors.js';

let gw: TestGateway;
let mappingUuid: string;
let settingsUuid: string;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(2, '2026-10'));
  const offering = { uuid: await createOffering(gw, 'Arrow') };
  const settings = await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
  settingsUuid = settings.uuid;
  mappingUuid = (await seedCompanies(gw, { n: 2, settingsUuid: settings.uuid, offeringUuid: offering.uuid }))[0]!.mappingUuid!;
});
afterAll(() => gw.close());

describe('serving GraphQL', () => {
  it("answers GraphiQL's default query: a whole mappings screen", async () => {
    const sync = await gw.gql(`mutation { runConsumptionSync(period: "2026-10", settingsUuid: "${settingsUuid}") { __typename } }`);
    expect(sync.data.runConsumptionSync.__typename).toBe('MutationRunConsumptionSyncSuccess');
    const res = await gw.gql(DEFAULT_GRAPHIQL_QUERY, { period: '2026-10' });
    expect(res.errors).toBeUndefined();
    expect(res.data.customerMappings.totalCount).toBe(2);
    expect(res.data.customerMappings.edges[0].node.arrowData.consumptionTotalSell).toBe('15.50');
  });

  it('serves GraphiQL to a browser', async () => {
    const res = await gw.yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('MappingsScreen');
  });

  it('finds a mapping by its global id through node(id)', async () => {
    const { data } = await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { id } }`, { uuid: mappingUuid });
    const node = await gw.gql(`query($id: ID!) { node(id: $id) { __typename ... on CustomerMapping { uuid } } }`, { id: data.customerMapping.id });
    expect(node.data).toEqual({ node: { __typename: 'CustomerMapping', uuid: mappingUuid } });
  });

  it('answers node(id) for a missing record with null, and a malformed id with an error that says so', async () => {
    const node = (id: string) => gw.gql('query($id: ID!) { node(id: $id) { __typename } }', { id });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(await node(b64('CustomerMapping:00000000-0000-4000-8000-000000000000'))).toEqual({ data: { node: null } });
    const notUuid = await node(b64('CustomerMapping:not-a-uuid'));
    expect(notUuid.data).toEqual({ node: null });
    expect(notUuid.errors?.[0]).toMatchObject({ message: `Invalid global ID "${b64('CustomerMapping:not-a-uuid')}": its key "not-a-uuid" is not a UUID`, extensions: { code: 'BAD_USER_INPUT' } });
    for (const id of ['', 'x', '!!!', b64('Nope:1')]) {
      const r = await node(id);
      expect(r.data).toEqual({ node: null });
      expect(r.errors?.[0]?.message.length).toBeGreaterThan(0);
      expect(r.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('refuses a query deeper than the limit', async () => {
    let inner = 'uuid';
    for (let i = 0; i < 7; i++) inner = `mappings { waldurCustomer { ${inner} } }`;
    const res = await gw.gql(`{ waldurCustomers(first: 1) { edges { node { ${inner} } } } }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/depth|cost/i);
  });

  it('refuses a query more complex than the limit', async () => {
    const fields = Array.from({ length: 250 }, (_, i) => `a${i}: customerMappings(first: 300) { edges { node { waldurResources { project { resources { uuid } } } } } }`).join('\n');
    const res = await gw.gql(`{ ${fields} }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/complexity|breadth|aliases|root fields|cost/i);
  });

  it('masks unexpected errors, keeping domain errors with their code', () => {
    const hidden = maskError(new GraphQLError('boom', { originalError: new Error('connection string postgres://u:secret@db') }), 'Unexpected error.');
    expect(hidden.message).toBe('Unexpected error.');
    expect(JSON.stringify(hidden)).not.toContain('secret');
    const shown = maskError(new GraphQLError('x', { originalError: new NotFoundError('Customer mapping 1 not found') }), 'Unexpected error.') as GraphQLError;
    expect(shown.message).toBe('Customer mapping 1 not found');
    expect(shown.extensions.code).toBe('NOT_FOUND');
  });
});
