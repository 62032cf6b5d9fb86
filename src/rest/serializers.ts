import type { MappingWithCustomer } from '../domain/mappings.js';
import type { CustomerDiscovery, Settings } from '../domain/settings.js';
import type { VendorMapping } from '../domain/vendor-mappings.js';
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
      resource_uuid: s.resource.uuid,
      resource_name: s.resource.name,
      license_reference: s.license.licenseReference,
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
