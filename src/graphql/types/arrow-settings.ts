import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { createSettings, exportTypesOf, getSettings, updateSettings } from '../../domain/settings.js';
import { InvoicePriceSource } from '../../generated/prisma/enums.js';
import { DOMAIN_ERRORS } from './errors.js';

const InvoicePriceSourceEnum = builder.enumType(InvoicePriceSource, { name: 'InvoicePriceSource' });

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
    invoiceItemPrefix: t.exposeString('invoiceItemPrefix'),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
  }),
});

const ArrowExportTypeRef = builder.objectRef<{ reference: string; name: string }>('ArrowExportType').implement({
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
  };
}

const CreateArrowSettingsInput = builder.inputType('CreateArrowSettingsInput', {
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
    description: 'Changes settings; new credentials are checked with whoami first. Cached Arrow data of these settings is dropped.',
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
      }),
  }),
);
