import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import { record } from '../support/secret-scan.js';
import { startTestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies } from '../support/seed.js';
import { openDatabase } from '../../src/db/database.js';
import { createGateway } from '../../src/server.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';

const period = '2026-10';
let gw: TestGateway;
let companies: Awaited<ReturnType<typeof startSeededGateway>>['companies'];

beforeAll(async () => {
  ({ gw, companies } = await startSeededGateway(6, period));
});
afterAll(() => gw?.close());

const WORK = 'uuid kind label state done total message flowRun { kind status created }';

/** Follows work over Yoga's SSE transport, as the console does: every event's data. */
async function followOverSse(uuid: string, token = gw.staffToken, yoga = gw.yoga) {
  const res = await yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent(`subscription($u: UUID!) { workProgress(uuid: $u) { ${WORK} } }`)}&variables=${encodeURIComponent(JSON.stringify({ u: uuid }))}`, {
    headers: { accept: 'text/event-stream', authorization: `Token ${token}` },
  });
  record('token', token);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text(); // the stream ends when the work does
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('event: next'))
    .map((event) => JSON.parse(event.split('\ndata: ')[1]!));
}

describe('long work started from GraphQL, followed over SSE', () => {
  it('a consumption sync answers its work at once and reports every licence until 100%', async () => {
    const started = await gw.gql(`mutation($p: String!) { startFlow(flow: CONSUMPTION_SYNC, period: $p) { ... on MutationStartFlowSuccess { work { ${WORK} } } ... on Error { __typename message } } }`, { p: period });
    const work = started.data.startFlow.work;
    expect(work).toMatchObject({ kind: 'CONSUMPTION_SYNC', label: `Consumption sync ${period}`, state: 'RUNNING', flowRun: null });
    const events = await followOverSse(work.uuid);
    const last = events.at(-1).data.workProgress;
    expect(last).toMatchObject({ state: 'SUCCEEDED', done: 6, total: 6, flowRun: { kind: 'CONSUMPTION_SYNC', status: 'SUCCEEDED', created: 6 } });
    // progress only moves forward
    const done = events.map((e: any) => e.data.workProgress.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // a page opened later finds it among the recent work, ended
    const recent = await gw.gql(`{ recentWork { uuid state done total } }`);
    expect(recent.data.recentWork).toContainEqual({ uuid: work.uuid, state: 'SUCCEEDED', done: 6, total: 6 });
  });

  it('the Waldur sync and a historical consumption sync report their steps too', async () => {
    const sync = await gw.gql(`mutation { startWaldurSync(full: true) { ... on MutationStartWaldurSyncSuccess { work { uuid kind } } } }`);
    const syncEvents = await followOverSse(sync.data.startWaldurSync.work.uuid);
    expect(syncEvents.at(-1).data.workProgress).toMatchObject({ kind: 'WALDUR_SYNC', state: 'SUCCEEDED', done: 6, total: 6 });

    const history = await gw.gql(`mutation($r: UUID!) { startHistoricalConsumptionSync(resourceUuid: $r, periodFrom: "2026-08", periodTo: "2026-10") { ... on MutationStartHistoricalConsumptionSyncSuccess { work { uuid label } } } }`, { r: companies[0]!.resourceUuids[0] });
    const historyEvents = await followOverSse(history.data.startHistoricalConsumptionSync.work.uuid);
    expect(historyEvents.at(-1).data.workProgress).toMatchObject({ kind: 'HISTORICAL_CONSUMPTION_SYNC', state: 'SUCCEEDED', done: 3, total: 3 });
  });

  it('bad input starts nothing and says why; users who are not staff cannot follow work', async () => {
    const before = await gw.t.db.prisma.work.count();
    const badMonth = await gw.gql(`mutation { startFlow(flow: BILLING_SYNC, period: "October") { ... on Error { __typename message } } }`);
    expect(badMonth.data.startFlow).toEqual({ __typename: 'ValidationError', message: 'Use a month as YYYY-MM, e.g. 2026-11.' });
    const noResource = await gw.gql(`mutation { startHistoricalConsumptionSync(resourceUuid: "00000000-0000-4000-8000-000000000000") { ... on Error { __typename message } } }`);
    expect(noResource.data.startHistoricalConsumptionSync.__typename).toBe('NotFoundError');
    expect(await gw.t.db.prisma.work.count()).toBe(before);

    const unknown = await gw.yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent('subscription { workProgress(uuid: "00000000-0000-4000-8000-000000000000") { state } }')}`, {
      headers: { accept: 'text/event-stream', authorization: `Token ${gw.staffToken}` },
    });
    expect(await unknown.text()).toContain('NOT_FOUND');
    const asUser = await gw.yoga.fetch(`http://yoga/graphql?query=${encodeURIComponent('subscription { workProgress(uuid: "00000000-0000-4000-8000-000000000000") { state } }')}`, {
      headers: { accept: 'text/event-stream', authorization: `Token ${gw.userToken}` },
    });
    record('token', gw.userToken);
    expect(await asUser.text()).toContain('FORBIDDEN');
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('long work followed from another replica on one PostgreSQL', () => {
  it('a flow run by one gateway reports its progress to 100% through the other', async () => {
    const pg = await startTestGateway('postgresql', companiesFixture(4, period));
    // a second gateway on the same database with its own connection: it hears of the work only by reading its row
    const db = await openDatabase({ databaseUrl: pg.t.url!, dataDir: 'unused' });
    const replica = createGateway({ db, arrow: new ArrowSource({ timeoutMs: 3000, retries: 1, maxInFlight: 8, cacheTtlMs: 60_000 }), waldur: pg.waldurClient });
    try {
      const offeringUuid = await createOffering(pg, 'Arrow');
      const settingsUuid = (await pg.t.db.prisma.arrowSettings.create({ data: { apiUrl: pg.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
      await seedCompanies(pg, { n: 4, settingsUuid, offeringUuid });
      pg.sim.setFaults({ latencyMs: 150 }); // long enough to be seen running
      const started = await pg.gql(`mutation($p: String!) { startFlow(flow: CONSUMPTION_SYNC, period: $p) { ... on MutationStartFlowSuccess { work { uuid } } } }`, { p: period });
      const events = await followOverSse(started.data.startFlow.work.uuid, pg.staffToken, replica.yoga);
      expect(events[0].data.workProgress.state).toBe('RUNNING');
      expect(events.at(-1).data.workProgress).toMatchObject({ state: 'SUCCEEDED', done: 4, total: 4, flowRun: { status: 'SUCCEEDED', created: 4 } });
    } finally {
      pg.sim.setFaults({});
      replica.server.close();
      await db.close();
      await pg.close();
    }
  });
});
