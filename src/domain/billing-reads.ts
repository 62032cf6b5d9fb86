import { containsText } from './text-filter.js';
import type { Prisma } from '../db/database.js';
import type { Prisma as P } from '../generated/prisma/client.js';
import type { BillingSyncState } from '../generated/prisma/enums.js';
import { NotFoundError } from './errors.js';
import { isUuid } from './mappings.js';
import { parsePeriod, periodStart } from './periods.js';

/**
 * The billing data the flows write, read as Waldur's staff screens read it (ARROW-MODULE.md §4–§6):
 * billing syncs with their items, the items alone, consumption records. The filters are Waldur's;
 * GraphQL and REST share them.
 */

/** periodFrom/periodTo (YYYY-MM, inclusive) as a range, each bound in the column's form. */
function periodBounds<T>(from: string | null | undefined, to: string | null | undefined, toColumn: (period: string) => T, names = ['periodFrom', 'periodTo']) {
  const given = (v: string | null | undefined): v is string => v !== null && v !== undefined && v !== '';
  if (!given(from) && !given(to)) return undefined;
  return { ...(given(from) ? { gte: toColumn(parsePeriod(from, names[0])) } : {}), ...(given(to) ? { lte: toColumn(parsePeriod(to, names[1])) } : {}) };
}

const contains = containsText;

export interface BillingSyncFilters {
  mappingUuid?: string | null;
  settingsUuid?: string | null;
  statementReference?: string | null;
  reportPeriod?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  state?: BillingSyncState | null;
  arrowState?: string | null;
}

export function billingSyncWhere(f: BillingSyncFilters): P.BillingSyncWhereInput {
  return {
    ...(f.mappingUuid ? { customerMappingUuid: f.mappingUuid } : {}),
    ...(f.settingsUuid ? { customerMapping: { settingsUuid: f.settingsUuid } } : {}),
    ...(f.statementReference ? { statementReference: contains(f.statementReference) } : {}),
    ...(f.reportPeriod ? { reportPeriod: parsePeriod(f.reportPeriod, 'report_period') } : { reportPeriod: periodBounds(f.periodFrom, f.periodTo, (p) => p) }),
    ...(f.state ? { state: f.state } : {}),
    // arrow_state is an enum here: Waldur's iexact filter matches it whatever its case
    ...(f.arrowState ? { arrowState: f.arrowState.toLowerCase() === 'validated' ? ('validated' as const) : f.arrowState.toLowerCase() === 'pending' ? ('pending' as const) : { in: [] } } : {}),
  };
}

/** Newest period first, then newest made (Waldur's fixed order). */
export const BILLING_SYNC_ORDER: P.BillingSyncOrderByWithRelationInput[] = [{ reportPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }];

export const billingSyncInclude = {
  customerMapping: { include: { waldurCustomer: true } },
  items: { include: { adjustment: true }, orderBy: [{ created: 'desc' }, { uuid: 'asc' }] },
} satisfies P.BillingSyncInclude;

export async function listBillingSyncs(prisma: Prisma, f: BillingSyncFilters, window: { offset: number; limit: number }) {
  const where = billingSyncWhere(f);
  const [total, items] = await Promise.all([prisma.billingSync.count({ where }), prisma.billingSync.findMany({ where, include: billingSyncInclude, orderBy: BILLING_SYNC_ORDER, skip: window.offset, take: window.limit })]);
  return { total, items };
}
export type BillingSyncRow = Awaited<ReturnType<typeof listBillingSyncs>>['items'][number];

export async function getBillingSync(prisma: Prisma, uuid: string): Promise<BillingSyncRow> {
  const found = isUuid(uuid) ? await prisma.billingSync.findUnique({ where: { uuid }, include: billingSyncInclude }) : null;
  if (!found) throw new NotFoundError(`Billing sync ${uuid} not found`);
  return found;
}

export interface BillingSyncItemFilters {
  billingSyncUuid?: string | null;
  reportPeriod?: string | null;
  vendorName?: string | null;
  classification?: string | null;
  subscriptionReference?: string | null;
  arrowLineReference?: string | null;
  hasCompensation?: boolean | null;
}

export function billingSyncItemWhere(f: BillingSyncItemFilters): P.BillingSyncItemWhereInput {
  return {
    ...(f.billingSyncUuid ? { billingSyncUuid: f.billingSyncUuid } : {}),
    ...(f.reportPeriod ? { billingSync: { reportPeriod: parsePeriod(f.reportPeriod, 'report_period') } } : {}),
    ...(f.vendorName ? { vendorName: contains(f.vendorName) } : {}),
    ...(f.classification ? { classification: f.classification } : {}),
    ...(f.subscriptionReference ? { subscriptionReference: contains(f.subscriptionReference) } : {}),
    ...(f.arrowLineReference ? { arrowLineReference: contains(f.arrowLineReference) } : {}),
    ...(typeof f.hasCompensation === 'boolean' ? { adjustment: f.hasCompensation ? { isNot: null } : { is: null } } : {}),
  };
}

export const BILLING_SYNC_ITEM_ORDER: P.BillingSyncItemOrderByWithRelationInput[] = [{ created: 'desc' }, { uuid: 'asc' }];
const itemInclude = { adjustment: true, billingSync: { select: { uuid: true, reportPeriod: true } } } as const;

export async function listBillingSyncItems(prisma: Prisma, f: BillingSyncItemFilters, window: { offset: number; limit: number }) {
  const where = billingSyncItemWhere(f);
  const [total, items] = await Promise.all([prisma.billingSyncItem.count({ where }), prisma.billingSyncItem.findMany({ where, include: itemInclude, orderBy: BILLING_SYNC_ITEM_ORDER, skip: window.offset, take: window.limit })]);
  return { total, items };
}
export type BillingSyncItemRow = Awaited<ReturnType<typeof listBillingSyncItems>>['items'][number];

export async function getBillingSyncItem(prisma: Prisma, uuid: string): Promise<BillingSyncItemRow> {
  const found = isUuid(uuid) ? await prisma.billingSyncItem.findUnique({ where: { uuid }, include: itemInclude }) : null;
  if (!found) throw new NotFoundError(`Billing sync item ${uuid} not found`);
  return found;
}

export interface ConsumptionRecordFilters {
  mappingUuid?: string | null;
  settingsUuid?: string | null;
  resourceUuid?: string | null;
  projectUuid?: string | null;
  customerUuid?: string | null;
  /** Contains, any case (Waldur's icontains). */
  licenseReference?: string | null;
  billingPeriod?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  finalized?: boolean | null;
  reconciled?: boolean | null;
}

export function consumptionRecordWhere(f: ConsumptionRecordFilters): P.ConsumptionRecordWhereInput {
  // through the resource's customer: one statement, no lookup of the mapping first
  const customerMapped = (mapping: P.CustomerMappingWhereInput): P.ConsumptionRecordWhereInput => ({ resource: { project: { customer: { mappings: { some: mapping } } } } });
  return {
    AND: [
      ...(f.mappingUuid ? [customerMapped({ uuid: f.mappingUuid })] : []),
      ...(f.settingsUuid ? [customerMapped({ settingsUuid: f.settingsUuid })] : []),
      ...(f.projectUuid ? [{ resource: { projectUuid: f.projectUuid } }] : []),
      ...(f.customerUuid ? [{ resource: { project: { customerUuid: f.customerUuid } } }] : []),
    ],
    ...(f.resourceUuid ? { resourceUuid: f.resourceUuid } : {}),
    ...(f.licenseReference ? { licenseReference: contains(f.licenseReference) } : {}),
    billingPeriod: f.billingPeriod ? periodStart(parsePeriod(f.billingPeriod.slice(0, 7), 'billing_period')) : periodBounds(f.periodFrom, f.periodTo, periodStart),
    ...(typeof f.finalized === 'boolean' ? { finalizedAt: f.finalized ? { not: null } : null } : {}),
    ...(typeof f.reconciled === 'boolean' ? { reconciledAt: f.reconciled ? { not: null } : null } : {}),
  };
}

export const CONSUMPTION_RECORD_ORDER: P.ConsumptionRecordOrderByWithRelationInput[] = [{ billingPeriod: 'desc' }, { created: 'desc' }, { uuid: 'asc' }];
const recordInclude = { adjustment: true, resource: { include: { project: { include: { customer: true } } } } } as const;

export async function listConsumptionRecords(prisma: Prisma, f: ConsumptionRecordFilters, window: { offset: number; limit: number }) {
  const where = consumptionRecordWhere(f);
  const [total, items] = await Promise.all([prisma.consumptionRecord.count({ where }), prisma.consumptionRecord.findMany({ where, include: recordInclude, orderBy: CONSUMPTION_RECORD_ORDER, skip: window.offset, take: window.limit })]);
  return { total, items };
}
export type ConsumptionRecordRow = Awaited<ReturnType<typeof listConsumptionRecords>>['items'][number];

export async function getConsumptionRecord(prisma: Prisma, uuid: string): Promise<ConsumptionRecordRow> {
  const found = isUuid(uuid) ? await prisma.consumptionRecord.findUnique({ where: { uuid }, include: recordInclude }) : null;
  if (!found) throw new NotFoundError(`Consumption record ${uuid} not found`);
  return found;
}
