import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies } from '../support/seed.js';
import { countQueries, databaseKinds } from '../support/db.js';
import { FULL_SCREEN_QUERY as SCREEN, FULL_SCREEN_QUERY_LIVE as LIVE_SCREEN } from '../../src/graphql/screen-query.js';
import { execute, parse } from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { createContextFactory } from '../../src/graphql/context.js';
import { DEFAULT_GRAPHIQL_QUERY } from '../../src/graphql/yoga.js';

const period = '2026-10';

describe.each(databaseKinds)('the full mappings screen: the same SQL for 1 and 100 mappings, and Arrow asked only about the page (%s)', (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(100, period));
    const prisma = gw.t.db.prisma;
    const offering = { uuid: await createOffering(gw, 'Arrow') };
    const settings = await prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } });
    const companies = await seedCompanies(gw, { n: 100, settingsUuid: settings.uuid, offeringUuid: offering.uuid });
    // history for billing_summary: a consumption record per linked resource, a billing sync per mapping
    for (const c of companies) {
      await prisma.consumptionRecord.create({ data: { resourceUuid: c.resourceUuids[0]!, licenseReference: 'L', billingPeriod: new Date('2026-09-01'), consumedSell: '12.5', consumedBuy: '10' } });
      await prisma.billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'S1', reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '12.5', items: { create: [{ arrowLineReference: '1', originalPrice: '12.5' }] } } });
    }
    // the page's consumption comes from what the consumption sync flow keeps, synced here for real
    const run = await gw.gql(`mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settings.uuid}") { ... on MutationRunConsumptionSyncSuccess { run { status created } } } }`);
    expect(run.data.runConsumptionSync.run).toEqual({ status: 'SUCCEEDED', created: 100 });
  });
  afterAll(() => gw.close());

  async function screen(first: number, query = SCREEN) {
    gw.arrow.invalidate();
    gw.sim.resetStats();
    const { result, queries } = await countQueries(gw.t.db, () => gw.gql(query, { first, period }));
    if (process.env.SHOW_SQL) console.log(`--- ${first}\n${queries.map((q) => q.replace(/"public"\./g, '').slice(0, 140)).join('\n')}`);
    expect(result.errors).toBeUndefined();
    return { result, sql: queries.length, arrow: gw.sim.stats() };
  }

  it('issues the same SQL statements for 1 and for 100 mappings, and asks Arrow only about the page\'s customers', async () => {
    const one = await screen(1);
    const hundred = await screen(100);
    expect(one.result.data.customerMappings.edges).toHaveLength(1);
    expect(hundred.result.data.customerMappings.edges).toHaveLength(100);
    expect(hundred.sql).toBe(one.sql);
    // the viewer by token, the page with its customers (joined), count, settings, the resources
    // with their projects and offerings, the billing summaries, the month's consumption records,
    // and its last consumption sync: one statement each
    expect(one.sql).toBe(8);
    // one mapping: its customer, its licences and its export rows, one request each
    expect(one.arrow).toEqual({ customer: 1, customerLicenses: 1, billingExport: 1 });
    // a hundred: the customer listing (one page of 100), the find of their 200 licences (two
    // pages of 100) and their export rows (one page of up to 1,000)
    expect(hundred.arrow).toEqual({ customers: 1, licensesFind: 2, billingExport: 1 });
    const node = hundred.result.data.customerMappings.edges[0].node;
    expect(node.arrowData).toMatchObject({ consumptionSource: 'SYNCED', consumptionTotalSell: '15.50', matchedResources: 1 });
    expect(node.arrowData.consumptionSyncedAt).not.toBeNull();
    expect(node.billingSummary.totalConsumedSell).toBe('28.00'); // September's 12.50 and October's synced 15.50
    expect(node.suggestions).toHaveLength(1);
    const requests = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b);
    console.log(`screen: ${one.sql} SQL statements for 1 and for 100 mappings; ${requests(one.arrow)} and ${requests(hundred.arrow)} Arrow requests`);
  });

  it('asked for LIVE consumption, adds exactly one Arrow call per linked licence and gives the same figures', async () => {
    expect(LIVE_SCREEN).not.toBe(SCREEN);
    const one = await screen(1, LIVE_SCREEN);
    const hundred = await screen(100, LIVE_SCREEN);
    expect(hundred.sql).toBe(one.sql);
    expect(one.sql).toBe(6); // no consumption records or sync runs to read
    // Arrow has no batch consumption endpoint
    expect(one.arrow).toEqual({ customer: 1, customerLicenses: 1, billingExport: 1, consumptionMonthly: 1 });
    expect(hundred.arrow).toEqual({ customers: 1, licensesFind: 2, billingExport: 1, consumptionMonthly: 100 });
    const synced = await screen(100);
    const figures = (r: any) => r.data.customerMappings.edges.map((e: any) => [e.node.arrowData.consumptionTotalSell, e.node.arrowData.consumptionLines.map((l: any) => l.sellPrice)]);
    expect(figures(hundred.result)).toEqual(figures(synced.result));
  });

  it('answers through the compiled executor exactly what graphql-js answers', async () => {
    // the gateway runs graphql-jit with leaf serialization off for String, Int, Float, Boolean,
    // ID and enums (their values are sent as the resolvers give them): graphql-js, which
    // serializes every leaf, must give the same text
    const context = createContextFactory({ db: gw.t.db, arrow: gw.arrow, waldur: gw.waldurClient, background: gw.background });
    const request = new Request('http://yoga/graphql', { headers: { authorization: `Token ${gw.staffToken}` } });
    for (const query of [SCREEN, LIVE_SCREEN, DEFAULT_GRAPHIQL_QUERY]) {
      const variables = { first: 100, period };
      const compiled = await gw.gql(query, query === DEFAULT_GRAPHIQL_QUERY ? { period } : variables);
      const reference = await execute({ schema, document: parse(query), contextValue: await context({ request } as never), variableValues: query === DEFAULT_GRAPHIQL_QUERY ? { period } : variables });
      expect(compiled.errors).toBeUndefined();
      expect(JSON.stringify(compiled)).toBe(JSON.stringify(JSON.parse(JSON.stringify(reference))));
    }
  });

  it('makes no Arrow request when repeated within the cache TTL', async () => {
    await screen(100);
    gw.sim.resetStats();
    const again = await gw.gql(SCREEN, { first: 100, period });
    expect(again.errors).toBeUndefined();
    expect(gw.sim.stats()).toEqual({});
  });
});
