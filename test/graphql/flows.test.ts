import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { runScheduledFlows } from '../../src/scheduler.js';

const period = '2026-10';
let gw: TestGateway;
let companies: SeededCompany[];
let settingsUuid: string;
beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(3, period));
  const offering = { uuid: await createOffering(gw, 'Arrow') };
  settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP', syncEnabled: true } })).uuid;
  companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid: offering.uuid });
});
afterAll(() => gw.close());

describe('billing flows through GraphQL', () => {
  it('runs each flow for a period and answers the recorded run', async () => {
    const sync = await gw.gql(`mutation { runBillingSync(period: "${period}") { ... on MutationRunBillingSyncSuccess { run { kind period status created failed } } ... on Error { __typename message } } }`);
    expect(sync.data.runBillingSync.run).toMatchObject({ kind: 'BILLING_SYNC', period, status: 'SUCCEEDED', created: 3, failed: 0 });
    const consumption = await gw.gql(`mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settingsUuid}") { ... on MutationRunConsumptionSyncSuccess { run { status created } } } }`);
    expect(consumption.data.runConsumptionSync.run).toEqual({ status: 'SUCCEEDED', created: 3 });
    const validation = await gw.gql(`mutation { runBillingValidation(period: "${period}") { ... on MutationRunBillingValidationSuccess { run { status updated message } } } }`);
    expect(validation.data.runBillingValidation.run.status).toMatch(/SUCCEEDED|SKIPPED/);
    const reconciliation = await gw.gql(`mutation { runReconciliation(period: "${period}", force: true) { ... on MutationRunReconciliationSuccess { run { status updated } } } }`);
    expect(reconciliation.data.runReconciliation.run.status).toBe('SUCCEEDED');
    const bad = await gw.gql(`mutation { runBillingSync(period: "October") { ... on Error { __typename message } } }`);
    expect(bad.data.runBillingSync).toEqual({ __typename: 'ValidationError', message: 'Use a month as YYYY-MM, e.g. 2026-11.' });
  });

  it('lists billing syncs, their items, consumption records and runs with filters', async () => {
    const q = await gw.gql(`query($m: UUID!) {
      billingSyncs(first: 10, mappingUuid: $m, periodFrom: "2026-10", periodTo: "2026-10") { totalCount edges { node { statementReference state sellTotal items { arrowLineReference originalPrice adjustment { amount } } customerMapping { arrowReference } } } }
      reconciled: consumptionRecords(first: 10, mappingUuid: $m, reconciled: true) { totalCount edges { node { licenseReference consumedSell finalSell isFinalized isReconciled resource { name } } } }
      open: consumptionRecords(first: 10, finalized: false) { totalCount }
      october: consumptionRecords(first: 10, settingsUuid: "${settingsUuid}", periodFrom: "2026-10", periodTo: "2026-10") { totalCount edges { node { billingPeriod } } }
      later: consumptionRecords(first: 10, periodFrom: "2026-11") { totalCount }
      unknownMapping: consumptionRecords(first: 10, mappingUuid: "00000000-0000-4000-8000-000000000000") { totalCount }
      flowRuns(first: 10, kind: BILLING_SYNC) { totalCount edges { node { status created } } }
      mapping: customerMapping(uuid: $m) { billingSyncs { statementReference } }
    }`, { m: companies[0]!.mappingUuid });
    expect(q.errors).toBeUndefined();
    expect(q.data.billingSyncs.totalCount).toBe(1);
    expect(q.data.billingSyncs.edges[0].node).toMatchObject({ statementReference: 'ST-XSP500000', state: 'RECONCILED', sellTotal: '31.00', customerMapping: { arrowReference: 'XSP500000' } });
    expect(q.data.billingSyncs.edges[0].node.items).toHaveLength(2);
    expect(q.data.reconciled.edges).toEqual([{ node: { licenseReference: 'XSP700000', consumedSell: '15.50', finalSell: '15.50', isFinalized: true, isReconciled: true, resource: { name: 'Azure Plan' } } }]);
    expect(q.data.open.totalCount).toBe(0);
    expect(q.data.october.totalCount).toBe(3);
    expect(q.data.october.edges.map((e: any) => e.node.billingPeriod)).toEqual(['2026-10-01', '2026-10-01', '2026-10-01']);
    expect(q.data.later.totalCount).toBe(0);
    expect(q.data.unknownMapping.totalCount).toBe(0);
    expect(q.data.flowRuns.edges[0].node).toEqual({ status: 'SUCCEEDED', created: 3 });
    expect(q.data.mapping.billingSyncs).toEqual([{ statementReference: 'ST-XSP500000' }]);
  });

  it('runs the scheduled round for settings with sync enabled', async () => {
    const runs = await runScheduledFlows({ db: gw.t.db, arrow: gw.arrow }, new Date('2026-11-10T00:00:00Z'));
    expect(runs.map((r) => [r.kind, r.period])).toEqual([
      ['BILLING_SYNC', '2026-11'], ['CONSUMPTION_SYNC', '2026-11'],
      ['BILLING_SYNC', '2026-10'], ['CONSUMPTION_SYNC', '2026-10'], ['VALIDATION', '2026-10'], ['RECONCILIATION', '2026-10'],
      ['INVOICE_PUSH', '2026-10'], ['INVOICE_PUSH', '2026-11'],
    ]);
    expect(runs.every((r) => r.failed === 0)).toBe(true);
    // settings whose Waldur billing is off push nothing, and say why
    expect(runs.filter((r) => r.kind === 'INVOICE_PUSH').map((r) => [r.status, r.message])).toEqual([
      ['SKIPPED', 'These settings put no Arrow charges on Waldur invoices (waldurBilling OFF)'],
      ['SKIPPED', 'These settings put no Arrow charges on Waldur invoices (waldurBilling OFF)'],
    ]);
  });
});
