import { describedValues } from '../enum-values.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { createSettings, deleteSettings, exportTypesOf, getSettings, previewSettings, saveSettings, updateSettings, validateCredentials, type SettingsPreview } from '../../domain/settings.js';
import { InvoicePriceSource, WaldurBillingMode } from '../../generated/prisma/enums.js';
import { DOMAIN_ERRORS } from './errors.js';

const InvoicePriceSourceEnum = builder.enumType('InvoicePriceSource', {
  description: 'Which of Arrow\'s prices is billed to the customer.',
  values: describedValues(InvoicePriceSource, {
    sell: 'Arrow\'s sell price (the customer price).',
    buy: 'Arrow\'s buy price (the wholesale price).',
  }),
});
const WaldurBillingModeEnum = builder.enumType('WaldurBillingMode', {
  description: "How Arrow's charges reach Waldur's invoices (README \"Billing in Waldur\").",
  values: describedValues(WaldurBillingMode, {
    OFF: 'Not at all: the gateway only keeps the figures.',
    INVOICE_ITEMS: "Each billing line as an item on its customer's invoice (import_usage; staff token).",
    COMPONENT_USAGE: "Each linked licence's consumption of the month as its resource's cloud_cost usage (set_usage); the month's final figures settled by reconciliation.",
  }),
});

export const ArrowSettingsRef = builder.prismaNode('ArrowSettings', {
  description: 'Credentials and behaviour for one ArrowSphere account. The API key is write-only.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    apiUrl: t.field({ type: 'URL', resolve: (s) => s.apiUrl }),
    hasApiKey: t.boolean({ description: 'Whether a key is set; the key itself is never shown.', resolve: (s) => s.apiKey.length > 0 }),
    exportTypeReference: t.exposeString('exportTypeReference'),
    classificationFilter: t.exposeString('classificationFilter'),
    isActive: t.exposeBoolean('isActive'),
    syncEnabled: t.exposeBoolean('syncEnabled'),
    partnerReference: t.exposeString('partnerReference', { description: "From Arrow's whoami when the settings were saved." }),
    partnerName: t.exposeString('partnerName'),
    invoicePriceSource: t.expose('invoicePriceSource', { type: InvoicePriceSourceEnum }),
    invoiceItemPrefix: t.exposeString('invoiceItemPrefix', { description: "Put before the name of every item these settings put on a Waldur invoice." }),
    waldurBilling: t.expose('waldurBilling', { type: WaldurBillingModeEnum }),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
  }),
});

export const ArrowExportTypeRef = builder.objectRef<{ reference: string; name: string }>('ArrowExportType').implement({
  description: "A billing export type Arrow offers; settings' exportTypeReference names one.",
  fields: (t) => ({ reference: t.exposeString('reference'), name: t.exposeString('name') }),
});

builder.queryField('arrowExportTypes', (t) =>
  t.field({
    type: [ArrowExportTypeRef],
    description: "The billing export types Arrow offers these settings' credentials (asked of Arrow now).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'exportTypes' } },
    args: { settingsUuid: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => exportTypesOf(ctx.arrow, await getSettings(ctx.prisma, args.settingsUuid)),
  }),
);

builder.queryField('arrowSettings', (t) =>
  t.prismaField({
    type: ['ArrowSettings'],
    description: 'Every Arrow settings record, the default (oldest active) first.',
    args: { isActive: t.arg.boolean({ required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.arrowSettings.findMany({
        ...query,
        where: typeof args.isActive === 'boolean' ? { isActive: args.isActive } : {},
        orderBy: [{ isActive: 'desc' }, { created: 'asc' }, { uuid: 'asc' }],
      }),
  }),
);

/** The settings' behaviour fields, the same on create and update. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function settingsBehaviour(t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) {
  return {
    exportTypeReference: t.string(),
    classificationFilter: t.string(),
    isActive: t.boolean(),
    syncEnabled: t.boolean(),
    invoicePriceSource: t.field({ type: InvoicePriceSourceEnum }),
    invoiceItemPrefix: t.string(),
    waldurBilling: t.field({ type: WaldurBillingModeEnum }),
  };
}

const CreateArrowSettingsInput = builder.inputType('CreateArrowSettingsInput', {
  description: 'New Arrow settings: where Arrow is, the key, and how its billing is read and pushed to Waldur.',
  fields: (t) => ({
    apiUrl: t.string({ required: true, description: 'e.g. https://xsp.arrow.com/index.php/api/' }),
    apiKey: t.string({ required: true }),
    ...settingsBehaviour(t),
  }),
});

const UpdateArrowSettingsInput = builder.inputType('UpdateArrowSettingsInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    apiUrl: t.string(),
    apiKey: t.string({ description: 'A new key; omit to keep the current one.' }),
    ...settingsBehaviour(t),
  }),
});

builder.mutationField('createArrowSettings', (t) =>
  t.field({
    type: ArrowSettingsRef,
    description: "Saves new settings after Arrow's whoami accepted the credentials; fills the partner fields.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'settings' } },
    args: { input: t.arg({ type: CreateArrowSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSettings(ctx.prisma, ctx.arrow, input),
  }),
);

builder.mutationField('updateArrowSettings', (t) =>
  t.field({
    type: ArrowSettingsRef,
    description: 'Changes settings; new credentials are checked with whoami first. Cached Arrow data of these settings is dropped when the URL, key, export type or classification filter changes, and when the input names no field ("look again").',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'settings' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }), input: t.arg({ type: UpdateArrowSettingsInput, required: true }) },
    resolve: (_root, { uuid, input }, ctx) =>
      updateSettings(ctx.prisma, ctx.arrow, uuid, {
        ...(input.apiUrl != null ? { apiUrl: input.apiUrl } : {}),
        ...(input.apiKey != null ? { apiKey: input.apiKey } : {}),
        exportTypeReference: input.exportTypeReference,
        classificationFilter: input.classificationFilter,
        isActive: input.isActive,
        syncEnabled: input.syncEnabled,
        invoicePriceSource: input.invoicePriceSource,
        invoiceItemPrefix: input.invoiceItemPrefix,
        waldurBilling: input.waldurBilling,
      }),
  }),
);

// The actions below take an API key: mutations, so that the key never travels in a GET URL (Yoga
// serves queries over GET), though only saveArrowSettings and deleteArrowSettings change anything.

export const ArrowCredentialsInput = builder.inputType('ArrowCredentialsInput', {
  description: 'Credentials to try before any settings are saved.',
  fields: (t) => ({ apiUrl: t.string({ required: true }), apiKey: t.string({ required: true }) }),
});

const ArrowPartnerRef = builder.objectRef<{ reference: string; companyName: string }>('ArrowPartner').implement({
  description: 'Whom Arrow says the credentials belong to (whoami).',
  fields: (t) => ({ reference: t.exposeString('reference'), companyName: t.exposeString('companyName') }),
});

const CredentialsValidationRef = builder.objectRef<Awaited<ReturnType<typeof validateCredentials>>>('ArrowCredentialsValidation').implement({
  description: 'Whether an Arrow URL and key work (Arrow\'s whoami), with the partner and export types they give access to.',
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    partner: t.field({ type: ArrowPartnerRef, nullable: true, resolve: (v) => (v.valid ? v.partner : null) }),
    exportTypes: t.field({ type: [ArrowExportTypeRef], resolve: (v) => (v.valid ? v.exportTypes : []) }),
    error: t.string({ nullable: true, description: "Arrow's refusal, when not valid.", resolve: (v) => (v.valid ? null : v.error) }),
  }),
});

builder.mutationField('validateArrowCredentials', (t) =>
  t.field({
    type: CredentialsValidationRef,
    description: "Asks Arrow's whoami whether the credentials work (validate_credentials); stores nothing.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: ArrowCredentialsInput, required: true }) },
    resolve: (_root, { input }, ctx) => validateCredentials(ctx.arrow, input),
  }),
);

const SettingsPreviewRef = builder.objectRef<SettingsPreview>('ArrowSettingsPreview').implement({
  description: 'What saving these Arrow settings would store (the key is never shown).',
  fields: (t) => ({
    apiUrl: t.exposeString('apiUrl'),
    partnerReference: t.exposeString('partnerReference'),
    partnerName: t.exposeString('partnerName'),
    exportTypeReference: t.exposeString('exportTypeReference'),
    classificationFilter: t.exposeString('classificationFilter'),
    syncEnabled: t.exposeBoolean('syncEnabled'),
  }),
});

builder.mutationField('previewArrowSettings', (t) =>
  t.field({
    type: SettingsPreviewRef,
    description: 'The settings as saveArrowSettings would save them, after whoami accepted the credentials (preview_settings); stores nothing.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: CreateArrowSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) => previewSettings(ctx.arrow, input),
  }),
);

const MappingChoiceInput = builder.inputType('ArrowCustomerMappingChoice', {
  description: 'An Arrow customer to map to a Waldur customer when saving settings.',
  fields: (t) => ({ arrowReference: t.string({ required: true }), waldurCustomerUuid: t.field({ type: 'UUID', required: true }) }),
});

const SavedSettingsRef = builder.objectRef<Awaited<ReturnType<typeof saveSettings>>>('SavedArrowSettings').implement({
  description: 'Arrow settings saved with the customer mappings chosen with them.',
  fields: (t) => ({
    settings: t.field({ type: ArrowSettingsRef, resolve: (r) => r.settings }),
    mappingsCreated: t.exposeInt('mappingsCreated', { description: 'Choices whose Waldur customer the mirror does not hold are skipped.' }),
  }),
});

builder.mutationField('saveArrowSettings', (t) =>
  t.field({
    type: SavedSettingsRef,
    description: 'Saves new active settings (all others made inactive) with the chosen customer mappings, in one transaction (save_settings).',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: CreateArrowSettingsInput, required: true }), customerMappings: t.arg({ type: [MappingChoiceInput], required: true }) },
    resolve: (_root, { input, customerMappings }, ctx) => saveSettings(ctx.prisma, ctx.arrow, { ...input, customerMappings }),
  }),
);

const DeletedSettingsRef = builder.objectRef<{ uuid: string }>('DeletedArrowSettings').implement({
  description: 'Arrow settings just deleted: evict `id` from a client cache.',
  fields: (t) => ({
    id: t.id({ description: 'The deleted ArrowSettings global id.', resolve: (d) => encodeGlobalID('ArrowSettings', d.uuid) }),
    uuid: t.expose('uuid', { type: 'UUID' }),
  }),
});

builder.mutationField('deleteArrowSettings', (t) =>
  t.field({
    type: DeletedSettingsRef,
    description: 'Deletes the settings with their customer mappings and billing syncs; flow runs keep their history.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deleted' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, { uuid }, ctx) => ({ uuid: (await deleteSettings(ctx.prisma, ctx.arrow, uuid)).uuid }),
  }),
);
