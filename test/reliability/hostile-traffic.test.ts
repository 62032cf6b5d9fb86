import { Writable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { listen } from '../support/http.js';
import { createGateway } from '../../src/server.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { createLogger } from '../../src/observability/logger.js';
import { createToken, createUser } from '../../src/domain/users.js';
import { FULL_SCREEN_QUERY } from '../../src/graphql/screen-query.js';
import { DOCUMENT_LIMITS } from '../../src/graphql/document-limits.js';
import { DocumentCache } from '../../src/graphql/document-cache.js';
import { documentCaches } from '../../src/graphql/yoga.js';

/**
 * Issue 26: each finding of the attack on a default gateway, as the request that showed it.
 * Run against the gateway before issue 26's work (commit cbf0241, only this file's imports of new
 * modules stubbed), 27 of these 29 tests failed; the 2 that passed check what must keep working
 * (the screen, GraphiQL's introspection and a page of 300; a chunked body under the limit).
 */
let t: TestDatabase;
let http: Awaited<ReturnType<typeof listen>>;
let token: string;
let yoga: object;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase('pglite');
  await createUser(t.db.prisma, 'staff', true);
  token = await createToken(t.db.prisma, 'staff');
  const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(...chunk.toString().trim().split('\n')), done()) });
  const gateway = createGateway({
    db: t.db,
    arrow: new ArrowSource({ timeoutMs: 1000, retries: 0, maxInFlight: 2, cacheTtlMs: 0 }),
    waldur: new WaldurClient({ apiUrl: 'http://127.0.0.1:9', token: 'w'.repeat(40), timeoutMs: 1000 }),
    logger: createLogger('info', sink),
    rateLimitPerMinute: 0,
  });
  yoga = gateway.yoga;
  http = await listen(gateway.server);
});
afterAll(async () => {
  await http.close();
  await t.drop();
});

async function post(query: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }, chars: text.length, ms: performance.now() - started };
}
const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('finding 1: every document has a known cost before it runs', () => {
  it('refuses 2,000 aliased introspections (157 kB, which ran the heap out) in milliseconds with one error', async () => {
    const r = await post(aliases(2000, '__schema { types { name fields { name args { name } type { name } } } }'));
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(r.ms).toBeLessThan(1000);
  });

  it('refuses the schema asked twice, and 500 aliases of it under the byte limit, without building the answer', async () => {
    const twice = await post('{ a: __schema { types { name } } b: __schema { types { name } } }');
    expect(twice.body.errors).toEqual([expect.objectContaining({ message: 'Query asks for the schema (__schema) more than once', extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    const many = await post(aliases(500, '__schema { types { name } }'));
    expect(many.body.errors).toHaveLength(1);
    expect(many.chars).toBeLessThan(1000);
  });

  it('refuses 20,000 × viewer under aliases (549 kB) with one error, and 101 aliases by the alias limit', async () => {
    const huge = await post(aliases(20_000, 'viewer { username }'));
    expect(huge.body.errors).toHaveLength(1);
    expect(huge.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const over = await post(`{ viewer ${aliases(DOCUMENT_LIMITS.aliases + 1, 'username')} }`);
    expect(over.body.errors).toEqual([expect.objectContaining({ message: `Query exceeds maximum number of aliases (max: ${DOCUMENT_LIMITS.aliases})` })]);
  });

  it('counts fragments spread many times, and a root field under many names, by the cost', async () => {
    const screen = await post(`query { ${Array.from({ length: 25 }, (_, i) => `s${i}: customerMappings(first: 300) { edges { node { ...M } } }`).join(' ')} } fragment M on CustomerMapping { uuid waldurResources { uuid project { name } offering { name } } suggestions { resourceName } arrowLicenses { licenseReference } }`, { authorization: `Token ${token}` });
    expect(screen.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Query exceeds maximum cost \(cost: \d+, max: 500000/), extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
  });

  it('refuses a 3,000-deep anonymous document by its depth, not with a masked 500', async () => {
    const deep = `{ ${'viewer { '.repeat(3000)}username${' }'.repeat(3000)} }`;
    const r = await post(deep);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ message: `Query exceeds maximum depth (max: ${DOCUMENT_LIMITS.depth})`, extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
  });

  it('refuses a document over the token limit before parsing the rest', async () => {
    const r = await post(`{ viewer { ${'a '.repeat(DOCUMENT_LIMITS.tokens)} } }`);
    expect(r.body.errors).toEqual([expect.objectContaining({ message: `Query exceeds maximum number of tokens (max: ${DOCUMENT_LIMITS.tokens})` })]);
  });

  it('still answers the whole screen, GraphiQL’s own introspection and a page of 300', async () => {
    const intro = await post(getIntrospectionQuery());
    expect(intro.body.errors).toBeUndefined();
    const screen = await post(FULL_SCREEN_QUERY, { authorization: `Token ${token}` });
    expect(screen.body.errors?.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX') ?? []).toEqual([]);
    const page = await post('{ customerMappings(first: 300) { edges { node { uuid waldurResources { uuid name project { name } offering { name } } } } } }', { authorization: `Token ${token}` });
    expect(page.body.errors).toBeUndefined();
  });
});

describe('finding 2: the parse cache is bounded in bytes', () => {
  it('keeps no large document and no more text than its budget, least recently used out first', () => {
    const cache = new DocumentCache(100, 250);
    const doc = (n: number) => ({ kind: 'Document', definitions: [], n }) as never;
    cache.set('x'.repeat(101), doc(0));
    expect(cache.size).toBe(0);
    for (let i = 0; i < 5; i++) cache.set(`${i}`.repeat(100), doc(i));
    expect(cache.chars).toBeLessThanOrEqual(250);
    expect(cache.get('4'.repeat(100))).toBeDefined();
    expect(cache.get('0'.repeat(100))).toBeUndefined();
  });

  it("keeps in the gateway's cache only small valid documents, within its byte budget", async () => {
    const documents = documentCaches.get(yoga)!;
    for (let i = 0; i < 100; i++) expect((await post(`{ viewer { username } } # ${i} ${'x'.repeat(15_000)}`)).status).toBe(200);
    expect(documents.chars).toBeLessThanOrEqual(documents.maxTotalChars);
    expect(documents.size).toBeLessThan(100);
    const kept = documents.size;
    for (let i = 0; i < 10; i++) await post(`{ noSuchField${i} }`);
    await post(`{ viewer { username } } # ${'y'.repeat(30_000)}`);
    expect(documents.size).toBe(kept); // neither the invalid ones nor the large one
  });

  it('measures the top-level query of a JSON body off its bytes (a long one is refused before any string of its size exists)', async () => {
    const { topLevelStringLength } = await import('../../src/http/json-scan.js');
    const cases: [string, number | null][] = [
      ['{"query":"abc"}', 3],
      [' { "variables": {"query": "xxxxxxxx"}, "query" : "ab\\"c" }', 5],
      ['{"a":"query","query":"x"}', 1],
      ['[{"query":"x"}]', null],
      ['{"variables":{}}', null],
      ['{"x":["query",{"query":"yy"}],"query":""}', 0],
    ];
    for (const [body, length] of cases) expect(topLevelStringLength(Buffer.from(body), 'query'), body).toBe(length);
  });

  it('refuses a non-persisted document over the byte limit, far below the 1 MiB body limit', async () => {
    const r = await post(`{ viewer { username } } #${' '.repeat(DOCUMENT_LIMITS.bytes)}`);
    expect(r.body.errors).toEqual([expect.objectContaining({ message: `Query text exceeds ${DOCUMENT_LIMITS.bytes} characters (send a longer one as a trusted document)` })]);
  });
});

describe('finding 3: only the exact GraphQL path reaches GraphQL, and its body is bounded as it arrives', () => {
  it('answers 404 on every other path ending in graphql, before any GraphQL work or CORS header', async () => {
    for (const path of ['/graphql/', '/x/graphql', '/healthz/graphql', '/?q=/graphql', '/api/graphql']) {
      const res = await fetch(`${http.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{"query":"{ __typename }"}' });
      expect(res.status, path).toBeOneOf([403, 404]);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const res = await fetch(`${http.base}/x/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Not found.' });
  });

  it('refuses form-encoded and multipart bodies (a cross-site form needs no preflight) with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': type }, body: 'query=%7B__typename%7D' });
      expect(res.status, type).toBe(415);
    }
  });

  it('counts a chunked body (no Content-Length) as it arrives: over 1 MiB is a 413', async () => {
    const chunk = new TextEncoder().encode(`{"query":"{ viewer { username } }","x":"${'a'.repeat(64 * 1024)}`);
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('still takes a chunked body under the limit', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ __typ'));
        controller.enqueue(new TextEncoder().encode('ename }"}'));
        controller.close();
      },
    });
    const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('finding 4: the rate limit is keyed by who the caller is, not by any string it sends', () => {
  it('puts 40 made-up tokens in their address’s bucket', async () => {
    const { server } = createGateway({ db: t.db, arrow: new ArrowSource({ timeoutMs: 1000, retries: 0, maxInFlight: 2, cacheTtlMs: 0 }), waldur: new WaldurClient({ apiUrl: 'http://127.0.0.1:9', token: 'w'.repeat(40), timeoutMs: 1000 }), rateLimitPerMinute: 30 });
    const limited = await listen(server);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${limited.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${i.toString(16).padStart(40, 'f')}` }, body: '{"query":"{ __typename }"}' });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 429).length).toBe(10);
      // a staff token is its user's, not the address's: it still gets through
      const res = await fetch(`${limited.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: '{"query":"{ __typename }"}' });
      expect(res.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('evicts the least recently used buckets one by one past its bound, never all at once', async () => {
    const { RateLimiter } = await import('../../src/http-guards.js');
    const limiter = new RateLimiter(2, 100);
    const now = 1_000_000;
    limiter.take('victim', now);
    limiter.take('victim', now);
    expect(limiter.take('victim', now)).toBeGreaterThan(0);
    for (let i = 0; i < 99; i++) limiter.take(`flood-${i}`, now);
    expect(limiter.take('victim', now)).toBeGreaterThan(0); // still limited: its bucket was kept
    expect(limiter.size).toBe(100);
    for (let i = 99; i < 1000; i++) limiter.take(`flood-${i}`, now);
    expect(limiter.size).toBe(100);
  });
});

/** A listener that records every request it gets (headers included) and answers as told. */
async function listener(answer: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const seen: { url: string; apikey?: string }[] = [];
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', apikey: req.headers.apikey as string | undefined });
    answer(req, res);
  });
  const l = await listen(server);
  return { ...l, seen };
}
const gqlAt = async (query: string, variables: object) =>
  (await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ query, variables }) })).json() as Promise<any>;

describe('findings 5–6: the Arrow key goes only where it was saved, and a URL is no probe', () => {
  const SECRET = 'arrow-key-that-must-stay-home-0123456789';

  it('refuses to move settings to another host without the key given again, and calls nothing', async () => {
    const home = await listener((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 200, data: { reference: 'XSP1', companyName: 'Partner' } })));
    const thief = await listener((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    try {
      const settings = await t.db.prisma.arrowSettings.create({ data: { apiUrl: `${home.base}/index.php/api/`, apiKey: SECRET } });
      const moved = await gqlAt(`mutation($u: UUID!, $i: UpdateArrowSettingsInput!) { updateArrowSettings(uuid: $u, input: $i) { __typename ... on ValidationError { fields { field messages } } } }`, { u: settings.uuid, i: { apiUrl: `${thief.base}/index.php/api/` } });
      expect(moved.data.updateArrowSettings).toEqual({ __typename: 'ValidationError', fields: [{ field: 'apiKey', messages: [expect.stringMatching(/^Give the API key again to move the settings to another host/)] }] });
      const rest = await fetch(`${http.base}/api/admin/arrow/settings/${settings.uuid}/`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ api_url: `${thief.base}/x/` }) });
      expect(rest.status).toBe(400);
      expect(thief.seen).toEqual([]);
      expect((await t.db.prisma.arrowSettings.findUniqueOrThrow({ where: { uuid: settings.uuid } })).apiUrl).toBe(`${home.base}/index.php/api/`);
    } finally {
      await home.close();
      await thief.close();
    }
  });

  it('follows no redirect with the key in its headers', async () => {
    const thief = await listener((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 200, data: { reference: 'XSP1', companyName: 'Partner' } })));
    const redirector = await listener((_req, res) => res.writeHead(302, { location: `${thief.base}/index.php/api/whoami` }).end());
    try {
      const r = await gqlAt(`mutation($c: ArrowCredentialsInput!) { validateArrowCredentials(input: $c) { __typename ... on MutationValidateArrowCredentialsSuccess { result { valid error } } } }`, { c: { apiUrl: `${redirector.base}/index.php/api/`, apiKey: SECRET } });
      expect(JSON.stringify(r)).toMatch(/"valid":false/);
      expect(redirector.seen).toHaveLength(1); // asked once, not retried
      expect(thief.seen).toEqual([]);
    } finally {
      await thief.close();
      await redirector.close();
    }
  });

  it('says the same of a closed port, a service that is not HTTP and an HTTP one that is not Arrow, echoing nothing', async () => {
    const { createServer } = await import('node:net');
    const notHttp = createServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => notHttp.listen(0, '127.0.0.1', r));
    const notArrow = await listener((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal-secret-hostname db01.corp', message: 'stack at /srv/app.js' })));
    const hugeReference = await listener((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 200, data: { reference: 'R'.repeat(2_000_000), companyName: 'x' } })));
    try {
      const errors: string[] = [];
      for (const apiUrl of ['http://127.0.0.1:9/index.php/api/', `http://127.0.0.1:${(notHttp.address() as import('node:net').AddressInfo).port}/`, `${notArrow.base}/`, `${hugeReference.base}/`]) {
        const res = await fetch(`${http.base}/api/admin/arrow/settings/validate_credentials/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ api_url: apiUrl, api_key: SECRET }) });
        const text = await res.text();
        expect(text.length).toBeLessThan(1000);
        errors.push(JSON.parse(text).error);
      }
      expect(new Set(errors).size).toBe(1);
      expect(errors[0]).toBe("No ArrowSphere API answered at this URL (no connection, no answer in time, or an answer that is not ArrowSphere's).");
    } finally {
      notHttp.close();
      await notArrow.close();
      await hugeReference.close();
    }
  });

  it('reads no upstream answer past its cap', async () => {
    const big = await listener((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"status":200,"data":{"reference":"${'R'.repeat(20 * 1024 * 1024)}"}}`);
    });
    try {
      const { ArrowClient } = await import('../../src/arrow/client.js');
      await expect(new ArrowClient({ apiUrl: `${big.base}/`, apiKey: 'k', retries: 0 }).whoami()).rejects.toThrow(/answer larger than 16 MiB, not read/);
    } finally {
      await big.close();
    }
  });

  it('refuses loopback, private and link-local addresses in any spelling, and names resolving to them when connecting', async () => {
    const { ArrowClient } = await import('../../src/arrow/client.js');
    const { isPrivateAddress } = await import('../../src/http/address-policy.js');
    const trap = await listener((_req, res) => res.writeHead(200).end('{}'));
    try {
      const port = new URL(trap.base).port;
      for (const host of ['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '[::1]', '[::ffff:127.0.0.1]', 'localhost']) {
        const client = new ArrowClient({ apiUrl: `http://${host}:${port}/`, apiKey: SECRET, retries: 0, publicOnly: true });
        await expect(client.whoami(), host).rejects.toThrow(/loopback, private or link-local address/);
      }
      expect(trap.seen).toEqual([]);
      for (const ip of ['10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', 'fd00::1', 'fe80::1', '::']) expect(isPrivateAddress(ip), ip).toBe(true);
      for (const ip of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888']) expect(isPrivateAddress(ip), ip).toBe(false);
      // a name is checked as it is connected to: what it resolves to then decides
      const { publicOnlyLookupForTests } = await import('../../src/http/address-policy.js');
      const resolved = await new Promise<unknown>((resolve) => publicOnlyLookupForTests('localhost', {}, (err, address) => resolve(err ?? address)));
      expect(String(resolved)).toMatch(/localhost \((127\.0\.0\.1|::1)\) is a loopback/);
    } finally {
      await trap.close();
    }
  });
});

describe('finding 7: odd input is a 400, never a 500', () => {
  const rest = (path: string, headers: Record<string, string> = {}) => fetch(`${http.base}${path}`, { headers: { authorization: `Token ${token}`, ...headers } });

  it('refuses a NUL character in REST filters and bodies, and in GraphQL strings and variables', async () => {
    for (const path of ['/api/admin/arrow/customer-mappings/?arrow_company_name=a%00b', '/api/admin/arrow/billing-syncs/?statement_reference=%00', '/api/admin/arrow/billing-sync-items/?vendor_name=x%00', '/api/admin/arrow/vendor-offering-mappings/?arrow_vendor_name=%00']) {
      const res = await rest(path);
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(await res.json()), path).toContain('Null characters are not allowed.');
    }
    const body = await fetch(`${http.base}/api/admin/arrow/customer-mappings/`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ arrow_company_name: 'a\u0000' }) });
    expect(body.status).toBe(400);
    expect(await body.json()).toEqual({ arrow_company_name: ['Null characters are not allowed.'] });
    const literal = await post('{ waldurCustomers(first: 1, search: "a\\u0000") { totalCount } }', { authorization: `Token ${token}` });
    expect(literal.body.errors).toEqual([expect.objectContaining({ message: 'Null characters are not allowed.', extensions: { code: 'BAD_USER_INPUT' } })]);
    const variable = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ query: 'query($s: String) { offerings(first: 1, search: $s) { totalCount } }', variables: { s: 'x\u0000' } }) });
    expect((await variable.json()).errors).toEqual([expect.objectContaining({ message: 'Variable "$s": Null characters are not allowed.', extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('takes % and _ in a filter as themselves, not as wildcards', async () => {
    await t.db.prisma.waldurCustomer.createMany({ data: [{ uuid: '00000000-0000-4000-8000-00000000a001', name: 'abc Oy', abbreviation: '' }, { uuid: '00000000-0000-4000-8000-00000000a002', name: 'a_c 100% Oy', abbreviation: '' }] });
    const search = async (s: string) => ((await post(`query($s: String) { waldurCustomers(first: 10, search: $s) { edges { node { name } } } }`.replace('query($s: String) ', '').replace('$s', JSON.stringify(s)), { authorization: `Token ${token}` })).body.data as any).waldurCustomers.edges.map((e: any) => e.node.name);
    expect(await search('a_c')).toEqual(['a_c 100% Oy']);
    expect(await search('%')).toEqual(['a_c 100% Oy']);
  });

  it('answers an absurd page number with a 400', async () => {
    const res = await rest('/api/admin/arrow/customer-mappings/?page=99999999999999999999');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ page: ['Ensure this value is less than or equal to 1000000.'] });
  });

  it('answers a malformed Host with a 400, and ignores X-Forwarded-* unless told to trust a proxy', async () => {
    const { request } = await import('node:http');
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string; link: string }>((resolve) => {
        const u = new URL(http.base);
        const req = request({ host: u.hostname, port: u.port, path: '/api/admin/arrow/customer-mappings/', headers: { authorization: `Token ${token}`, ...headers }, setHost: false }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body, link: String(res.headers.link ?? '') }));
        });
        req.end();
      });
    expect((await raw({ host: 'exa mple.com:80%' })).status).toBe(400);
    expect((await raw({ host: 'a'.repeat(300) })).status).toBe(400);
    const forwarded = await raw({ host: `127.0.0.1:${new URL(http.base).port}`, 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example' });
    expect(forwarded.status).toBe(200);
    expect(forwarded.link).toContain(`<http://127.0.0.1:${new URL(http.base).port}/api/admin/arrow/customer-mappings/?page=1`);
    expect(forwarded.link + forwarded.body).not.toMatch(/evil\.example|javascript:/);
  });

  it('logs a masked internal error with its request id', async () => {
    const { maskError, requestContext } = await import('../../src/graphql/yoga.js');
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const masked = requestContext.run({ requestId: 'req-for-the-log', logger }, () => maskError(new Error('disk on fire'), 'Unexpected error.'));
    expect(masked.message).toBe('Unexpected error.');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, reqId: 'req-for-the-log', error: 'disk on fire' });
  });
});

describe('finding 8: what a browser and a scraper may do', () => {
  it("serves GraphiQL's page with a CSP that forbids framing, and nosniff on every answer", async () => {
    const page = await fetch(`${http.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${http.base}/healthz`)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('takes a same-origin browser request only on an address, localhost or the configured public host (DNS rebinding)', async () => {
    const port = new URL(http.base).port;
    const { request } = await import('node:http');
    const status = (host: string, origin: string) =>
      new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', setHost: false, headers: { host, origin, 'content-type': 'application/json' } }, (res) => (res.resume(), resolve(res.statusCode!)));
        req.end('{"query":"{ __typename }"}');
      });
    expect(await status(`127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`, `http://localhost:${port}`)).toBe(200);
    expect(await status(`rebind.evil.example:${port}`, `http://rebind.evil.example:${port}`)).toBe(403);
  });

  it('closes /metrics behind METRICS_TOKEN and introspection to anonymous callers when told', async () => {
    const { server } = createGateway({ db: t.db, arrow: new ArrowSource({ timeoutMs: 1000, retries: 0, maxInFlight: 2, cacheTtlMs: 0 }), waldur: new WaldurClient({ apiUrl: 'http://127.0.0.1:9', token: 'w'.repeat(40), timeoutMs: 1000 }), metricsToken: 'metrics-token-0123456789abcdef', introspection: 'authenticated' });
    const closed = await listen(server);
    try {
      expect((await fetch(`${closed.base}/metrics`)).status).toBe(401);
      expect((await fetch(`${closed.base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdefgh' } })).status).toBe(401);
      expect((await fetch(`${closed.base}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } })).status).toBe(200);
      const intro = async (auth?: string) => (await (await fetch(`${closed.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: '{"query":"{ __schema { queryType { name } } }"}' })).json()) as any;
      expect((await intro()).errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
      expect((await intro(`Token ${token}`)).data.__schema.queryType.name).toBe('Query');
    } finally {
      await closed.close();
    }
  });
});
