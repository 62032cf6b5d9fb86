import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSummaries, RECENT_LIMIT } from '../../src/domain/billing-summary.js';
import { getMapping } from '../../src/domain/mappings.js';
import { Decimal } from '../../src/domain/money.js';
import { countQueries, createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';

const uuid = (kind: string, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

/**
 * billing_summary for a page of mappings, read as one statement of JSON texts, says what the rows
 * say when read one by one through Prisma: totals as exact decimals, the 20 most recent records and
 * syncs newest first, dates to the day and timestamps to the millisecond.
 */
describe.each(databaseKinds)('billing summaries, in one statement (%s)', (kind) => {
  let t: TestDatabase;
  const mappings = [uuid('1', 1), uuid('1', 2), uuid('1', 3)];

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const prisma = t.db.prisma;
    const settings = await prisma.arrowSettings.create({ data: { apiUrl: 'http://arrow.invalid/', apiKey: 'k' } });
    await prisma.offering.create({ data: { uuid: uuid('2', 1), name: 'Arrow' } });
    for (let c = 0; c < 3; c++) {
      await prisma.waldurCustomer.create({ data: { uuid: uuid('3', c), name: `Customer ${c}`, abbreviation: '' } });
      await prisma.project.create({ data: { uuid: uuid('4', c), name: 'P', customerUuid: uuid('3', c) } });
      await prisma.customerMapping.create({ data: { uuid: mappings[c]!, settingsUuid: settings.uuid, arrowReference: `XSP${c}`, arrowCompanyName: `C${c}`, waldurCustomerUuid: uuid('3', c) } });
    }
    // customer 0: 25 records over two resources and many months (more than the 20 shown); customer 1: one; customer 2: none
    await prisma.resource.createMany({ data: [0, 1, 2].map((i) => ({ uuid: uuid('5', i), name: `R${i}`, projectUuid: uuid('4', i === 2 ? 1 : 0), offeringUuid: uuid('2', 1), licenseReference: `L${i}` })) });
    for (let i = 0; i < 25; i++) {
      await prisma.consumptionRecord.create({
        data: {
          resourceUuid: uuid('5', i % 2), licenseReference: `L${i % 2}`, billingPeriod: new Date(Date.UTC(2024 + Math.floor(i / 12), i % 12, 1)),
          consumedSell: `${i}.123456789`, consumedBuy: '1', finalSell: i % 3 ? null : `${i}.5`, finalizedAt: i % 3 ? null : new Date(), reconciledAt: i % 5 ? null : new Date(),
        },
      });
    }
    await prisma.consumptionRecord.create({ data: { resourceUuid: uuid('5', 2), licenseReference: 'L2', billingPeriod: new Date('2026-11-01'), consumedSell: '0.0000000001' } });
    for (let i = 0; i < 22; i++) {
      await prisma.billingSync.create({ data: { customerMappingUuid: mappings[i % 2]!, statementReference: `S${i}`, reportPeriod: `2025-${String((i % 12) + 1).padStart(2, '0')}`, state: 'SYNCED', sellTotal: `${i}.01`, items: { create: [{ arrowLineReference: `${i}`, originalPrice: '1' }] } } });
    }
    // what reached Waldur: records in each state, and compensations (several on one record, one not yet invoiced)
    const customer0 = await prisma.consumptionRecord.findMany({ where: { resource: { project: { customerUuid: uuid('3', 0) } } }, orderBy: { billingPeriod: 'asc' } });
    const states = ['INVOICED', 'PENDING', 'FAILED', 'INVOICED'] as const;
    for (const [i, r] of customer0.slice(0, 8).entries()) {
      await prisma.consumptionRecord.update({ where: { uuid: r.uuid }, data: { waldurState: states[i % 4], waldurUsage: i % 3 ? `${i}.25` : null } });
    }
    for (const [sequence, amount, state] of [[1, '0.5', 'INVOICED'], [2, '-0.125', 'INVOICED'], [3, '7', 'PENDING']] as const) {
      await prisma.waldurCompensation.create({ data: { consumptionRecordUuid: customer0[0]!.uuid, sequence, amount, finalAmount: '0', correctedPeriod: '2024-01', waldurState: state, waldurItemName: 'n', waldurArticleCode: 'a', waldurInvoicePeriod: '2024-02' } });
    }
    await prisma.waldurCompensation.create({ data: { consumptionRecordUuid: customer0[3]!.uuid, sequence: 1, amount: '2', finalAmount: '0', correctedPeriod: '2024-04', waldurState: 'INVOICED', waldurItemName: 'n', waldurArticleCode: 'a', waldurInvoicePeriod: '2024-05' } });
    // timestamps with microseconds, which Prisma gives to the millisecond
    await prisma.$executeRawUnsafe(`UPDATE billing_syncs SET created = created - (random() * interval '1000 days')`);
  });
  afterAll(() => t.drop());

  it("says what Prisma's rows say", async () => {
    const prisma = t.db.prisma;
    const page = await Promise.all(mappings.map((m) => getMapping(prisma, m)));
    const { result: summaries, queries } = await countQueries(t.db, () => billingSummaries(prisma, page));
    expect(queries).toHaveLength(1);
    for (const [c, summary] of summaries.entries()) {
      const records = await prisma.consumptionRecord.findMany({ where: { resource: { project: { customerUuid: uuid('3', c) } } }, include: { resource: true }, orderBy: [{ billingPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }] });
      const syncs = await prisma.billingSync.findMany({ where: { customerMappingUuid: mappings[c] }, include: { _count: { select: { items: true } } }, orderBy: [{ reportPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }] });
      expect(summary.mapping.uuid).toBe(mappings[c]);
      expect(summary.totalConsumptionRecords).toBe(records.length);
      expect(summary.totalConsumedSell.equals(records.reduce((a, r) => a.plus(r.consumedSell), new Decimal(0)))).toBe(true);
      expect(summary.finalizedRecords).toBe(records.filter((r) => r.finalizedAt).length);
      expect(summary.reconciledRecords).toBe(records.filter((r) => r.reconciledAt).length);
      expect(summary.totalBillingSyncs).toBe(syncs.length);
      const items = await prisma.billingSyncItem.findMany({ where: { billingSync: { customerMappingUuid: mappings[c] } }, include: { compensations: true } });
      const compensations = await prisma.waldurCompensation.findMany({ where: { consumptionRecordUuid: { in: records.map((r) => r.uuid) } } });
      const sum = (values: (Decimal | string | number)[]) => values.reduce<Decimal>((a, v) => a.plus(v), new Decimal(0));
      const invoicedCompensations = [...compensations, ...items.flatMap((i) => i.compensations)].filter((x) => x.waldurState === 'INVOICED');
      expect({ ...summary.waldur, invoiced: summary.waldur.invoiced.toString(), pending: summary.waldur.pending.toString(), failed: summary.waldur.failed.toString() }).toEqual({
        invoiced: sum([...items.filter((i) => i.waldurState === 'INVOICED').map((i) => i.waldurAmount ?? 0), ...records.filter((r) => r.waldurState === 'INVOICED').map((r) => r.waldurUsage ?? 0), ...invoicedCompensations.map((x) => x.amount)]).toString(),
        pending: sum([...items.filter((i) => i.waldurState === 'PENDING').map((i) => i.waldurAmount ?? i.originalPrice), ...records.filter((r) => r.waldurState === 'PENDING').map((r) => r.waldurUsage ?? r.consumedSell)]).toString(),
        failed: sum([...items.filter((i) => i.waldurState === 'FAILED').map((i) => i.waldurAmount ?? i.originalPrice), ...records.filter((r) => r.waldurState === 'FAILED').map((r) => r.consumedSell)]).toString(),
        failedLines: [...items, ...records].filter((x) => x.waldurState === 'FAILED').length,
      });
      expect(summary.recentConsumptionRecords.map((r) => ({ ...r, consumedSell: r.consumedSell.toString(), finalSell: r.finalSell?.toString() ?? null }))).toStrictEqual(
        records.slice(0, RECENT_LIMIT).map((r) => ({
          uuid: r.uuid, licenseReference: r.licenseReference, resourceUuid: r.resourceUuid, resourceName: r.resource.name, billingPeriod: r.billingPeriod,
          consumedSell: r.consumedSell.toString(), finalSell: r.finalSell?.toString() ?? null, isFinalized: r.finalizedAt !== null, isReconciled: r.reconciledAt !== null,
        })),
      );
      expect(summary.recentBillingSyncs.map((s) => ({ ...s, sellTotal: s.sellTotal.toString() }))).toStrictEqual(
        syncs.slice(0, RECENT_LIMIT).map((s) => ({ uuid: s.uuid, reportPeriod: s.reportPeriod, state: s.state, sellTotal: s.sellTotal.toString(), itemsCount: s._count.items, created: s.created })),
      );
    }
    expect(summaries.map((s) => [s.totalConsumptionRecords, s.recentConsumptionRecords.length, s.totalBillingSyncs])).toEqual([[25, 20, 11], [1, 1, 11], [0, 0, 0]]);
    // the compensations count once each, however many records and compensations a customer has
    expect(summaries[0]!.waldur.invoiced.toString()).toBe('13.875'); // 4.25 + 7.25 invoiced usage, 0.5 - 0.125 + 2 invoiced compensations
  });
});
