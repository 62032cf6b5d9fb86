import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { createToken, createUser, listTokens } from '../../src/domain/users.js';
import { listen } from '../support/http.js';

/**
 * Issue 28, points 3 and 4: the gateway's own tokens expire, can be revoked and rotated, and
 * record their last use (at most once a minute); every mutation and REST write is in an audit
 * log staff can page through, and the request's log line names its user.
 */
const P = '2026-10';

describe("the gateway's own tokens, and who did what", () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let rest: { base: string; close(): Promise<void> };
  const viewer = async (token: string) => (await gw.gql('{ viewer { username } }', {}, token)).data?.viewer ?? null;

  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(2, P));
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 2, settingsUuid, offeringUuid });
    rest = await listen(gw.server);
  });
  afterAll(async () => {
    await rest?.close();
    await gw?.close();
  });

  it('expire, are revoked at once (CLI, GraphQL), rotate, and keep their last use at most once a minute', async () => {
    const prisma = gw.t.db.prisma;
    await createUser(prisma, 'ci-bot', false);
    const token = await createToken(prisma, 'ci-bot');
    let [t] = await listTokens(prisma, 'ci-bot');
    // 90 days unless said
    expect(Math.round((t!.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(90);
    expect(t!.lastUsedAt).toBeNull();
    expect(await viewer(token)).toEqual({ username: 'ci-bot' });
    [t] = await listTokens(prisma, 'ci-bot');
    const firstUse = t!.lastUsedAt!;
    expect(firstUse).toBeInstanceOf(Date);
    // used again within the minute: not written again
    expect(await viewer(token)).toEqual({ username: 'ci-bot' });
    expect((await listTokens(prisma, 'ci-bot'))[0]!.lastUsedAt).toEqual(firstUse);

    // expired
    await prisma.apiToken.update({ where: { uuid: t!.uuid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await viewer(token)).toBeNull();

    // rotated: the new token works, every other is refused at once
    const kept = await createToken(prisma, 'ci-bot', { expiresInDays: null });
    const rotated = await createToken(prisma, 'ci-bot', { rotate: true, expiresInDays: 7 });
    expect(await viewer(kept)).toBeNull();
    expect(await viewer(rotated)).toEqual({ username: 'ci-bot' });
    expect((await listTokens(prisma, 'ci-bot')).map((x) => Math.round((x.expiresAt!.getTime() - Date.now()) / 86_400_000))).toEqual([7]);

    // revoked by staff through GraphQL
    const [current] = await listTokens(prisma, 'ci-bot');
    const revoked = await gw.gql(`mutation($u: UUID!) { revokeApiToken(uuid: $u) { ... on MutationRevokeApiTokenSuccess { revoked { username } } ... on NotFoundError { message } } }`, { u: current!.uuid });
    expect(revoked.data.revokeApiToken).toEqual({ revoked: { username: 'ci-bot' } });
    expect(await viewer(rotated)).toBeNull();
    expect((await gw.gql(`mutation($u: UUID!) { revokeApiToken(uuid: $u) { ... on NotFoundError { message } } }`, { u: current!.uuid })).data.revokeApiToken).toEqual({ message: 'No such token' });

    // a user deleted with their tokens
    const last = await createToken(prisma, 'ci-bot');
    expect((await gw.gql(`mutation { deleteGatewayUser(username: "ci-bot") { __typename } }`)).data.deleteGatewayUser.__typename).toBe('MutationDeleteGatewayUserSuccess');
    expect(await viewer(last)).toBeNull();
  });

  it('answers "who linked XSP… to resource …" for writes through GraphQL and REST, successes and refusals alike', async () => {
    const [a, b] = companies;
    // GraphQL: a link that works, and one that is refused
    const linked = await gw.gql(`mutation($m: UUID!, $r: UUID!, $l: String!) { linkResource(mappingUuid: $m, resourceUuid: $r, licenseReference: $l) { __typename } }`, { m: a!.mappingUuid, r: a!.resourceUuids[1], l: 'XSP700001' });
    expect(linked.data.linkResource.__typename).toBe('MutationLinkResourceSuccess');
    const refused = await gw.gql(`mutation($m: UUID!, $r: UUID!, $l: String!) { linkResource(mappingUuid: $m, resourceUuid: $r, licenseReference: $l) { __typename } }`, { m: a!.mappingUuid, r: a!.resourceUuids[1], l: 'XSP999999' });
    expect(refused.data.linkResource.__typename).not.toBe('MutationLinkResourceSuccess');
    // REST, as another staff user
    await createUser(gw.t.db.prisma, 'bob', true);
    const bob = await createToken(gw.t.db.prisma, 'bob');
    const res = await fetch(`${rest.base}/api/admin/arrow/customer-mappings/${b!.mappingUuid}/link_resource/`, { method: 'POST', headers: { authorization: `Token ${bob}`, 'content-type': 'application/json' }, body: JSON.stringify({ resource_uuid: b!.resourceUuids[1], license_reference: 'XSP700011' }) });
    expect(res.status).toBe(200);

    const log = async (target: string) =>
      (await gw.gql(`query($t: String) { auditLog(first: 10, target: $t) { totalCount edges { node { actorUsername actorSource operation target outcome requestId } } } }`, { t: target })).data.auditLog;
    const first = await log('XSP700001');
    expect(first.totalCount).toBe(1);
    expect(first.edges[0].node).toMatchObject({ actorUsername: 'staff', actorSource: 'local', operation: 'linkResource', outcome: 'ok' });
    expect(first.edges[0].node.target).toContain(`resourceUuid=${a!.resourceUuids[1]}`);
    expect((await log('XSP999999')).edges[0].node).toMatchObject({ operation: 'linkResource', outcome: expect.stringMatching(/Error$/) });
    const second = (await log('XSP700011')).edges[0].node;
    expect(second).toMatchObject({ actorUsername: 'bob', operation: 'POST /api/admin/arrow/customer-mappings/:uuid/link_resource/', outcome: 'ok' });
    expect(second.target).toContain(`resource_uuid=${b!.resourceUuids[1]}`);
    expect(second.requestId).toBe(res.headers.get('x-request-id'));
    // reads are not recorded, and non-staff cannot read the log
    expect((await gw.gql('{ auditLog(first: 1) { totalCount } }', {}, gw.userToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("names the request's user in its log line", async () => {
    const lines: string[] = [];
    const { createLogger } = await import('../../src/observability/logger.js');
    const { createGateway } = await import('../../src/server.js');
    const { server } = createGateway({ db: gw.t.db, arrow: gw.arrow, waldur: gw.waldurClient, logger: createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(c.toString()), done()) })) });
    const http = await listen(server);
    try {
      await fetch(`${http.base}/graphql`, { method: 'POST', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: '{"query":"{ viewer { username } }"}' });
      await new Promise((r) => setTimeout(r, 50));
      const line = JSON.parse(lines.find((l) => l.includes('"request"'))!);
      expect(line.user).toMatch(/^staff \(local [0-9a-f-]{36}\)$/);
      expect(lines.join('')).not.toContain(gw.staffToken);
    } finally {
      await http.close();
    }
  });
});
