import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';

/** Every GraphQL error says what is wrong, with a code, once, in the client's own words. */
describe('GraphQL errors a client can act on', () => {
  let gw: TestGateway;
  let mappingUuid: string;
  let settingsUuid: string;
  beforeAll(async () => {
    let companies;
    ({ gw, settingsUuid, companies } = await startSeededGateway(1, '2026-10'));
    mappingUuid = companies[0]!.mappingUuid!;
  });
  afterAll(() => gw.close());

  it.each([
    ['a negative first', '{ customerMappings(first: -1) { totalCount } }', 'Argument "first" must be a non-negative integer'],
    ['a bad cursor', '{ customerMappings(first: 2, after: "garbage") { totalCount } }', 'Invalid cursor: garbage'],
    ['a global id of no type', '{ node(id: "bm9wZQ==") { id } }', 'Invalid global ID "bm9wZQ==": it is not Base64 of "Type:uuid" (take ids from the id field of a node)'],
    ['a global id that is not base64', '{ node(id: "xx") { id } }', 'Invalid global ID "xx": it is not Base64 of "Type:uuid" (take ids from the id field of a node)'],
  ])('%s is a BAD_USER_INPUT error', async (_what, query, message) => {
    const r = await gw.gql(query);
    expect(r.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it("names a nested input's field under its own variable, not as a phantom variable", async () => {
    const r = await gw.gql('mutation($i: CreateCustomerMappingInput!) { createCustomerMapping(input: $i) { __typename } }', {
      i: { settingsUuid: 'bad', arrowReference: 'x', waldurCustomerUuid: settingsUuid },
    });
    expect(r.errors).toEqual([
      expect.objectContaining({ message: 'Variable "$i" got invalid value "bad" at "i.settingsUuid"; Value is not a valid UUID: bad', extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(await gw.t.db.prisma.customerMapping.count()).toBe(1);
  });

  it('reports a document over the limits once, not once per root field', async () => {
    // refused on its shape before it runs (400 root fields, over the 30 allowed), so no field reports it again
    const r = await gw.gql(`{ ${Array.from({ length: 400 }, (_, i) => `a${i}: viewer { username }`).join(' ')} }`);
    expect(r.errors).toEqual([expect.objectContaining({ message: 'Query exceeds maximum number of root fields (max: 30)', extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
  });

  it('refuses an empty period rather than reading it as this month', async () => {
    const r = await gw.gql('query($uuid: UUID!) { customerMapping(uuid: $uuid) { arrowData(period: "") { period } } }', { uuid: mappingUuid });
    expect(r.errors).toEqual([expect.objectContaining({ message: 'Use a month as YYYY-MM, e.g. 2026-11.', extensions: { code: 'BAD_USER_INPUT' } })]);
    const run = await gw.gql('mutation { runConsumptionSync(period: "") { __typename ... on ValidationError { fields { field } } } }');
    expect(run.data.runConsumptionSync).toEqual({ __typename: 'ValidationError', fields: [{ field: 'period' }] });
  });

  it('tells an unknown token from a missing one', async () => {
    expect((await gw.gql('{ customerMappings(first: 1) { totalCount } }', {}, 'not-a-token')).errors).toEqual([
      expect.objectContaining({ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect((await gw.gql('{ customerMappings(first: 1) { totalCount } }', {}, null)).errors).toEqual([
      expect.objectContaining({ message: 'Authentication required: send "Authorization: Token <key>".', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  it('gives every error of a failed document a code', async () => {
    for (const query of ['{ nope }', '{ viewer { username ', 'query($x: Int!) { viewer { username } }']) {
      const r = await gw.gql(query, {});
      expect(r.errors!.length).toBeGreaterThan(0);
      for (const e of r.errors!) expect(e.extensions?.code).toMatch(/^[A-Z_]+$/);
    }
  });
});
