import type { MappingWithCustomer } from '../domain/mappings.js';
import type { CustomerDiscovery, Settings } from '../domain/settings.js';
import type { VendorMapping } from '../domain/vendor-mappings.js';
import type { BillingSyncItemRow, BillingSyncRow, ConsumptionRecordRow } from '../domain/billing-reads.js';
import type { AvailableCustomers } from '../domain/customers.js';
import type { BillingSummary } from '../domain/billing-summary.js';
import type { Discovery } from '../domain/licenses.js';
import type { ArrowData } from '../domain/arrow-data.js';
import type { ArrowCustomer } from '../arrow/client.js';
import { twoPlaces } from '../domain/money.js';

/** Waldur's REST shapes: snake_case, absolute hyperlinks, decimals as strings with two places. */
export class Links {
  constructor(readonly base: string) {}
  mapping = (uuid: string) => `${this.base}/api/admin/arrow/customer-mappings/${uuid}/`;
  settings = (uuid: string) => `${this.base}/api/admin/arrow/settings/${uuid}/`;
  customer = (uuid: string) => `${this.base}/api/customers/${uuid}/`;
  vendorMapping = (uuid: string) => `${this.base}/api/admin/arrow/vendor-offering-mappings/${uuid}/`;
  billingSync = (uuid: string) => `${this.base}/api/admin/arrow/billing-syncs/${uuid}/`;
  billingSyncItem = (uuid: string) => `${this.base}/api/admin/arrow/billing-sync-items/${uuid}/`;
  consumptionRecord = (uuid: string) => `${this.base}/api/admin/arrow/consumption-records/${uuid}/`;
  resource = (uuid: string) => `${this.base}/api/marketplace-resources/${uuid}/`;
}

/**
 * Waldur's billing answers name its invoices and invoice items: the real ones once the invoice
 * push put a line on an invoice. Waldur's SDK requires those uuids non-null, so "none yet" is the
 * nil UUID (Waldur's code answers null, which its own client cannot parse). A compensation is the
 * reconciliation's adjustment.
 */
export const NO_WALDUR_OBJECT = '00000000-0000-0000-0000-000000000000';

const SYNC_STATES = { PENDING: [1, 'Pending'], SYNCED: [2, 'Synced'], VALIDATED: [3, 'Validated'], RECONCILED: [4, 'Reconciled'] } as const;

function billingSyncItemJson(i: BillingSyncItemRow | BillingSyncRow['items'][number]) {
  return {
    uuid: i.uuid,
    arrow_line_reference: i.arrowLineReference,
    invoice_item_uuid: i.waldurInvoiceItemUuid ?? NO_WALDUR_OBJECT,
    // beyond Waldur's model (its SDK keeps extra keys): where the line stands in Waldur's invoices
    invoice_uuid: i.waldurInvoiceUuid ?? NO_WALDUR_OBJECT,
    waldur_state: i.waldurState,
    waldur_invoice_period: i.waldurInvoicePeriod,
    waldur_error: i.waldurError,
    original_price: twoPlaces(i.originalPrice),
    compensation_item_uuid: i.adjustment?.uuid ?? NO_WALDUR_OBJECT,
    vendor_name: i.vendorName,
    subscription_reference: i.subscriptionReference,
    classification: i.classification,
    description: i.description,
    quantity: twoPlaces(i.quantity),
    created: i.created.toISOString(),
  };
}

/** ArrowBillingSync, its items whole (as Waldur nests them). */
export function billingSyncJson(s: BillingSyncRow, links: Links) {
  return {
    uuid: s.uuid,
    url: links.billingSync(s.uuid),
    customer_mapping: links.mapping(s.customerMappingUuid),
    customer_mapping_uuid: s.customerMappingUuid,
    arrow_reference: s.customerMapping.arrowReference,
    waldur_customer_name: s.customerMapping.waldurCustomer.name,
    statement_reference: s.statementReference,
    report_period: s.reportPeriod,
    arrow_state: s.arrowState,
    state: SYNC_STATES[s.state][0],
    state_display: SYNC_STATES[s.state][1],
    buy_total: twoPlaces(s.buyTotal),
    sell_total: twoPlaces(s.sellTotal),
    currency: s.currency,
    // the invoice of the statement's month its lines went to (a late line's may be a later one)
    invoice_uuid: s.items.find((i) => i.waldurInvoiceUuid && i.waldurInvoicePeriod === s.reportPeriod)?.waldurInvoiceUuid ?? NO_WALDUR_OBJECT,
    error_message: s.errorMessage,
    synced_at: s.syncedAt?.toISOString() ?? null,
    validated_at: s.validatedAt?.toISOString() ?? null,
    reconciled_at: s.reconciledAt?.toISOString() ?? null,
    items: s.items.map(billingSyncItemJson),
    created: s.created.toISOString(),
    modified: s.modified.toISOString(),
  };
}

/** ArrowBillingSyncItemDetail: an item with its sync. */
export function billingSyncItemDetailJson(i: BillingSyncItemRow, links: Links) {
  return {
    ...billingSyncItemJson(i),
    url: links.billingSyncItem(i.uuid),
    billing_sync: links.billingSync(i.billingSync.uuid),
    billing_sync_uuid: i.billingSync.uuid,
    report_period: i.billingSync.reportPeriod,
    has_compensation: i.adjustment !== null,
  };
}

/** ArrowConsumptionRecord, with its resource, project and customer named. */
export function consumptionRecordJson(c: ConsumptionRecordRow, links: Links) {
  return {
    uuid: c.uuid,
    url: links.consumptionRecord(c.uuid),
    resource: links.resource(c.resourceUuid),
    resource_uuid: c.resourceUuid,
    resource_name: c.resource.name,
    project_uuid: c.resource.projectUuid,
    project_name: c.resource.project.name,
    customer_uuid: c.resource.project.customerUuid,
    customer_name: c.resource.project.customer.name,
    license_reference: c.licenseReference,
    billing_period: c.billingPeriod.toISOString().slice(0, 10),
    consumed_sell: twoPlaces(c.consumedSell),
    consumed_buy: twoPlaces(c.consumedBuy),
    final_sell: twoPlaces(c.finalSell),
    final_buy: twoPlaces(c.finalBuy),
    // the item Waldur keeps beside the month's usage (COMPONENT_USAGE)
    invoice_item_uuid: c.waldurInvoiceItemUuid ?? NO_WALDUR_OBJECT,
    compensation_item_uuid: c.adjustment?.uuid ?? NO_WALDUR_OBJECT,
    last_sync_at: c.lastSyncAt?.toISOString() ?? null,
    finalized_at: c.finalizedAt?.toISOString() ?? null,
    reconciled_at: c.reconciledAt?.toISOString() ?? null,
    is_finalized: c.finalizedAt !== null,
    is_reconciled: c.reconciledAt !== null,
    adjustment_amount: c.finalSell === null ? null : twoPlaces(c.finalSell.minus(c.consumedSell)),
    raw_data: c.rawData ?? {},
    created: c.created.toISOString(),
    modified: c.modified.toISOString(),
  };
}

/** ArrowVendorOfferingMapping; the create answer gives settings as a uuid (ArrowVendorOfferingMappingCreate). */
export function vendorMappingJson(m: VendorMapping, links: Links, references: 'links' | 'uuids' = 'links') {
  return {
    uuid: m.uuid,
    url: links.vendorMapping(m.uuid),
    settings: references === 'links' ? links.settings(m.settingsUuid) : m.settingsUuid,
    settings_uuid: m.settingsUuid,
    arrow_vendor_name: m.arrowVendorName,
    offering: m.offeringUuid,
    offering_uuid: m.offeringUuid,
    offering_name: m.offering.name,
    offering_type: m.offering.type,
    plan: m.planUuid,
    plan_uuid: m.planUuid,
    plan_name: m.plan.name,
    is_active: m.isActive,
    created: m.created.toISOString(),
    modified: m.modified.toISOString(),
  };
}

export function mappingJson(m: MappingWithCustomer, links: Links, references: 'links' | 'uuids' = 'links') {
  return {
    uuid: m.uuid,
    url: links.mapping(m.uuid),
    // The seed's create answer gives these two as UUIDs; every other answer as hyperlinks.
    settings: references === 'links' ? links.settings(m.settingsUuid) : m.settingsUuid,
    settings_uuid: m.settingsUuid,
    arrow_reference: m.arrowReference,
    arrow_company_name: m.arrowCompanyName,
    waldur_customer: references === 'links' ? links.customer(m.waldurCustomerUuid) : m.waldurCustomerUuid,
    waldur_customer_uuid: m.waldurCustomerUuid,
    waldur_customer_name: m.waldurCustomer.name,
    is_active: m.isActive,
    created: m.created.toISOString(),
    modified: m.modified.toISOString(),
  };
}

/** Never the key: only whether one is set. */
export function settingsJson(s: Settings, links: Links) {
  return {
    uuid: s.uuid,
    url: links.settings(s.uuid),
    api_url: s.apiUrl,
    has_api_key: s.apiKey.length > 0,
    export_type_reference: s.exportTypeReference,
    classification_filter: s.classificationFilter,
    is_active: s.isActive,
    sync_enabled: s.syncEnabled,
    partner_reference: s.partnerReference,
    partner_name: s.partnerName,
    invoice_price_source: s.invoicePriceSource,
    invoice_item_prefix: s.invoiceItemPrefix,
    waldur_billing: s.waldurBilling.toLowerCase(),
    created: s.created.toISOString(),
    modified: s.modified.toISOString(),
  };
}

export function customerJson(c: { uuid: string; name: string; abbreviation: string; created: Date }, links: Links) {
  return { uuid: c.uuid, url: links.customer(c.uuid), name: c.name, abbreviation: c.abbreviation, created: c.created.toISOString() };
}

const arrowCustomerJson = (c: ArrowCustomer) => ({ reference: c.reference, companyName: c.companyName, email: c.email, city: c.city, countryCode: c.countryCode });
const waldurCustomerSummary = (c: { uuid: string; name: string; abbreviation: string }) => ({ uuid: c.uuid, name: c.name, abbreviation: c.abbreviation });

/** Arrow customers, Waldur customers and a suggestion for each Arrow one (available_customers, discover_customers). */
function customerSuggestionsJson(a: Pick<AvailableCustomers, 'arrowCustomers' | 'waldurCustomers' | 'suggestions'>) {
  return {
    arrow_customers: a.arrowCustomers.map(arrowCustomerJson),
    waldur_customers: a.waldurCustomers.map(waldurCustomerSummary),
    suggestions: a.suggestions.map((s) => ({
      arrow_customer: arrowCustomerJson(s.arrowCustomer),
      // Waldur's SDK models this key optional, not nullable: no suggestion, no key
      ...(s.suggestedWaldurCustomer ? { suggested_waldur_customer: waldurCustomerSummary(s.suggestedWaldurCustomer) } : {}),
      confidence: s.confidence,
      existing_mapping: s.existingMapping,
    })),
  };
}

export function availableCustomersJson(a: AvailableCustomers) {
  return { settings_uuid: a.settings.uuid, ...customerSuggestionsJson(a) };
}

/** discover_customers' answer (DiscoverCustomersResponse), suggestions shaped as available_customers'. */
export function customerDiscoveryJson(d: CustomerDiscovery) {
  return {
    ...customerSuggestionsJson(d),
    export_types: d.exportTypes.map((t) => ({
      reference: t.reference,
      name: t.name,
      required_fields_total: t.requiredFieldsTotal,
      required_fields_found: t.requiredFieldsFound,
      important_fields_total: t.importantFieldsTotal,
      important_fields_found: t.importantFieldsFound,
      missing_required_fields: t.missingRequiredFields,
      missing_important_fields: t.missingImportantFields,
      compatible: t.compatible,
      recommended: t.recommended,
    })),
  };
}

export function billingSummaryJson(s: BillingSummary) {
  return {
    customer_mapping_uuid: s.mapping.uuid,
    arrow_reference: s.mapping.arrowReference,
    arrow_company_name: s.mapping.arrowCompanyName,
    waldur_customer_uuid: s.mapping.waldurCustomerUuid,
    waldur_customer_name: s.mapping.waldurCustomer.name,
    total_consumption_records: s.totalConsumptionRecords,
    total_consumed_sell: twoPlaces(s.totalConsumedSell),
    total_final_sell: twoPlaces(s.totalFinalSell),
    pending_records: s.pendingRecords,
    finalized_records: s.finalizedRecords,
    reconciled_records: s.reconciledRecords,
    total_billing_syncs: s.totalBillingSyncs,
    total_billing_sell: twoPlaces(s.totalBillingSell),
    recent_consumption_records: s.recentConsumptionRecords.map((r) => ({
      uuid: r.uuid,
      license_reference: r.licenseReference,
      resource_name: r.resourceName,
      billing_period: r.billingPeriod.toISOString().slice(0, 10),
      consumed_sell: twoPlaces(r.consumedSell),
      final_sell: twoPlaces(r.finalSell),
      is_finalized: r.isFinalized,
      is_reconciled: r.isReconciled,
    })),
    recent_billing_syncs: s.recentBillingSyncs.map((b) => ({
      uuid: b.uuid,
      report_period: b.reportPeriod,
      state: b.state,
      sell_total: twoPlaces(b.sellTotal),
      items_count: b.itemsCount,
      created: b.created.toISOString(),
    })),
  };
}

export function discoveryJson(d: Discovery) {
  return {
    customer_mapping_uuid: d.mapping.uuid,
    arrow_reference: d.mapping.arrowReference,
    waldur_customer_name: d.mapping.waldurCustomer.name,
    arrow_licenses: d.arrowLicenses.map((l) => ({
      license_reference: l.licenseReference,
      vendor_name: l.vendorName,
      offer_name: l.offerName,
      offer_sku: l.offerSku,
      friendly_name: l.friendlyName,
    })),
    waldur_resources: d.waldurResources.map((r) => ({
      uuid: r.uuid,
      name: r.name,
      backend_id: r.backendId,
      project_name: r.project.name,
      offering_name: r.offering.name,
      state: r.state,
    })),
    suggestions: d.suggestions.map((s) => ({
      resource_uuid: s.resourceUuid,
      resource_name: s.resourceName,
      license_reference: s.licenseReference,
      license_name: s.licenseName,
      confidence: s.confidence,
    })),
    error: d.error,
  };
}

export function arrowDataJson(d: ArrowData) {
  return {
    customer_mapping_uuid: d.mapping.uuid,
    arrow_reference: d.mapping.arrowReference,
    arrow_company_name: d.mapping.arrowCompanyName,
    waldur_customer_name: d.mapping.waldurCustomer.name,
    period: d.period,
    billing_available: d.billingAvailable,
    billing_lines: d.billingLines.map((l) => ({
      vendor_name: l.vendorName,
      subscription_reference: l.subscriptionReference,
      license_reference: l.licenseReference,
      offer_sku: l.offerSku,
      classification: l.classification,
      quantity: twoPlaces(l.quantity),
      sell_price: twoPlaces(l.sellPrice),
      buy_price: twoPlaces(l.buyPrice),
    })),
    billing_total_sell: twoPlaces(d.billingTotalSell),
    billing_total_buy: twoPlaces(d.billingTotalBuy),
    consumption_lines: d.consumptionLines.map((l) => ({
      license_reference: l.licenseReference,
      resource_name: l.resourceName,
      resource_uuid: l.resourceUuid,
      period: l.period,
      sell_price: twoPlaces(l.sellPrice),
      buy_price: twoPlaces(l.buyPrice),
      error: l.error,
    })),
    consumption_total_sell: twoPlaces(d.consumptionTotalSell),
    consumption_total_buy: twoPlaces(d.consumptionTotalBuy),
    total_customer_resources: d.totalCustomerResources,
    resources_with_backend_id: d.resourcesWithBackendId,
    matched_resources: d.matchedResources,
    error: d.error,
  };
}
