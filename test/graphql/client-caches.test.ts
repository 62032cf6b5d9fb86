import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import fs from 'node:fs';
import { buildSchema, introspectionFromSchema, print, type DocumentNode } from 'graphql';
import possibleTypes from '../../possible-types.json' with { type: 'json' };
import { BillingScreenDocument, CreateMappingDocument, ImportLicenseDocument, LinkResourceDocument, MappingsScreenDocument, UnlinkResourceDocument, UnmappedScreenDocument } from '../../console/src/gql/graphql.js';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import type { SeededCompany } from '../support/seed.js';

/**
 * Real GraphQL clients with normalized caches (Apollo Client 4's InMemoryCache, urql's graphcache),
 * fed the shipped possible types, through the console's own documents: after each write the
 * screen they hold equals a fresh fetch, with no request but the write's and no cache warning.
 */
const period = '2026-10';
const screenVars = { first: 10, period };

/** Data without the __typename fields a client adds to every selection. */
function withoutTypenames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypenames);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '__typename').map(([k, v]) => [k, withoutTypenames(v)]));
  return value;
}

describe("normalized client caches, through the console's documents", () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let offeringUuid: string;
  let settingsUuid: string;
  let requests = 0;
  const warnings: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    requests++;
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Token ${gw.staffToken}`);
    return gw.yoga.fetch(String(input instanceof Request ? input.url : input), { ...init, headers });
  };
  /** The screen as the gateway answers it now, outside any client. */
  const fresh = async () => withoutTypenames((await gw.gql(print(MappingsScreenDocument as DocumentNode), screenVars)).data);

  beforeAll(async () => {
    // companies 3 and 4 are not mapped: each client maps one
    const seeded = await startSeededGateway(5, period, { mapped: 3 });
    ({ gw, companies, offeringUuid, settingsUuid } = seeded);
    for (const level of ['warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await gw?.close();
  });

  type Write = { doc: DocumentNode; vars: () => Record<string, unknown>; field: string };
  /** A new mapping goes first in the screen's list (newest first): what a client's update adds, from the create's answer. */
  type Screen = { customerMappings: { totalCount: number; edges: { __typename?: string; node: unknown }[] } };
  const withNewMapping = <S extends Screen>(screen: S, mapping: unknown): S => ({
    ...screen,
    customerMappings: { ...screen.customerMappings, totalCount: screen.customerMappings.totalCount + 1, edges: [{ __typename: screen.customerMappings.edges[0]!.__typename, node: mapping }, ...screen.customerMappings.edges] },
  });
  const create = (i: number): [string, Write] => [
    'create mapping',
    { doc: CreateMappingDocument as DocumentNode, vars: () => ({ input: { settingsUuid, arrowReference: `XSP50000${i}`, waldurCustomerUuid: companies[i]!.customerUuid }, period }), field: 'createCustomerMapping' },
  ];
  /** A link, an unlink and an import, on company i's mapping (each client its own company). */
  const writes = (i: number): [string, Write][] => [
    ['link', { doc: LinkResourceDocument as DocumentNode, vars: () => ({ mappingUuid: companies[i]!.mappingUuid, resourceUuid: companies[i]!.resourceUuids[1], licenseReference: `XSP7000${i}1`, period }), field: 'linkResource' }],
    ['unlink', { doc: UnlinkResourceDocument as DocumentNode, vars: () => ({ mappingUuid: companies[i]!.mappingUuid, resourceUuid: companies[i]!.resourceUuids[1], period }), field: 'unlinkResource' }],
    ['import', { doc: ImportLicenseDocument as DocumentNode, vars: () => ({ mappingUuid: companies[i]!.mappingUuid, licenseReference: `XSP7000${i}1`, projectUuid: companies[i]!.projectUuid, offeringUuid, period }), field: 'importLicense' }],
  ];

  it('Apollo Client (InMemoryCache with possible-types.json): each write updates the cached screen, no extra request, no warning', async () => {
    // as the README sets it up: the possible types, and a write's answer replacing a mapping's lists
    const typePolicies = { CustomerMapping: { fields: { waldurResources: { merge: false }, arrowLicenses: { merge: false }, suggestions: { merge: false } } } };
    const client = new ApolloClient({ link: new HttpLink({ uri: 'http://yoga/graphql', fetch: fetchFn }), cache: new InMemoryCache({ possibleTypes, typePolicies }) });
    await client.query({ query: MappingsScreenDocument as DocumentNode, variables: screenVars });
    for (const [what, w] of [...writes(0), create(3)]) {
      requests = 0;
      const { data } = await client.mutate({
        mutation: w.doc,
        variables: w.vars(),
        // a created mapping joins the list: the client's one update, from the answer
        update: (cache, { data: answer }) => {
          const mapping = (answer as { createCustomerMapping?: { mapping?: unknown } } | null)?.createCustomerMapping?.mapping;
          if (mapping) cache.updateQuery({ query: MappingsScreenDocument as DocumentNode, variables: screenVars }, (screen) => screen && withNewMapping(screen as Screen, mapping));
        },
      });
      expect((data as Record<string, { __typename: string }>)[w.field]!.__typename, what).toMatch(/Success$/);
      const cached = client.readQuery({ query: MappingsScreenDocument as DocumentNode, variables: screenVars });
      expect(withoutTypenames(cached), what).toEqual(await fresh());
      expect(requests, what).toBe(1);
    }
    expect(warnings).toEqual([]);
    // the console's other screens in the same cache: each read once, none makes another read again
    await client.query({ query: BillingScreenDocument as DocumentNode, variables: {} });
    await client.query({ query: UnmappedScreenDocument as DocumentNode });
    requests = 0;
    for (const [query, variables] of [[MappingsScreenDocument, screenVars], [BillingScreenDocument, {}], [UnmappedScreenDocument, {}]] as const) {
      const answer = await client.query({ query: query as DocumentNode, variables, fetchPolicy: 'cache-first' });
      expect(answer.data).toBeTruthy();
    }
    expect(requests, 'screens sharing one cache').toBe(0);
    expect(warnings).toEqual([]);
  });

  it('urql with graphcache (told the schema): each write updates the cached screen, no extra request, no warning', async () => {
    // as the README sets it up: graphcache told the schema (from schema.graphql), so a write's answer never enters a fragment of another type
    const schema = introspectionFromSchema(buildSchema(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')));
    // a created mapping joins the list: the client's one update, from the answer
    const updates = {
      Mutation: {
        createCustomerMapping: (result: { createCustomerMapping?: { mapping?: unknown } }, _args: unknown, cache: import('@urql/exchange-graphcache').Cache) => {
          const mapping = result.createCustomerMapping?.mapping;
          if (mapping) cache.updateQuery({ query: MappingsScreenDocument as DocumentNode, variables: screenVars }, (screen) => screen && withNewMapping(screen as unknown as Screen, mapping) as never);
        },
      },
    };
    const client = new Client({ url: 'http://yoga/graphql', fetch: fetchFn, exchanges: [cacheExchange({ schema, updates }), fetchExchange], preferGetMethod: false });
    await client.query(MappingsScreenDocument as DocumentNode, screenVars).toPromise();
    for (const [what, w] of [...writes(1), create(4)]) {
      requests = 0;
      const { data, error } = await client.mutation(w.doc, w.vars()).toPromise();
      expect(error, what).toBeUndefined();
      expect((data as Record<string, { __typename: string }>)[w.field]!.__typename, what).toMatch(/Success$/);
      const cached = client.readQuery(MappingsScreenDocument as DocumentNode, screenVars);
      expect(withoutTypenames(cached?.data), what).toEqual(await fresh());
      expect(requests, what).toBe(1);
    }
    expect(warnings).toEqual([]);
  });
});
