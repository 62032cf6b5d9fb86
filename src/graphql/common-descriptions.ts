import { isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * Arguments, input fields and object fields that mean the same wherever they appear, described
 * once here (a description written at the field wins). Every public argument and input field is
 * described: a schema test fails on one without.
 */
const COMMON: Record<string, string> = {
  uuid: 'The UUID of the object to act on.',
  mappingUuid: 'The customer mapping (its UUID).',
  settingsUuid: 'The Arrow settings (their UUID).',
  resourceUuid: 'The Waldur resource (its UUID).',
  projectUuid: 'The Waldur project (its UUID).',
  offeringUuid: 'The Waldur offering (its UUID).',
  customerUuid: 'The Waldur customer (its UUID).',
  waldurCustomerUuid: 'The Waldur customer (its UUID).',
  billingSyncUuid: 'The billing sync (its UUID).',
  planUuid: 'A plan of the offering (its UUID).',
  licenseReference: "An Arrow licence reference, e.g. XSP12345 (Arrow's ARS Subscription ID).",
  arrowReference: "The Arrow customer's reference, e.g. XSP500004 (surrounding spaces are ignored).",
  arrowCompanyName: "The Arrow customer's company name, as Arrow has it.",
  arrowVendorName: "A vendor as Arrow's billing export names it, e.g. Microsoft.",
  periodFrom: 'The first month (YYYY-MM).',
  periodTo: 'The last month (YYYY-MM).',
  period: 'A month (YYYY-MM).',
  search: 'Only those whose name contains this (case and accents ignored).',
  isActive: 'Active or not (inactive ones are kept but take no part in syncs).',
  dryRun: 'Say what would be done; change nothing.',
  force: 'Do it again even where it was done (finalized months, finished runs).',
  full: 'Read everything (noticing deletions), not only what changed since the last sync.',
  global: 'All settings at once, rather than the one named.',
  input: 'The values to save.',
  filter: 'Which ones to list.',
  orderBy: 'In which order.',
  state: 'Only those in this state.',
  status: 'Only those that ended so.',
  kind: 'Only flows of this kind.',
  classification: 'Only lines of this classification (IAAS, SAAS, …).',
  finalized: 'Only finalized (true) or not yet finalized (false) records.',
  reconciled: 'Only reconciled (true) or not yet reconciled (false) records.',
  onlyFinalized: 'Only finalized records.',
  onlyUnfinalized: 'Only records not finalized yet.',
  username: "The gateway user's name.",
  apiUrl: "ArrowSphere's API root, e.g. https://xsp.arrow.com/index.php/api.",
  apiKey: 'The ArrowSphere API key: write-only, never answered or logged.',
  exportTypeReference: "The billing export type Arrow's billing syncs read (one of arrowExportTypes).",
  classificationFilter: 'Only billing lines of this classification are synced (IAAS, SAAS, …; empty: all).',
  invoiceItemPrefix: "What Waldur invoice items' names begin with.",
  invoicePriceSource: "Which of Arrow's prices is billed.",
  syncEnabled: 'Whether the scheduled flows run for these settings.',
  waldurBilling: "How Arrow's charges reach Waldur's invoices (OFF, INVOICE_ITEMS or COMPONENT_USAGE).",
  minConfidence: 'Only suggestions at least this confident (0 to 1).',
  customerMappings: 'The Arrow customers to map with the settings, each to a Waldur customer.',
  flow: 'Which flow.',
};

/** Fields of objects that mean the same wherever they appear. */
const COMMON_FIELDS: Record<string, string> = {
  uuid: 'The UUID, as Waldur and REST name the object (the global `id` is derived from it).',
  created: 'When it was created.',
  modified: 'When it last changed.',
  name: 'Its name.',
  licenseReference: "The Arrow licence reference (Arrow's ARS Subscription ID).",
  period: 'The month (YYYY-MM).',
  reportPeriod: "Arrow's report period (YYYY-MM).",
  resource: 'The Waldur resource.',
  resourceUuid: "The Waldur resource's UUID.",
  resourceName: "The Waldur resource's name.",
  settings: 'The Arrow settings.',
  settingsUuid: "The Arrow settings' UUID.",
  offering: 'The Waldur offering.',
  state: 'Where it stands.',
  reference: "Arrow's reference.",
  isActive: 'Active (inactive ones are kept but take no part in syncs).',
  isFinalized: "Arrow's final figures are in.",
  isReconciled: 'Compared with the final figures.',
  success: 'Always true on success (REST parity).',
  startedAt: 'When it started.',
  error: 'Why it failed; null when it did not.',
  errors: 'What failed, item by item.',
  sellPrice: "Arrow's sell (customer) price.",
  buyPrice: "Arrow's buy (wholesale) price.",
  consumedSell: 'Consumption at the sell price.',
  totalConsumedSell: 'All consumption at the sell price.',
  vendorName: 'The vendor, as Arrow names it.',
  username: "The gateway user's name.",
  syncEnabled: 'Whether the scheduled flows run for these settings.',
  partnerName: "The Arrow partner's company name.",
  subscriptionReference: "The vendor's subscription id.",
  quantity: 'How many.',
  sellTotal: 'The total at the sell price.',
  buyTotal: 'The total at the buy price.',
  reconciledAt: 'When it was reconciled; null before.',
  reconciledRecords: 'Records compared with the final figures.',
  waldurInvoiceUuid: "The Waldur invoice's UUID; null before the push.",
  waldurCustomerName: "The Waldur customer's name.",
  waldurCustomers: 'Waldur customers.',
  suggestions: 'The suggestions, most confident first.',
  updated: 'How many were updated.',
  apiUrl: "ArrowSphere's API root.",
  companyName: "The company's name, as Arrow has it.",
  message: 'What happened, in words.',
  classification: 'IAAS, SAAS, …',
  description: 'In words.',
  amount: 'The amount (a decimal).',
  finalSell: 'The final figure at the sell price; null before finalization.',
  billingPeriod: 'The month (its first day).',
  rowCount: 'All rows, of which at most 100 are given.',
};

export function describeCommonArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (COMMON_FIELDS[field.name]) field.description ??= COMMON_FIELDS[field.name];
        for (const arg of field.args) arg.description ??= COMMON[arg.name];
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) field.description ??= COMMON[field.name];
  }
  return schema;
}
