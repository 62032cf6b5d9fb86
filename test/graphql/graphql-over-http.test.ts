import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer } from 'graphql-http';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import { record } from '../support/secret-scan.js';

/**
 * The GraphQL-over-HTTP spec as its reference audit (graphql-http's auditServer, by the spec's
 * author) and the status codes real clients rely on when a request is malformed.
 */
describe('GraphQL over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    ({ gw } = await startSeededGateway(1, '2026-10'));
  });
  afterAll(async () => gw?.close());

  const withToken = (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Token ${gw.staffToken}`);
    return gw.yoga.fetch(String(input instanceof Request ? input.url : input), { ...init, headers });
  };

  it("passes every audit of graphql-http's auditServer", async () => {
    const results = await auditServer({ url: 'http://yoga/graphql', fetchFn: withToken as typeof fetch });
    const failed = results.flatMap((r) => (r.status === 'ok' ? [] : [`${r.id} ${r.name}: ${r.reason}`]));
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(60);
  });

  const MALFORMED: [string, Record<string, unknown>, string][] = [
    ['no query', {}, 'The request has no "query"'],
    ['query: 0', { query: 0 }, 'must be a GraphQL document (a string), not 0'],
    ['query: false', { query: false }, 'must be a GraphQL document (a string), not false'],
    ['query: null', { query: null }, 'must be a GraphQL document (a string), not null'],
    ['a misspelt qeury', { qeury: '{ viewer { username } }' }, 'The request has no "query"'],
  ];
  for (const accept of ['application/graphql-response+json', 'application/json']) {
    it(`answers a malformed request 400 saying what is missing (${accept})`, async () => {
      for (const [what, body, says] of MALFORMED) {
        const res = await withToken('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
        const text = await res.text();
        record('body', text);
        expect([what, res.status], text).toEqual([what, 400]);
        expect(JSON.parse(text).errors[0].message, what).toContain(says);
      }
    });
  }

  it('answers an unknown trusted-document hash 4xx for application/graphql-response+json, 200 with the error for application/json', async () => {
    const body = JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    const strict = await withToken('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body });
    expect(strict.status).toBe(400);
    expect((await strict.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const legacy = await withToken('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
    expect(legacy.status).toBe(200);
    expect((await legacy.json()).errors[0].message).toContain('Unknown trusted document');
  });
});
