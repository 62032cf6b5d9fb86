import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectsOfCustomers, resourcesOfCustomers } from '../../src/domain/resources.js';
import { countQueries, createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';

const uuid = (kind: string, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

/**
 * The customers' resources, read as one statement of JSON, are exactly what Prisma's own read
 * (findMany with project and offering included, by name) gives: every field, its type and value
 * (timestamps to the millisecond, JSON rules, nulls), the order, and the customers without any.
 */
describe.each(databaseKinds)("a page of customers' resources (%s)", (kind) => {
  let t: TestDatabase;
  const customers = [uuid('1', 1), uuid('1', 2), uuid('1', 3)];

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const prisma = t.db.prisma;
    await prisma.waldurCustomer.createMany({ data: customers.map((c, i) => ({ uuid: c, name: `Customer ${i}`, abbreviation: `C${i}` })) });
    await prisma.offering.create({ data: { uuid: uuid('2', 1), name: 'Arrow', backendIdRules: { format: '^[A-Z]+$', scope: 'offering', nested: [1, null, 'x'] } } });
    await prisma.offering.create({ data: { uuid: uuid('2', 2), name: 'Other', type: 'Marketplace.Basic', state: 'Paused' } });
    // customer 3 has a project without resources; customer 2's second project is removed (kept in the mirror)
    await prisma.project.createMany({
      data: [
        { uuid: uuid('3', 1), name: 'P1', customerUuid: customers[0]! },
        { uuid: uuid('3', 2), name: 'P2', customerUuid: customers[1]! },
        { uuid: uuid('3', 3), name: 'P3 (removed)', customerUuid: customers[1]!, isRemoved: true },
        { uuid: uuid('3', 4), name: 'P4', customerUuid: customers[2]! },
      ],
    });
    const names = ['beta', 'Alpha', 'alpha', 'ümlaut', 'beta', 'Zed'];
    await prisma.resource.createMany({
      data: names.map((name, i) => ({
        uuid: uuid('4', i),
        name,
        projectUuid: uuid('3', 1 + (i % 3)),
        offeringUuid: uuid('2', 1 + (i % 2)),
        state: i === 2 ? 'ERRED' : 'OK',
        backendId: i % 2 ? `LIC-${i}` : '',
        licenseReference: i % 2 ? `LIC-${i}` : '',
        licenseInAttributes: i === 3,
        planUuid: i === 1 ? uuid('5', 1) : null,
      })),
    });
    // timestamps with microseconds, which Prisma gives to the millisecond
    await prisma.$executeRawUnsafe(`UPDATE resources SET created = '2026-11-30 23:59:59.999999+00', modified = '2026-12-01 10:00:00.000501+02'`);
    await prisma.$executeRawUnsafe(`UPDATE projects SET created = '2020-02-29 12:34:56.789123+00'`);
  });
  afterAll(() => t.drop());

  it("is what Prisma's findMany with project and offering gives, in one statement", async () => {
    const prisma = t.db.prisma;
    const asked = [customers[1]!, customers[0]!, customers[2]!, customers[1]!, uuid('1', 9)];
    const { result: ours, queries } = await countQueries(t.db, () => resourcesOfCustomers(prisma, asked));
    expect(queries).toHaveLength(1);
    const rows = await prisma.resource.findMany({ where: { project: { customerUuid: { in: asked } } }, include: { project: true, offering: true }, orderBy: [{ name: 'asc' }, { uuid: 'asc' }] });
    expect(rows).toHaveLength(6);
    const expected = new Map(asked.map((c) => [c, rows.filter((r) => r.project.customerUuid === c)]));
    expect([...ours]).toStrictEqual([...expected]);
    expect(ours.get(customers[2]!)).toEqual([]);
    expect(ours.get(uuid('1', 9))).toEqual([]);
    expect(ours.get(customers[0]!)![0]!.created.toISOString()).toBe('2026-11-30T23:59:59.999Z');
    expect(ours.get(customers[0]!)!.map((r) => r.offering.backendIdRules)).toContainEqual({ format: '^[A-Z]+$', scope: 'offering', nested: [1, null, 'x'] });
  });

  it("reads the customers' projects as Prisma's findMany by name gives them, in one statement", async () => {
    const prisma = t.db.prisma;
    await prisma.project.create({ data: { uuid: uuid('3', 5), name: 'A first', customerUuid: customers[1]! } });
    try {
      const asked = [customers[1]!, customers[0]!, uuid('1', 9), customers[1]!];
      const { result: ours, queries } = await countQueries(t.db, () => projectsOfCustomers(prisma, asked));
      expect(queries).toHaveLength(1);
      const rows = await prisma.project.findMany({ where: { customerUuid: { in: asked } }, orderBy: [{ name: 'asc' }, { uuid: 'asc' }] });
      expect([...ours]).toStrictEqual(asked.filter((c, i) => asked.indexOf(c) === i).map((c) => [c, rows.filter((p) => p.customerUuid === c)]));
      expect(ours.get(customers[1]!)!.map((p) => p.name)).toEqual(['A first', 'P2', 'P3 (removed)']);
      expect(ours.get(customers[0]!)![0]!.created.toISOString()).toBe('2020-02-29T12:34:56.789Z');
    } finally {
      await prisma.project.delete({ where: { uuid: uuid('3', 5) } });
    }
  });

  it('asked about no customer, sends nothing', async () => {
    const { result, queries } = await countQueries(t.db, () => resourcesOfCustomers(t.db.prisma, []));
    expect(result.size).toBe(0);
    expect(queries).toHaveLength(0);
    expect((await countQueries(t.db, () => projectsOfCustomers(t.db.prisma, []))).queries).toHaveLength(0);
  });
});
