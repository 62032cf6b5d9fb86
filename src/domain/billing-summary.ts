import type { Prisma } from '../db/database.js';
import { Prisma as P } from '../generated/prisma/client.js';
import type { MappingWithCustomer } from './mappings.js';
import { Decimal } from './money.js';
import { groupBy } from './collections.js';
import { epochMs, rowsAsJson } from '../db/sql-fragments.js';

export const RECENT_LIMIT = 20;

export interface BillingSummary {
  mapping: MappingWithCustomer;
  totalConsumptionRecords: number;
  totalConsumedSell: Decimal;
  totalFinalSell: Decimal | null;
  pendingRecords: number;
  finalizedRecords: number;
  reconciledRecords: number;
  totalBillingSyncs: number;
  totalBillingSell: Decimal | null;
  /** What of it reached Waldur's invoices (the invoice push), compensations included. */
  waldur: { invoiced: Decimal; pending: Decimal; failed: Decimal; failedLines: number };
  recentConsumptionRecords: {
    uuid: string;
    licenseReference: string;
    resourceUuid: string;
    resourceName: string;
    billingPeriod: Date;
    consumedSell: Decimal;
    finalSell: Decimal | null;
    isFinalized: boolean;
    isReconciled: boolean;
  }[];
  recentBillingSyncs: { uuid: string; reportPeriod: string; state: string; sellTotal: Decimal; itemsCount: number; created: Date }[];
}

const dec = (v: string | null) => (v === null ? null : new Decimal(v));

/**
 * billing_summary for many mappings in one statement: consumption totals and the 20 most recent
 * records per Waldur customer, billing-sync totals and the 20 most recent syncs per mapping, each
 * as a JSON text: the embedded database and Prisma cost microseconds per value handed over, and
 * each statement its round trip (timestamps come as epoch milliseconds, dates as YYYY-MM-DD).
 */
export async function billingSummaries(prisma: Prisma, mappings: readonly MappingWithCustomer[]): Promise<BillingSummary[]> {
  const customers = [...new Set(mappings.map((m) => m.waldurCustomerUuid))];
  const mappingUuids = mappings.map((m) => m.uuid);
  // one array, not a list of parameters: the statement's text is the same for any page (PostgreSQL keeps it parsed)
  const pageMappings = P.sql`ANY(${mappingUuids}::uuid[])`;
  // the page's consumption records, found per customer by index (projects, resources, then the
  // records: a lateral join kept apart by OFFSET 0) and kept for the totals and the recent ones,
  // with only the columns those read (not the records' raw data)
  const pageRecords = P.sql`
      SELECT cu.uuid AS customer_uuid, rc.* FROM unnest(${customers}::uuid[]) AS cu(uuid)
       CROSS JOIN LATERAL (
         SELECT c.uuid, c.license_reference, c.resource_uuid, c.billing_period, c.consumed_sell, c.final_sell, c.finalized_at,
                c.reconciled_at, c.created, c.waldur_usage, c.waldur_state, r.name AS resource_name
           FROM projects p JOIN resources r ON r.project_uuid = p.uuid
           JOIN consumption_records c ON c.resource_uuid = r.uuid WHERE p.customer_uuid = cu.uuid OFFSET 0
       ) rc`;
  // with what of it reached Waldur as component usage (COMPONENT_USAGE), and its settlements
  const totalsSql = P.sql`
      SELECT c.customer_uuid::text AS customer_uuid, count(*)::int AS n, sum(c.consumed_sell)::text AS consumed,
             sum(c.final_sell)::text AS final,
             (count(*) FILTER (WHERE c.finalized_at IS NULL))::int AS pending,
             (count(*) FILTER (WHERE c.finalized_at IS NOT NULL))::int AS finalized,
             (count(*) FILTER (WHERE c.reconciled_at IS NOT NULL))::int AS reconciled,
             (sum(c.waldur_usage) FILTER (WHERE c.waldur_state = 'INVOICED'))::text AS usage_invoiced,
             (sum(coalesce(c.waldur_usage, c.consumed_sell)) FILTER (WHERE c.waldur_state = 'PENDING'))::text AS usage_pending,
             (sum(c.consumed_sell) FILTER (WHERE c.waldur_state = 'FAILED'))::text AS usage_failed,
             (count(*) FILTER (WHERE c.waldur_state = 'FAILED'))::int AS usage_failed_n,
             min(compensated.amount)::text AS usage_compensated
        FROM page_records c
        LEFT JOIN (
          SELECT pr.customer_uuid, sum(wc.amount) AS amount FROM page_records pr
            JOIN waldur_compensations wc ON wc.consumption_record_uuid = pr.uuid
           WHERE wc.waldur_state = 'INVOICED' GROUP BY pr.customer_uuid
        ) compensated ON compensated.customer_uuid = c.customer_uuid
       GROUP BY c.customer_uuid`;
  const recentSql = P.sql`
      SELECT * FROM (
        SELECT c.customer_uuid::text AS customer_uuid, c.uuid::text AS uuid, c.license_reference, c.resource_uuid::text AS resource_uuid,
               c.resource_name, c.billing_period, c.consumed_sell::text AS consumed_sell, c.final_sell::text AS final_sell,
               c.finalized_at IS NOT NULL AS finalized, c.reconciled_at IS NOT NULL AS reconciled,
               row_number() OVER (PARTITION BY c.customer_uuid ORDER BY c.billing_period DESC, c.created DESC, c.uuid) AS position
          FROM page_records c
      ) ranked WHERE position <= ${RECENT_LIMIT} ORDER BY customer_uuid, position`;
  // with what of it reached Waldur's invoices, in the same statement: the lines by their place
  // there, and reconciliation's compensations put on invoices
  const syncTotalsSql = P.sql`
      SELECT s.customer_mapping_uuid::text AS mapping_uuid, count(*)::int AS n, sum(s.sell_total)::text AS sell,
             sum(w.invoiced)::text AS invoiced, sum(w.pending)::text AS pending, sum(w.failed)::text AS failed,
             coalesce(sum(w.failed_lines), 0)::int AS failed_lines, sum(w.compensated)::text AS compensated
        FROM billing_syncs s
        LEFT JOIN LATERAL (
          SELECT sum(coalesce(i.waldur_amount, 0)) FILTER (WHERE i.waldur_state = 'INVOICED') AS invoiced,
                 sum(coalesce(i.waldur_amount, i.original_price)) FILTER (WHERE i.waldur_state = 'PENDING') AS pending,
                 sum(coalesce(i.waldur_amount, i.original_price)) FILTER (WHERE i.waldur_state = 'FAILED') AS failed,
                 count(*) FILTER (WHERE i.waldur_state = 'FAILED') AS failed_lines,
                 (SELECT sum(c.amount) FROM waldur_compensations c JOIN billing_sync_items ci ON ci.uuid = c.billing_sync_item_uuid
                   WHERE ci.billing_sync_uuid = s.uuid AND c.waldur_state = 'INVOICED') AS compensated
            FROM billing_sync_items i WHERE i.billing_sync_uuid = s.uuid
        ) w ON true
       WHERE s.customer_mapping_uuid = ${pageMappings} GROUP BY s.customer_mapping_uuid`;
  const recentSyncsSql = P.sql`
      SELECT * FROM (
        SELECT s.customer_mapping_uuid::text AS mapping_uuid, s.uuid::text AS uuid, s.report_period, s.state::text AS state,
               s.sell_total::text AS sell_total, ${epochMs('s.created')} AS created,
               (SELECT count(*)::int FROM billing_sync_items i WHERE i.billing_sync_uuid = s.uuid) AS items,
               row_number() OVER (PARTITION BY s.customer_mapping_uuid ORDER BY s.report_period DESC, s.created DESC, s.uuid) AS position
          FROM billing_syncs s WHERE s.customer_mapping_uuid = ${pageMappings}
      ) ranked WHERE position <= ${RECENT_LIMIT} ORDER BY mapping_uuid, position`;
  const [found] = await prisma.$queryRaw<Record<'totals' | 'recent' | 'sync_totals' | 'recent_syncs', string>[]>`
    WITH page_records AS MATERIALIZED (${pageRecords})
    SELECT ${rowsAsJson(totalsSql)} AS totals, ${rowsAsJson(recentSql, P.sql`q.customer_uuid, q.position`)} AS recent,
           ${rowsAsJson(syncTotalsSql)} AS sync_totals, ${rowsAsJson(recentSyncsSql, P.sql`q.mapping_uuid, q.position`)} AS recent_syncs`;
  const totals = JSON.parse(found!.totals) as { customer_uuid: string; n: number; consumed: string; final: string | null; pending: number; finalized: number; reconciled: number; usage_invoiced: string | null; usage_pending: string | null; usage_failed: string | null; usage_failed_n: number; usage_compensated: string | null }[];
  const recent = JSON.parse(found!.recent) as { customer_uuid: string; uuid: string; license_reference: string; resource_uuid: string; resource_name: string; billing_period: string; consumed_sell: string; final_sell: string | null; finalized: boolean; reconciled: boolean }[];
  const syncTotals = JSON.parse(found!.sync_totals) as { mapping_uuid: string; n: number; sell: string | null; invoiced: string | null; pending: string | null; failed: string | null; failed_lines: number; compensated: string | null }[];
  const recentSyncs = JSON.parse(found!.recent_syncs) as { mapping_uuid: string; uuid: string; report_period: string; state: string; sell_total: string; items: number; created: number }[];
  const totalsBy = new Map(totals.map((t) => [t.customer_uuid, t]));
  const syncTotalsBy = new Map(syncTotals.map((t) => [t.mapping_uuid, t]));
  const recentBy = groupBy(recent, (r) => r.customer_uuid);
  const recentSyncsBy = groupBy(recentSyncs, (r) => r.mapping_uuid);
  return mappings.map((mapping) => {
    const t = totalsBy.get(mapping.waldurCustomerUuid);
    const s = syncTotalsBy.get(mapping.uuid);
    return {
      mapping,
      totalConsumptionRecords: t?.n ?? 0,
      totalConsumedSell: new Decimal(t?.consumed ?? 0),
      totalFinalSell: dec(t?.final ?? null),
      pendingRecords: t?.pending ?? 0,
      finalizedRecords: t?.finalized ?? 0,
      reconciledRecords: t?.reconciled ?? 0,
      totalBillingSyncs: s?.n ?? 0,
      totalBillingSell: dec(s?.sell ?? null),
      waldur: {
        invoiced: new Decimal(s?.invoiced ?? 0).plus(s?.compensated ?? 0).plus(t?.usage_invoiced ?? 0).plus(t?.usage_compensated ?? 0),
        pending: new Decimal(s?.pending ?? 0).plus(t?.usage_pending ?? 0),
        failed: new Decimal(s?.failed ?? 0).plus(t?.usage_failed ?? 0),
        failedLines: (s?.failed_lines ?? 0) + (t?.usage_failed_n ?? 0),
      },
      recentConsumptionRecords: (recentBy.get(mapping.waldurCustomerUuid) ?? []).map((r) => ({
          uuid: r.uuid,
          licenseReference: r.license_reference,
          resourceUuid: r.resource_uuid,
          resourceName: r.resource_name,
          billingPeriod: new Date(r.billing_period),
          consumedSell: new Decimal(r.consumed_sell),
          finalSell: dec(r.final_sell),
          isFinalized: r.finalized,
          isReconciled: r.reconciled,
        })),
      recentBillingSyncs: (recentSyncsBy.get(mapping.uuid) ?? []).map((r) => ({ uuid: r.uuid, reportPeriod: r.report_period, state: r.state, sellTotal: new Decimal(r.sell_total), itemsCount: r.items, created: new Date(r.created) })),
    };
  });
}
