import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import type { ArrowCustomer } from '../../arrow/client.js';
import { availableCustomers, syncCustomersFromArrow, type CustomerSuggestion, type WaldurCustomerSummary } from '../../domain/customers.js';
import { DOMAIN_ERRORS } from './errors.js';
import { ArrowCredentialsInput, ArrowSettingsRef } from './arrow-settings.js';
import { discoverCustomers, type ExportTypeCompatibility } from '../../domain/settings.js';

export const ArrowCustomerRef = builder.objectRef<ArrowCustomer>('ArrowCustomer').implement({
  description: 'A customer as ArrowSphere knows it.',
  fields: (t) => ({
    id: t.id({ description: "A cache key: the customer's Arrow reference (unique across ArrowSphere). Not a Node: read it again through its mapping.", resolve: (c) => encodeGlobalID('ArrowCustomer', c.reference) }),
    reference: t.exposeString('reference', { description: "Arrow's customer reference, e.g. XSP661245." }),
    companyName: t.exposeString('companyName'),
    internalReference: t.exposeString('internalReference'),
    email: t.exposeString('email'),
    city: t.exposeString('city'),
    countryCode: t.exposeString('countryCode'),
  }),
});

const WaldurCustomerSummaryRef = builder.objectRef<WaldurCustomerSummary>('WaldurCustomerSummary').implement({
  description: 'A Waldur customer as a suggestion names it; node(id) fetches the whole WaldurCustomer.',
  fields: (t) => ({
    id: t.id({ description: "The WaldurCustomer's global id.", resolve: (c) => encodeGlobalID('WaldurCustomer', c.uuid) }),
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    abbreviation: t.exposeString('abbreviation'),
  }),
});

const CustomerSuggestionRef = builder.objectRef<CustomerSuggestion>('CustomerSuggestion').implement({
  description: 'An Arrow customer and the Waldur customer it most likely is, with the name match\'s confidence.',
  fields: (t) => ({
    arrowCustomer: t.expose('arrowCustomer', { type: ArrowCustomerRef }),
    suggestedWaldurCustomer: t.expose('suggestedWaldurCustomer', { type: WaldurCustomerSummaryRef, nullable: true }),
    confidence: t.exposeFloat('confidence', { description: "Python difflib's ratio of the names (0 when nothing scored above 0.5)." }),
    existingMapping: t.exposeBoolean('existingMapping', { description: 'An inactive mapping of this Arrow customer exists.' }),
  }),
});

const AvailableCustomersRef = builder.objectRef<Awaited<ReturnType<typeof availableCustomers>>>('AvailableArrowCustomers').implement({
  description: 'Arrow customers not mapped yet under a settings, each with its best Waldur customer by name.',
  fields: (t) => ({
    settings: t.field({ type: ArrowSettingsRef, resolve: (r) => r.settings }),
    settingsUuid: t.field({ type: 'UUID', resolve: (r) => r.settings.uuid }),
    arrowCustomers: t.expose('arrowCustomers', { type: [ArrowCustomerRef], description: 'Arrow customers not yet mapped by an active mapping.' }),
    waldurCustomers: t.expose('waldurCustomers', { type: [WaldurCustomerSummaryRef] }),
    suggestions: t.expose('suggestions', { type: [CustomerSuggestionRef] }),
  }),
});

builder.queryField('availableArrowCustomers', (t) =>
  t.field({
    type: AvailableCustomersRef,
    description: 'Arrow customers not yet mapped, with a suggested Waldur customer for each (available_customers).',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { settingsUuid: t.arg({ type: 'UUID', required: false, description: 'Default: the active settings.' }) },
    resolve: (_root, args, ctx) => availableCustomers(ctx.prisma, ctx.arrow, args.settingsUuid),
  }),
);

const SyncResultRef = builder.objectRef<Awaited<ReturnType<typeof syncCustomersFromArrow>>>('SyncCustomersResult').implement({
  description: 'What syncCustomersFromArrow matched and mapped.',
  fields: (t) => ({
    updated: t.exposeInt('updated', { description: 'Mappings whose arrowCompanyName changed.' }),
    settings: t.field({ type: ArrowSettingsRef, resolve: (r) => r.settings }),
  }),
});

builder.mutationField('syncCustomersFromArrow', (t) =>
  t.field({
    type: SyncResultRef,
    description: "Reads every Arrow customer and sets each active mapping's arrowCompanyName to Arrow's name (sync_from_arrow).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { settingsUuid: t.arg({ type: 'UUID', required: false, description: 'Default: the active settings.' }) },
    resolve: (_root, args, ctx) => syncCustomersFromArrow(ctx.prisma, ctx.arrow, args.settingsUuid),
  }),
);

const ExportTypeCompatibilityRef = builder.objectRef<ExportTypeCompatibility>('ArrowExportTypeCompatibility').implement({
  description: "How well an export type suits billing: its columns (page 1 of a month's export) against those billing needs and reads.",
  fields: (t) => ({
    reference: t.exposeString('reference'),
    name: t.exposeString('name'),
    requiredFieldsTotal: t.exposeInt('requiredFieldsTotal'),
    requiredFieldsFound: t.exposeInt('requiredFieldsFound'),
    importantFieldsTotal: t.exposeInt('importantFieldsTotal'),
    importantFieldsFound: t.exposeInt('importantFieldsFound'),
    missingRequiredFields: t.exposeStringList('missingRequiredFields'),
    missingImportantFields: t.exposeStringList('missingImportantFields'),
    compatible: t.exposeBoolean('compatible', { description: 'Every required column is there.' }),
    recommended: t.exposeBoolean('recommended', { description: 'Compatible, and at least 11 of the important columns.' }),
  }),
});

const CustomerDiscoveryRef = builder.objectRef<Awaited<ReturnType<typeof discoverCustomers>>>('ArrowCustomerDiscovery').implement({
  description: 'Arrow\'s customers and export types for new settings, with the Waldur customers they could map to.',
  fields: (t) => ({
    arrowCustomers: t.expose('arrowCustomers', { type: [ArrowCustomerRef] }),
    exportTypes: t.expose('exportTypes', { type: [ExportTypeCompatibilityRef] }),
    waldurCustomers: t.expose('waldurCustomers', { type: [WaldurCustomerSummaryRef] }),
    suggestions: t.expose('suggestions', { type: [CustomerSuggestionRef], description: 'existingMapping: some settings already map this reference.' }),
  }),
});

builder.mutationField('discoverArrowCustomers', (t) =>
  t.field({
    type: CustomerDiscoveryRef,
    description: "Before settings are saved: the credentials' Arrow customers with suggested Waldur customers, and their export types (discover_customers); stores nothing.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: ArrowCredentialsInput, required: true }) },
    resolve: (_root, { input }, ctx) => discoverCustomers(ctx.prisma, ctx.arrow, input),
  }),
);
