import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture } from '../support/seed.js';
import { identitiesOf } from '../../src/domain/waldur-identity.js';
import { listen } from '../support/http.js';
import { loadSdk, sdkViolations, type SdkModels } from '../support/sdk-models.js';
import { record } from '../support/secret-scan.js';

/**
 * Issue 28: Waldur users sign in with their own Waldur tokens (or OIDC access tokens); staff,
 * support and deactivation follow Waldur within the cache's time. The Waldur simulator is a
 * process of its own; its /api/users/me/ is checked against py-client's User model.
 */
const sdk = loadSdk<{ models: SdkModels }>('users.json');
const STAFF = '5'.repeat(40);
const SUPPORT = '6'.repeat(40);
const PLAIN = '7'.repeat(40);
const INACTIVE = '8'.repeat(40);
const IDLE = '9'.repeat(40);
const DEMOTED = 'a'.repeat(40);
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvaWRjLXVzZXIifQ.c2lnbmF0dXJl';
const NO_MAPPING = '00000000-0000-4000-8000-00000000dead';

describe('Waldur users sign in as themselves', () => {
  let gw: TestGateway;
  let rest: { base: string; close(): Promise<void> };
  const ask = async (query: string, token: string, scheme: string) => {
    const res = await gw.yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `${scheme} ${token}` }, body: JSON.stringify({ query }) });
    const text = await res.text();
    // the suite's secret scan: no Waldur token or access token in any answer
    record('token', token);
    record('body', text);
    return { status: res.status, body: JSON.parse(text) };
  };
  /** Who the gateway takes the token for, and (staff and support) a staff-only read. */
  const who = (token: string, scheme = 'Token') => ask('{ viewer { username isStaff isSupport source } customerMappings(first: 1) { totalCount } }', token, scheme);
  const viewer = (token: string, scheme = 'Token') => ask('{ viewer { username isStaff isSupport source } }', token, scheme);
  const staffRead = (token: string) => ask('{ customerMappings(first: 1) { totalCount } }', token, 'Token');
  const write = async (token: string) => (await gw.gql(`mutation($u: UUID!) { deleteCustomerMapping(uuid: $u) { __typename } }`, { u: NO_MAPPING }, token)) as { data?: { deleteCustomerMapping: { __typename: string } } | null; errors?: { message: string; extensions: { code: string } }[] };
  const restCall = async (method: string, token: string) => {
    const res = await fetch(`${rest.base}/api/admin/arrow/customer-mappings/${method === 'GET' ? '' : `${NO_MAPPING}/`}`, { method, headers: { authorization: `Token ${token}` } });
    return { status: res.status, body: await res.json().catch(() => null), retryAfter: res.headers.get('retry-after') };
  };
  const waldurMe = async (authorization: string) => {
    const res = await fetch(`${gw.waldur.url}/api/users/me/`, { headers: { authorization } });
    return { status: res.status, body: await res.json() };
  };
  const patchUser = (username: string, fields: object) => fetch(`${gw.waldur.url}/__sim/users/${username}/`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(1, '2026-10'), {
      waldur: 'process',
      waldurUsers: [
        { token: STAFF, username: 'alice.staff', isStaff: true },
        { token: SUPPORT, username: 'sam.support', isSupport: true },
        { token: PLAIN, username: 'pat.owner' },
        { token: INACTIVE, username: 'ivan.gone', isStaff: true, isActive: false },
        { token: IDLE, username: 'idle.staff', isStaff: true, tokenLifetime: 3600 },
        { token: DEMOTED, username: 'dana.staff', isStaff: true },
        { token: 'b'.repeat(40), username: 'oidc.user', isStaff: true, bearer: JWT },
      ],
    });
    // a second's cache here, to see a demotion take effect without waiting the minute
    identitiesOf(gw.waldurClient, { ttlMs: 1000 });
    rest = await listen(gw.server);
  });
  afterAll(async () => {
    await rest?.close();
    await gw?.close();
  });

  it("the simulator's /api/users/me/ answers py-client's User, and refuses inactive users and idle tokens as Waldur does", async () => {
    for (const token of [STAFF, SUPPORT, PLAIN]) {
      const me = await waldurMe(`Token ${token}`);
      expect(me.status).toBe(200);
      expect(sdkViolations(sdk.models, 'User', me.body, 'me')).toEqual([]);
    }
    expect((await waldurMe(`Token ${SUPPORT}`)).body).toMatchObject({ username: 'sam.support', is_staff: false, is_support: true, is_active: true, token_lifetime: null });
    expect(await waldurMe(`Token ${INACTIVE}`)).toEqual({ status: 401, body: { detail: 'User inactive or deleted.' } });
    expect((await waldurMe(`Bearer ${JWT}`)).body).toMatchObject({ username: 'oidc.user', is_staff: true });
    // idle longer than token_lifetime: "Token has expired." (WM core/authentication.py)
    expect((await waldurMe(`Token ${IDLE}`)).body).toMatchObject({ token_lifetime: 3600, token_expires_at: expect.any(String) });
    await fetch(`${gw.waldur.url}/__sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: new Date(Date.now() + 2 * 3600_000).toISOString() }) });
    expect(await waldurMe(`Token ${IDLE}`)).toEqual({ status: 401, body: { detail: 'Token has expired.' } });
    await fetch(`${gw.waldur.url}/__sim/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: null }) });
  });

  it('takes each role as Waldur says: staff read and write, support read only, others neither, inactive and expired nobody (GraphQL and REST)', async () => {
    expect((await who(STAFF)).body.data).toEqual({ viewer: { username: 'alice.staff', isStaff: true, isSupport: false, source: 'waldur' }, customerMappings: { totalCount: 0 } });
    expect((await write(STAFF)).data?.deleteCustomerMapping.__typename).toBe('NotFoundError');
    expect((await restCall('GET', STAFF)).status).toBe(200);
    expect((await restCall('DELETE', STAFF)).status).toBe(404);

    expect((await who(SUPPORT)).body.data).toEqual({ viewer: { username: 'sam.support', isStaff: false, isSupport: true, source: 'waldur' }, customerMappings: { totalCount: 0 } });
    expect((await write(SUPPORT)).errors).toEqual([{ message: 'Support users may read everything and change nothing.', extensions: { code: 'FORBIDDEN' } }]);
    expect((await restCall('GET', SUPPORT)).status).toBe(200);
    expect(await restCall('DELETE', SUPPORT)).toMatchObject({ status: 403, body: { detail: 'Support users may read everything and change nothing.' } });

    expect((await viewer(PLAIN)).body.data.viewer).toEqual({ username: 'pat.owner', isStaff: false, isSupport: false, source: 'waldur' });
    expect((await staffRead(PLAIN)).body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await write(PLAIN)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await restCall('GET', PLAIN)).status).toBe(403);

    for (const token of [INACTIVE, 'c'.repeat(40)]) {
      expect((await viewer(token)).body.data.viewer).toBeNull();
      expect((await staffRead(token)).body.errors[0]).toMatchObject({ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } });
      expect(await restCall('GET', token)).toMatchObject({ status: 401, body: { detail: 'Invalid token.' } });
    }
    // SSE: support follows work like staff; a plain user is refused
    const sse = async (token: string) =>
      (await gw.yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent('subscription { workProgress(uuid: "00000000-0000-4000-8000-000000000000") { state } }')}`, { headers: { accept: 'text/event-stream', authorization: `Token ${token}` } })).text();
    expect(await sse(SUPPORT)).toContain('NOT_FOUND');
    expect(await sse(PLAIN)).toContain('FORBIDDEN');
    // an OIDC access token, as Waldur's Bearer
    expect((await viewer(JWT, 'Bearer')).body.data.viewer).toEqual({ username: 'oidc.user', isStaff: true, isSupport: false, source: 'waldur' });
  });

  it('asks Waldur once per token per cache period, however many requests come at once', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    await gw.waldur.resetStats();
    const answers = await Promise.all(Array.from({ length: 50 }, () => who(STAFF)));
    expect(answers.every((a) => a.body.data.viewer.username === 'alice.staff')).toBe(true);
    expect((await gw.waldur.stats()).me).toBe(1);
  });

  it('follows a demotion and a deactivation in Waldur within the cache time', async () => {
    expect((await who(DEMOTED)).body.data.viewer.isStaff).toBe(true);
    await patchUser('dana.staff', { isStaff: false });
    // still staff while Waldur's word is kept
    expect((await write(DEMOTED)).data?.deleteCustomerMapping.__typename).toBe('NotFoundError');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await write(DEMOTED)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    await patchUser('dana.staff', { isActive: false });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await viewer(DEMOTED)).body.data.viewer).toBeNull();
    expect((await restCall('GET', DEMOTED)).status).toBe(401);
  });

  it('keeps cached identities working while Waldur is down, and answers the rest 503 with a retry hint, never 401', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    expect((await who(STAFF)).status).toBe(200);
    await gw.waldur.setFaults({ errorRate: 1, endpoints: ['me'] });
    try {
      expect((await who(STAFF)).body.data.viewer.username).toBe('alice.staff');
      const uncached = await who(SUPPORT);
      expect(uncached.status).toBe(503);
      expect(uncached.body.errors[0]).toMatchObject({ extensions: { code: 'WALDUR_UNAVAILABLE' } });
      expect(uncached.body.errors[0].message).toMatch(/^Waldur could not say who this token belongs to/);
      expect(await restCall('GET', PLAIN)).toMatchObject({ status: 503, retryAfter: '5' });
    } finally {
      await gw.waldur.setFaults({});
    }
  });
});
