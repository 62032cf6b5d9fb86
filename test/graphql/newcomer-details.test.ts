import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';
import { createLogger } from '../../src/observability/logger.js';
import { record } from '../support/secret-scan.js';

/** Small things a newcomer tripped on (issue: a newcomer's second day, point 5). */
describe("a newcomer's second day", () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let rest: { base: string; close(): Promise<void> };
  const logged: { level: number; msg: string; error?: string; operation?: string }[] = [];
  const period = '2026-10';

  beforeAll(async () => {
    const lines = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) (record('log', line), logged.push(JSON.parse(line)));
        done();
      },
    });
    gw = await startTestGateway('pglite', companiesFixture(3, period), { logger: createLogger('warn', lines) });
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
    rest = await listen(gw.server);
  });
  afterAll(async () => {
    await rest?.close();
    await gw?.close();
  });

  const DELETE = `mutation($uuid: UUID!, $dryRun: Boolean, $confirm: Boolean) { deleteCustomerMapping(uuid: $uuid, dryRun: $dryRun, confirmBillingHistoryLoss: $confirm) {
    ... on MutationDeleteCustomerMappingSuccess { deleted { uuid deleted billingSyncs billingPeriods linkedResources } } ... on Error { __typename message } } }`;
  const restDelete = (uuid: string, query = '') =>
    fetch(`${rest.base}/api/admin/arrow/customer-mappings/${uuid}/${query}`, { method: 'DELETE', headers: { authorization: `Token ${gw.staffToken}` } });

  it('deleteCustomerMapping: a dry run says what would go; billing history goes only with a confirmation (GraphQL)', async () => {
    const c = companies[0]!;
    await gw.t.db.prisma.billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'S1', reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '12.5', items: { create: [{ arrowLineReference: '1', originalPrice: '12.5' }] } } });
    const preview = (await gw.gql(DELETE, { uuid: c.mappingUuid, dryRun: true })).data.deleteCustomerMapping.deleted;
    expect(preview).toEqual({ uuid: c.mappingUuid, deleted: false, billingSyncs: 1, billingPeriods: ['2026-09'], linkedResources: 1 });
    const refused = (await gw.gql(DELETE, { uuid: c.mappingUuid })).data.deleteCustomerMapping;
    expect(refused).toEqual({ __typename: 'ConflictError', message: expect.stringContaining('has 1 billing sync (2026-09) that would be deleted with it. Confirm the loss') });
    expect(await gw.t.db.prisma.billingSync.count({ where: { customerMappingUuid: c.mappingUuid! } })).toBe(1);
    const done = (await gw.gql(DELETE, { uuid: c.mappingUuid, confirm: true })).data.deleteCustomerMapping.deleted;
    expect(done).toMatchObject({ deleted: true, billingSyncs: 1 });
    expect(await gw.t.db.prisma.customerMapping.count({ where: { uuid: c.mappingUuid! } })).toBe(0);
  });

  it('the same in REST: ?dry_run=true answers 200 with what would go, no ?confirm=true a 400, then 204', async () => {
    const c = companies[1]!;
    await gw.t.db.prisma.billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'S2', reportPeriod: '2026-08', state: 'SYNCED' } });
    const dry = await restDelete(c.mappingUuid!, '?dry_run=true');
    expect([dry.status, await dry.json()]).toEqual([200, { uuid: c.mappingUuid, dry_run: true, billing_syncs: 1, billing_periods: ['2026-08'], linked_resources: 1 }]);
    const refused = await restDelete(c.mappingUuid!);
    expect(refused.status).toBe(400);
    expect((await refused.json()).detail).toContain('Confirm the loss');
    expect((await restDelete(c.mappingUuid!, '?confirm=true')).status).toBe(204);
    // a mapping without billing history is deleted as Waldur deletes it
    expect((await restDelete(companies[2]!.mappingUuid!)).status).toBe(204);
  });

  it('a page too large is refused at the connection itself, not at one of its fields', async () => {
    const answer = await gw.gql('{ customerMappings(first: 100000) { totalCount edges { node { uuid } } } }');
    expect(answer).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Page size must be between 0 and 300', path: ['customerMappings'] })] });
  });

  it('a failed sync from Waldur is said at warn', async () => {
    logged.length = 0;
    await gw.waldur.setFaults({ endpoints: ['customers'], errorRate: 1 });
    try {
      const sync = await gw.gql('mutation { syncFromWaldur(full: true) { __typename } }');
      expect(sync.data.syncFromWaldur.__typename).toBe('WaldurUnavailableError');
    } finally {
      await gw.waldur.setFaults({});
    }
    const warnings = logged.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toContain('waldur: sync failed (the mirror is kept as it was)');
  });

  it('a link Waldur refuses is said at warn, through GraphQL and through REST', async () => {
    const c = companies[1]!;
    await gw.t.db.prisma.customerMapping.create({ data: { settingsUuid: (await gw.t.db.prisma.arrowSettings.findFirstOrThrow()).uuid, arrowReference: c.arrowReference, waldurCustomerUuid: c.customerUuid } }).catch(() => undefined);
    const mapping = await gw.t.db.prisma.customerMapping.findFirstOrThrow({ where: { waldurCustomerUuid: c.customerUuid } });
    logged.length = 0;
    await gw.waldur.setFaults({ endpoints: ['setBackendId'], errorRate: 1 });
    try {
      const link = await gw.gql(`mutation { linkResource(mappingUuid: "${mapping.uuid}", resourceUuid: "${c.resourceUuids[1]}", licenseReference: "XSP700011") { __typename } }`);
      expect(link.data.linkResource.__typename).toBe('WaldurUnavailableError');
      const viaRest = await fetch(`${rest.base}/api/admin/arrow/customer-mappings/${mapping.uuid}/link_resource/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${gw.staffToken}` },
        body: JSON.stringify({ resource_uuid: c.resourceUuids[1], license_reference: 'XSP700011' }),
      });
      expect(viaRest.status).toBe(503);
    } finally {
      await gw.waldur.setFaults({});
    }
    const warnings = logged.filter((l) => l.level === 40 && l.msg === 'waldur: the write was refused or failed');
    expect(warnings.map((w) => w.operation ?? 'REST')).toEqual(['linkResource', 'REST']);
    expect(warnings[0]!.error).toContain('Cannot set the backend_id of resource');
  });
});
