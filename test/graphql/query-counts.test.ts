import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies } from '../support/seed.js';
import { countQueries, databaseKinds } from '../support/db.js';
import { FULL_SCREEN_QUERY as SCREEN } from '../../src/graphql/screen-query.js';

const period = '2026-10';

describe.each(databaseKinds)('the full mappings screen costs the same for 1 and 100 mappings (%s)', (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(100, period), { sim: { defaultPerPage: 1000 } });
    const prisma = gw.t.db.prisma;
    const offering = await prisma.offering.create({ data: { name: 'Arrow' } });
    const settings = await prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
    const companies = await seedCompanies(prisma, { n: 100, settingsUuid: settings.uuid, offeringUuid: offering.uuid });
    // history for billing_summary: a consumption record per linked resource, a billing sync per mapping
    for (const c of companies) {
      await prisma.consumptionRecord.create({ data: { resourceUuid: c.resourceUuids[0]!, licenseReference: 'L', billingPeriod: new Date('2026-09-01'), consumedSell: '12.5', consumedBuy: '10' } });
      await prisma.billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'S1', reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '12.5', items: { create: [{ arrowLineReference: '1', originalPrice: '12.5' }] } } });
    }
  });
  afterAll(() => gw.close());

  async function screen(first: number) {
    gw.arrow.invalidate();
    gw.sim.resetStats();
    const { result, queries } = await countQueries(gw.t.db, () => gw.gql(SCREEN, { first, period }));
    if (process.env.SHOW_SQL) console.log(`--- ${first}\n${queries.map((q) => q.replace(/"public"\./g, '').slice(0, 140)).join('\n')}`);
    expect(result.errors).toBeUndefined();
    return { result, sql: queries.length, arrow: gw.sim.stats() };
  }

  it('issues the same SQL statements and Arrow listing requests, and one consumption call per linked licence', async () => {
    const one = await screen(1);
    const hundred = await screen(100);
    expect(one.result.data.customerMappings.edges).toHaveLength(1);
    expect(hundred.result.data.customerMappings.edges).toHaveLength(100);
    expect(hundred.sql).toBe(one.sql);
    // token and user, page, customers, count, settings, resources with their projects and
    // offerings, and four for the billing summaries
    expect(one.sql).toBe(13);
    // Arrow has no batch consumption endpoint: exactly one call per linked licence on the page
    // (200 licences and 200 export rows are two pages of 100 each)
    expect(one.arrow).toEqual({ customers: 1, licenses: 2, billingExport: 2, consumptionMonthly: 1 });
    expect(hundred.arrow).toEqual({ customers: 1, licenses: 2, billingExport: 2, consumptionMonthly: 100 });
    const node = hundred.result.data.customerMappings.edges[0].node;
    expect(node.arrowData.consumptionTotalSell).toBe('15.50');
    expect(node.billingSummary.totalConsumedSell).toBe('12.50');
    expect(node.suggestions).toHaveLength(1);
    console.log(`screen: ${one.sql} SQL statements for 1 and for 100 mappings`);
  });

  it('makes no Arrow request when repeated within the cache TTL', async () => {
    await screen(100);
    gw.sim.resetStats();
    const again = await gw.gql(SCREEN, { first: 100, period });
    expect(again.errors).toBeUndefined();
    expect(gw.sim.stats()).toEqual({});
  });
});
