import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { listen } from '../support/http.js';
import { createGateway } from '../../src/server.js';
import { WaldurClient } from '../../src/waldur/client.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { createLogger } from '../../src/observability/logger.js';
import { createToken, createUser } from '../../src/domain/users.js';

let t: TestDatabase;
let http: Awaited<ReturnType<typeof listen>>;
let token: string;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase('pglite');
  await createUser(t.db.prisma, 'staff', true);
  token = await createToken(t.db.prisma, 'staff');
  const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(...chunk.toString().trim().split('\n')), done()) });
  const { server } = createGateway({
    db: t.db,
    arrow: new ArrowSource({ timeoutMs: 1000, retries: 0, maxInFlight: 2, cacheTtlMs: 0 }),
    // these guards answer before any Waldur call: a Waldur nobody listens at is enough
    waldur: new WaldurClient({ apiUrl: 'http://127.0.0.1:9', token: 'w'.repeat(40), timeoutMs: 1000 }),
    logger: createLogger('info', sink),
    rateLimitPerMinute: 5,
    allowedOrigins: ['https://admin.example'],
  });
  http = await listen(server);
});
afterAll(async () => {
  await http.close();
  await t.drop();
});

const viewer = (headers: Record<string, string> = {}, auth = token) =>
  fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${auth}`, ...headers }, body: '{"query":"{ viewer { username } }"}' });

describe('request guards', () => {
  it('refuses browser requests from other origins, and allows its own and configured ones', async () => {
    const host = new URL(http.base).host;
    expect((await viewer({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await viewer({ origin: `http://${host}` })).status).toBe(200);
    expect((await viewer({ origin: 'https://admin.example' })).status).toBe(200);
    expect((await viewer({})).status).toBe(200); // scripts send no Origin
    const refused = await viewer({ origin: 'https://evil.example' }, await createToken(t.db.prisma, 'staff'));
    expect(await refused.json()).toEqual({ detail: "Cross-origin request refused: origin https://evil.example is not the gateway's own nor listed in ALLOWED_ORIGINS." });
  });

  it('answers a body of a type GraphQL does not take with a 415 that says what it takes', async () => {
    const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Token ${await createToken(t.db.prisma, 'staff')}` }, body: '{ viewer { username } }' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ errors: [{ message: expect.stringMatching(/^Unsupported Media Type: send the GraphQL request as application\/json/), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
  });

  it('refuses a GraphQL body over 1 MiB with 413', async () => {
    const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${token}` }, body: JSON.stringify({ query: `{ viewer { username } }${' '.repeat(1024 * 1024 + 10)}` }) });
    expect(res.status).toBe(413);
  });

  it("limits requests per user with 429 and Retry-After, leaving other users alone; another token of the user shares its bucket", async () => {
    await createUser(t.db.prisma, 'busy', true);
    const busy = await createToken(t.db.prisma, 'busy');
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await viewer({}, busy);
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toMatchObject({ detail: expect.stringMatching(/^Request was throttled/) });
    // a new token of the same user is the same caller once it is known valid
    expect((await viewer({}, await createToken(t.db.prisma, 'busy'))).status).toBe(429);
    await createUser(t.db.prisma, 'calm', true);
    expect((await viewer({}, await createToken(t.db.prisma, 'calm'))).status).toBe(200);
  });

  it('logs one JSON line per request with its id, and never a token', async () => {
    await createUser(t.db.prisma, 'traced', true);
    const traced = await createToken(t.db.prisma, 'traced');
    const res = await viewer({ 'x-request-id': 'trace-abc-123' }, traced);
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'trace-abc-123');
    expect(line).toMatchObject({ msg: 'request', method: 'POST', path: '/graphql', status: 200 });
    expect(typeof line.ms).toBe('number');
    expect((await viewer({}, traced)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logLines.join('\n')).not.toContain(token);
  });
});
