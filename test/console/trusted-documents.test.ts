import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { generate } from '@graphql-codegen/cli';
import { schema } from '../../src/graphql/schema.js';
import { loadTrustedDocuments } from '../../src/graphql/trusted-documents.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture } from '../support/seed.js';
import { record } from '../support/secret-scan.js';

const documents = loadTrustedDocuments();
const viewerHash = [...documents].find(([, text]) => text.startsWith('query Viewer '))![0];

describe("the console's trusted documents", () => {
  it('are valid against the schema, and each is keyed by the sha256 of its text', () => {
    expect(documents.size).toBeGreaterThanOrEqual(15);
    for (const [hash, text] of documents) {
      expect(validate(schema, parse(text)), text.slice(0, 60)).toEqual([]);
      expect(hash).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    }
  });

  it('are what the codegen makes of console/src/documents.ts and schema.graphql today (run `npm run console:codegen`)', async () => {
    const files = await generate({ ...(await import('../../console/codegen.js')).default, cwd: process.cwd(), silent: true } as never, false);
    const generated = new Map((files as { filename: string; content: string }[]).map((f) => [f.filename.replace(/^.*console\/src\/gql\//, ''), f.content]));
    for (const name of ['graphql.ts', 'gql.ts', 'persisted-documents.json']) {
      expect(generated.get(name), name).toBe(fs.readFileSync(new URL(`../../console/src/gql/${name}`, import.meta.url), 'utf8'));
    }
  }, 60_000);
});

describe('a gateway set to take only trusted documents', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(1, '2026-10'), { trustedDocumentsOnly: true });
  });
  afterAll(() => gw?.close());

  const post = async (body: unknown, token: string | null) => {
    if (token) record('token', token);
    return (await gw.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) }, body: JSON.stringify(body) })).json();
  };

  it('runs a trusted document named by its hash, for anyone it is meant for', async () => {
    const answer = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: viewerHash } } }, gw.userToken);
    expect(answer).toEqual({ data: { __typename: 'Query', viewer: { __typename: 'Viewer', username: 'user', isStaff: false, isSupport: false, source: 'local' } } });
  });

  it('refuses any other document unless a staff token sent it (GraphiQL, staff scripts)', async () => {
    const asUser = await post({ query: '{ viewer { username } }' }, gw.userToken);
    expect(asUser.errors[0]).toMatchObject({ message: "This gateway accepts only the console's trusted documents, or any document from a staff token.", extensions: { code: 'PERSISTED_QUERY_ONLY' } });
    const anonymous = await post({ query: '{ viewer { username } }' }, null);
    expect(anonymous.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(await post({ query: '{ viewer { username } }' }, gw.staffToken)).toEqual({ data: { viewer: { username: 'staff' } } });
  });

  it('says so when a hash is unknown (a console older or newer than the gateway)', async () => {
    const answer = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: `sha256:${'0'.repeat(64)}` } } }, gw.staffToken);
    expect(answer.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
