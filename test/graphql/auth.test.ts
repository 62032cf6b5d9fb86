import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, getNullableType, isCompositeType, isInputObjectType, isListType, isNonNullType, isEnumType, type GraphQLInputType, type GraphQLField } from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture } from '../support/seed.js';

/** A literal for a required input of this type (only what validation needs). */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isInputObjectType(named)) {
    const required = Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  switch (named.name) {
    case 'UUID': return '"00000000-0000-4000-8000-000000000000"';
    case 'ID': return '"Q3VzdG9tZXJNYXBwaW5nOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="';
    case 'Int': return '1';
    case 'Float': return '0.5';
    case 'Boolean': return 'false';
    default: return '"x"';
  }
}

function document(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type)}`).join(', ')})` : '';
  const type = getNamedType(getNullableType(field.type));
  const selection = isCompositeType(type) ? ' { __typename }' : '';
  return `${kind} { ${field.name}${argText}${selection} }`;
}

const roots = [
  ...Object.values(schema.getQueryType()!.getFields()).map((f) => ['query', f] as const),
  ...Object.values(schema.getMutationType()!.getFields()).map((f) => ['mutation', f] as const),
].filter(([, f]) => f.name !== 'viewer');

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(1, '2026-10'));
  await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key' } });
});
afterAll(() => gw.close());

describe('every root field but viewer needs a staff user', () => {
  it('covers every root query and mutation', () => {
    expect(roots.length).toBeGreaterThanOrEqual(20);
  });

  it.each(roots.map(([kind, f]) => [`${kind} ${f.name}`, kind, f] as const))('%s', async (_name, kind, field) => {
    const doc = document(kind, field);
    const before = await gw.t.db.prisma.customerMapping.count();

    const anonymous = await gw.gql(doc, {}, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code), doc).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data?.[field.name] ?? null).toBeNull();

    const wrongToken = await gw.gql(doc, {}, 'f'.repeat(40));
    expect(wrongToken.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    const user = await gw.gql(doc, {}, gw.userToken);
    expect(user.errors?.map((e) => e.extensions?.code), doc).toEqual(['FORBIDDEN']);
    expect(user.data?.[field.name] ?? null).toBeNull();

    const staff = await gw.gql(doc, {}, gw.staffToken);
    const codes = (staff.errors ?? []).map((e) => e.extensions?.code);
    expect(codes, JSON.stringify(staff.errors)).not.toContain('UNAUTHENTICATED');
    expect(codes).not.toContain('FORBIDDEN');
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(await gw.t.db.prisma.customerMapping.count()).toBe(before);
  });

  it('answers viewer for everyone: null when anonymous', async () => {
    expect((await gw.gql('{ viewer { username isStaff } }', {}, null)).data).toEqual({ viewer: null });
    expect((await gw.gql('{ viewer { username isStaff } }', {}, gw.userToken)).data).toEqual({ viewer: { username: 'user', isStaff: false } });
    expect((await gw.gql('{ viewer { username isStaff } }')).data).toEqual({ viewer: { username: 'staff', isStaff: true } });
  });
});
