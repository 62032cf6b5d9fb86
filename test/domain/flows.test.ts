import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';
import { ArrowSource } from '../../src/domain/arrow-source.js';
import { runBillingSync, runValidation } from '../../src/domain/flows/billing-sync.js';
import { runConsumptionSync } from '../../src/domain/flows/consumption-sync.js';
import { runReconciliation } from '../../src/domain/flows/reconciliation.js';
import type { FlowDeps } from '../../src/domain/flows/runs.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';

const P = '2026-09';
const row = (seq: string, customerId: string, name: string, licence: string, sell: string, buy: string, statement = 'ST-1') => ({
  'Statement Reference': statement, Sequence: seq, 'End User Company ID': customerId, 'End User Company Name': name, 'Vendor Name': 'Microsoft',
  'Vendor Subscription ID': `SUB-${licence}`, 'ARS Subscription ID': licence, 'Arrow SKU': 'SKU', 'Product Name': 'Azure Plan', Classification: 'IAAS', Qty: '1',
  'Customer Total Price': sell, 'Total Wholesale Price': buy, 'Report Period': P,
});

function fixture(): ArrowFixture {
  return {
    apiKey: 'k',
    partner: { reference: 'XSP1', companyName: 'Partner' },
    customers: [{ Reference: 'XSP100', CompanyName: 'Alpha GmbH' }, { Reference: 'XSP200', CompanyName: 'Beta Ltd' }],
    licenses: [{ license_id: 'LIC-A', friendlyName: 'Alpha Azure', customer_ref: 'XSP100', service_ref: 'MS-AZR-0145P-PLAN', vendor_code: 'Microsoft', name: 'Azure Plan', sku: 'SKU' }],
    exportTypes: [{ reference: 'EXP', name: 'Monthly' }],
    billing: {
      [P]: [
        row('1', 'XSP100', 'Alpha GmbH', 'LIC-A', '100.00', '80.00'),
        row('2', 'XSP100', 'Alpha GmbH', 'LIC-B', '200.00', '160.00'),
        row('3', 'XSP100', 'Alpha GmbH', 'LIC-C', '0', '0'),
        row('4', 'XSP200', 'Beta Ltd', 'LIC-Z', '999.00', '900.00', 'ST-9'),
      ],
    },
    consumption: { 'LIC-A': { [P]: [{ 'Total sell price': '100', 'Total buy price': '80' }, { 'Total sell price': '50', 'Total buy price': '40' }] } },
    predictions: { 'LIC-A': { sell: '77.70', buy: '66.60' } },
  };
}

describe.each(databaseKinds)('billing and consumption flows (%s)', (kind) => {
  let t: TestDatabase;
  let sim: RunningSimulator;
  let deps: FlowDeps;
  let fx: ArrowFixture;
  let settingsUuid: string;
  let mappingUuid: string;
  const prisma = () => t.db.prisma;
  const opts = (extra: object = {}) => ({ settingsUuid, period: P, ...extra });
  /** Everything the flows write, but their own run records. */
  const state = async () => ({
    syncs: await prisma().billingSync.findMany({ orderBy: { uuid: 'asc' } }),
    items: await prisma().billingSyncItem.findMany({ orderBy: { uuid: 'asc' } }),
    records: await prisma().consumptionRecord.findMany({ orderBy: { uuid: 'asc' } }),
    adjustments: await prisma().adjustment.findMany({ orderBy: { uuid: 'asc' } }),
  });

  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    fx = fixture();
    sim = await startArrowSimulator(fx);
    deps = { db: t.db, arrow: new ArrowSource({ timeoutMs: 2000, retries: 0, maxInFlight: 4, cacheTtlMs: 0 }), now: () => new Date('2026-10-05T00:00:00Z') };
    await prisma().flowRun.deleteMany();
    await prisma().customerMapping.deleteMany();
    await prisma().arrowSettings.deleteMany();
    await prisma().waldurCustomer.deleteMany();
    await prisma().offering.deleteMany();
    const settings = await prisma().arrowSettings.create({ data: { apiUrl: sim.apiUrl, apiKey: 'k', exportTypeReference: 'EXP' } });
    settingsUuid = settings.uuid;
    const customer = await prisma().waldurCustomer.create({ data: { name: 'Alpha' } });
    const project = await prisma().project.create({ data: { name: 'P', customerUuid: customer.uuid } });
    const offering = await prisma().offering.create({ data: { name: 'Arrow' } });
    await prisma().resource.create({ data: { name: 'Azure', backendId: 'LIC-A', projectUuid: project.uuid, offeringUuid: offering.uuid } });
    mappingUuid = (await prisma().customerMapping.create({ data: { settingsUuid, arrowReference: 'XSP100', arrowCompanyName: 'Alpha GmbH', waldurCustomerUuid: customer.uuid } })).uuid;
  });
  afterEach(() => sim.close());

  describe('billing sync', () => {
    it('turns a mapped customer\'s lines into one SYNCED sync with its totals, skipping zero-priced and unmapped lines', async () => {
      const run = await runBillingSync(deps, opts());
      expect(run).toMatchObject({ kind: 'BILLING_SYNC', status: 'SUCCEEDED', created: 1, skipped: 2, failed: 0 });
      const syncs = await prisma().billingSync.findMany({ include: { items: true } });
      expect(syncs).toHaveLength(1);
      expect(syncs[0]).toMatchObject({ customerMappingUuid: mappingUuid, statementReference: 'ST-1', reportPeriod: P, state: 'SYNCED' });
      expect(syncs[0]!.sellTotal.toFixed(2)).toBe('300.00');
      expect(syncs[0]!.buyTotal.toFixed(2)).toBe('240.00');
      expect(syncs[0]!.syncedAt).toBeInstanceOf(Date);
      expect(syncs[0]!.items.map((i) => i.arrowLineReference).sort()).toEqual(['1', '2']);
    });

    it('does nothing, and says why, without settings or without mappings', async () => {
      await prisma().customerMapping.deleteMany();
      expect(await runBillingSync(deps, opts())).toMatchObject({ status: 'SKIPPED', message: 'No active customer mappings for these settings' });
      await prisma().arrowSettings.deleteMany();
      expect(await runBillingSync(deps, { period: P })).toMatchObject({ status: 'SKIPPED', message: 'No active Arrow settings configured' });
      expect(await prisma().billingSync.count()).toBe(0);
    });

    it('records a failure of Arrow in the run', async () => {
      sim.setFaults({ errorRate: 1 });
      const run = await runBillingSync(deps, opts());
      expect(run.status).toBe('FAILED');
      expect(run.message).toMatch(/Arrow billingExport failed/);
    });
  });

  describe('validation and reconciliation of billing syncs', () => {
    it('reconciles a VALIDATED sync whose line went from 100 to 95 with a -5.00 adjustment', async () => {
      await runBillingSync(deps, opts());
      expect(await runValidation(deps, opts())).toMatchObject({ status: 'SUCCEEDED', updated: 1 });
      expect((await prisma().billingSync.findFirstOrThrow()).state).toBe('VALIDATED');
      fx.billing![P]![0]!['Customer Total Price'] = '95.00';
      expect(await runReconciliation(deps, opts())).toMatchObject({ status: 'SUCCEEDED' });
      const sync = await prisma().billingSync.findFirstOrThrow({ include: { items: { include: { adjustment: true } } } });
      expect(sync.state).toBe('RECONCILED');
      expect(sync.reconciledAt).toBeInstanceOf(Date);
      const adjustments = sync.items.flatMap((i) => (i.adjustment ? [i.adjustment] : []));
      expect(adjustments.map((a) => [a.kind, a.amount.toFixed(2), a.priceSource])).toEqual([['CREDIT', '-5.00', 'sell']]);
    });

    it('leaves a sync not yet validated SYNCED unless forced', async () => {
      await runBillingSync(deps, opts());
      fx.billing![P]![0]!['Customer Total Price'] = '95.00';
      await runReconciliation(deps, opts());
      expect((await prisma().billingSync.findFirstOrThrow()).state).toBe('SYNCED');
      expect(await prisma().adjustment.count({ where: { billingSyncItemUuid: { not: null } } })).toBe(0);
      await runReconciliation(deps, opts({ force: true }));
      expect((await prisma().billingSync.findFirstOrThrow()).state).toBe('RECONCILED');
    });

    it('does not validate a month that is not over', async () => {
      expect(await runValidation({ ...deps, now: () => new Date('2026-09-20T00:00:00Z') }, opts())).toMatchObject({ status: 'SKIPPED', message: 'The month 2026-09 is not over yet' });
    });

    it('refuses to reconcile a month that is not over, forced or not, and leaves its records open to later syncs', async () => {
      const midMonth = { ...deps, now: () => new Date('2026-09-20T00:00:00Z') };
      await runBillingSync(midMonth, opts());
      await runConsumptionSync(midMonth, opts());
      const before = await state();
      for (const force of [false, true]) {
        expect(await runReconciliation(midMonth, opts({ force }))).toMatchObject({
          status: 'SKIPPED',
          message: 'The month 2026-09 is not over yet: reconciliation waits for it to end',
        });
      }
      expect(await state()).toEqual(before);
      // the month stays open: a later consumption sync still updates the record
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '400', 'Total buy price': '300' }];
      expect(await runConsumptionSync(midMonth, opts())).toMatchObject({ status: 'SUCCEEDED', updated: 1 });
      expect((await prisma().consumptionRecord.findFirstOrThrow()).consumedSell.toFixed(2)).toBe('400.00');
    });
  });

  describe('months that have not begun', () => {
    it('reads no billing and no consumption (not even a prediction) for a future month', async () => {
      const future = opts({ period: '2026-12' });
      expect(await runBillingSync(deps, future)).toMatchObject({ status: 'SKIPPED', message: 'The month 2026-12 has not begun yet' });
      expect(await runConsumptionSync(deps, future)).toMatchObject({ status: 'SKIPPED', message: 'The month 2026-12 has not begun yet' });
      expect(await runReconciliation(deps, future)).toMatchObject({ status: 'SKIPPED' });
      expect(await state()).toEqual({ syncs: [], items: [], records: [], adjustments: [] });
      expect(Object.values(sim.stats()).reduce((a, b) => a + b, 0)).toBe(0);
    });
  });

  describe('consumption sync', () => {
    it('sums the month\'s lines into one record, and a second run updates it rather than adding one', async () => {
      expect(await runConsumptionSync(deps, opts())).toMatchObject({ status: 'SUCCEEDED', created: 1 });
      let records = await prisma().consumptionRecord.findMany();
      expect(records.map((r) => [r.licenseReference, r.consumedSell.toFixed(2), r.consumedBuy.toFixed(2), r.billingPeriod.toISOString().slice(0, 10)])).toEqual([['LIC-A', '150.00', '120.00', '2026-09-01']]);
      fx.consumption!['LIC-A']![P]![1]!['Total sell price'] = '60';
      expect(await runConsumptionSync(deps, opts())).toMatchObject({ updated: 1, created: 0 });
      records = await prisma().consumptionRecord.findMany();
      expect(records).toHaveLength(1);
      expect(records[0]!.consumedSell.toFixed(2)).toBe('160.00');
    });

    it('takes the prediction when the monthly endpoint fails', async () => {
      sim.setFaults({ errorRate: 1, endpoints: ['consumptionMonthly'] });
      expect(await runConsumptionSync(deps, opts())).toMatchObject({ status: 'SUCCEEDED', created: 1 });
      const r = await prisma().consumptionRecord.findFirstOrThrow();
      expect([r.consumedSell.toFixed(2), r.consumedBuy.toFixed(2)]).toEqual(['77.70', '66.60']);
      expect(r.rawData).toEqual({ source: 'prediction', lines: 0, reason: expect.stringMatching(/^the month could not be read: Arrow consumptionMonthly failed/) });
    });

    it('takes the prediction, all its values summed, while Arrow has not aggregated the month ("null" prices), and says so', async () => {
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': 'null', 'Total buy price': 'null' }, { 'Total sell price': '10', 'Total buy price': '8' }];
      sim.fixture.predictions!['LIC-A'] = [{ sell: '70.00', buy: '60.00' }, { sell: '7.70', buy: '6.60' }];
      expect(await runConsumptionSync(deps, opts())).toMatchObject({ status: 'SUCCEEDED', created: 1 });
      const r = await prisma().consumptionRecord.findFirstOrThrow();
      expect([r.consumedSell.toFixed(2), r.consumedBuy.toFixed(2)]).toEqual(['77.70', '66.60']);
      expect(r.rawData).toEqual({ source: 'prediction', lines: 0, reason: 'Arrow has not aggregated this month yet ("Total sell price" is "null")' });
    });

    it('records a licence that fails both ways, and completes the rest', async () => {
      const other = await prisma().resource.create({ data: { name: 'Broken', backendId: 'LIC-X', projectUuid: (await prisma().project.findFirstOrThrow()).uuid, offeringUuid: (await prisma().offering.findFirstOrThrow()).uuid } });
      const run = await runConsumptionSync(deps, opts());
      expect(run).toMatchObject({ status: 'PARTIAL', created: 1, failed: 1 });
      expect(run.message).toMatch(/^1 of 2 failed; first: LIC-X: monthly: /);
      // and says so in the log, at warn, with the message
      const lines: { level: number; msg: string; flow: string }[] = [];
      const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
      await runConsumptionSync({ ...deps, logger }, opts());
      expect(lines).toEqual([expect.objectContaining({ level: 40, flow: 'CONSUMPTION_SYNC', msg: expect.stringMatching(/^flow CONSUMPTION_SYNC 2026-09 PARTIAL: 1 of 2 failed; first: LIC-X: /) })]);
      expect((run.errors as { reference: string }[])[0]!.reference).toBe('LIC-X');
      await prisma().resource.delete({ where: { uuid: other.uuid } });
    });
  });

  describe('reconciliation of consumption records', () => {
    const reconcileAgainst = async (finalSell: string, finalBuy = '80.00') => {
      await runConsumptionSync(deps, opts()); // consumed 150 / 120
      fx.billing![P] = [row('1', 'XSP100', 'Alpha GmbH', 'LIC-A', finalSell, finalBuy)];
      return runReconciliation(deps, opts());
    };
    const adjustments = async () => (await prisma().adjustment.findMany()).map((a) => [a.kind, a.amount.toFixed(2), a.priceSource]);

    it('final below consumed: a credit', async () => {
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '100', 'Total buy price': '80' }];
      await reconcileAgainst('95.00');
      expect(await adjustments()).toEqual([['CREDIT', '-5.00', 'sell']]);
      const r = await prisma().consumptionRecord.findFirstOrThrow();
      expect([r.finalSell?.toFixed(2), r.finalBuy?.toFixed(2), !!r.finalizedAt, !!r.reconciledAt]).toEqual(['95.00', '80.00', true, true]);
    });

    it('final above consumed: an extra charge', async () => {
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '100', 'Total buy price': '80' }];
      await reconcileAgainst('110.00');
      expect(await adjustments()).toEqual([['EXTRA_CHARGE', '10.00', 'sell']]);
    });

    it('equal: no adjustment, but finalized and reconciled', async () => {
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '100', 'Total buy price': '80' }];
      await reconcileAgainst('100.00');
      expect(await adjustments()).toEqual([]);
      const r = await prisma().consumptionRecord.findFirstOrThrow();
      expect([!!r.finalizedAt, !!r.reconciledAt]).toEqual([true, true]);
    });

    it('leaves an already reconciled record alone unless forced', async () => {
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '100', 'Total buy price': '80' }];
      await reconcileAgainst('95.00');
      fx.billing![P] = [row('1', 'XSP100', 'Alpha GmbH', 'LIC-A', '90.00', '80.00')];
      await runReconciliation(deps, opts());
      expect(await adjustments()).toEqual([['CREDIT', '-5.00', 'sell']]);
      await runReconciliation(deps, opts({ force: true }));
      expect(await adjustments()).toEqual([['CREDIT', '-10.00', 'sell']]);
    });

    it('with buy as the price source: 70 against 80 is -10.00', async () => {
      await prisma().arrowSettings.update({ where: { uuid: settingsUuid }, data: { invoicePriceSource: 'buy' } });
      fx.consumption!['LIC-A']![P] = [{ 'Total sell price': '100', 'Total buy price': '80' }];
      await reconcileAgainst('100.00', '70.00');
      expect(await adjustments()).toEqual([['CREDIT', '-10.00', 'buy']]);
    });
  });

  describe('idempotence and mutual exclusion', () => {
    it('changes nothing when every flow runs a second time', async () => {
      const all = async () => {
        const runs = [
          await runBillingSync(deps, opts()),
          await runConsumptionSync(deps, opts()),
          await runValidation(deps, opts()),
          await runReconciliation(deps, opts()),
        ];
        return runs.map((r) => r.status);
      };
      expect(await all()).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      const first = await state();
      expect(first.syncs[0]!.state).toBe('RECONCILED');
      const again = await Promise.all([runBillingSync(deps, opts()), runConsumptionSync(deps, opts())]);
      expect(again.map((r) => [r.created, r.updated])).toEqual([[0, 0], [0, 0]]);
      await runValidation(deps, opts());
      await runReconciliation(deps, opts());
      expect(await state()).toEqual(first);
    });

    it('runs two flows for the same settings and period one after the other', async () => {
      sim.setFaults({ latencyMs: 150 });
      const [a, b] = await Promise.all([runBillingSync(deps, opts()), runConsumptionSync(deps, opts())]);
      const [first, second] = [a, b].sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime());
      expect(second!.startedAt.getTime()).toBeGreaterThanOrEqual(first!.finishedAt!.getTime());
    });
  });
});
