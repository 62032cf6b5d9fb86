import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import type { SeededCompany } from '../support/seed.js';

const globalId = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');

/** What a GraphQL client meets: refetching by id, and errors typed by their cause. */
describe('refetching by id, and errors by cause', () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  beforeAll(async () => {
    ({ gw, companies } = await startSeededGateway(1, '2026-10'));
  });
  afterAll(async () => gw?.close());

  it('nodes(ids:) answers null for a bad id alone, with its error at its index; viewer and the good ids stay', async () => {
    const mapping = globalId('CustomerMapping', companies[0]!.mappingUuid!);
    const answer = await gw.gql(`{ viewer { username } nodes(ids: ["${mapping}", "bad", "${globalId('Nope', companies[0]!.mappingUuid!)}", "${globalId('Resource', '6c2b7b1e-1111-4111-8111-111111111111')}"]) { id __typename } }`);
    expect(answer.data).toEqual({ viewer: { username: 'staff' }, nodes: [{ id: mapping, __typename: 'CustomerMapping' }, null, null, null] });
    expect(answer.errors!.map((e) => (e as { path?: unknown[] }).path)).toEqual([['nodes', 1], ['nodes', 2]]);
    expect(answer.errors![0]!.message).toContain('Invalid global ID "bad": it is not Base64 of "Type:uuid"');
    expect(answer.errors![1]!.message).toContain('it names type Nope, which is not a node here (nodes: ');
    expect(answer.errors![1]!.message).not.toContain('has not been implemented');
  });

  it('node(id:) of an id naming no node type says which types are nodes', async () => {
    const answer = await gw.gql(`{ node(id: "${globalId('Nope', companies[0]!.mappingUuid!)}") { id } }`);
    expect(answer.data).toEqual({ node: null });
    expect(answer.errors![0]).toMatchObject({ path: ['node'], extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('CustomerMapping') });
  });

  it('a licence Arrow does not have is NotFoundError in both lookups; an empty reference is ValidationError naming the GraphQL argument', async () => {
    const q = (field: string, ref: string) => gw.gql(`{ ${field}(licenseReference: "${ref}"${field === 'arrowLicenceConsumption' ? ', period: "2026-10"' : ''}) { __typename ... on Error { message } ... on ValidationError { fields { field } } } }`);
    expect((await q('arrowLicenceConsumption', 'NO-SUCH-LICENCE')).data.arrowLicenceConsumption).toEqual({ __typename: 'NotFoundError', message: 'Arrow has no licence NO-SUCH-LICENCE' });
    expect((await q('arrowLicence', 'NO-SUCH-LICENCE')).data.arrowLicence).toEqual({ __typename: 'NotFoundError', message: 'Arrow has no licence NO-SUCH-LICENCE' });
    for (const field of ['arrowLicenceConsumption', 'arrowLicence']) {
      const empty = (await q(field, '')).data[field];
      expect(empty).toEqual({ __typename: 'ValidationError', message: 'This field may not be blank.', fields: [{ field: 'licenseReference' }] });
    }
  });

  it("a ValidationError's message speaks GraphQL's names, not REST's", async () => {
    const answer = await gw.gql('{ arrowBillingExport(periodFrom: "2026-10", periodTo: "2026-09") { __typename ... on ValidationError { message fields { field } } } }');
    expect(answer.data.arrowBillingExport).toEqual({ __typename: 'ValidationError', message: 'The first month must not be after the last month', fields: [{ field: 'periodFrom' }] });
  });
});
