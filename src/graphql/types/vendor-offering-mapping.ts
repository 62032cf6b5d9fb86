import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { createVendorMapping, deleteVendorMapping, updateVendorMapping, vendorChoices, vendorMappingWhere, type VendorMappingFilters } from '../../domain/vendor-mappings.js';
import { DOMAIN_ERRORS } from './errors.js';

export const VendorOfferingMappingRef = builder.prismaNode('VendorOfferingMapping', {
  description: "Which Waldur offering and plan an Arrow vendor's subscriptions become when resources are synced from Arrow.",
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    arrowVendorName: t.exposeString('arrowVendorName'),
    settings: t.relation('settings'),
    offering: t.relation('offering'),
    plan: t.relation('plan'),
    isActive: t.exposeBoolean('isActive'),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
  }),
});

builder.queryField('vendorOfferingMappings', (t) =>
  t.prismaConnection({
    type: 'VendorOfferingMapping',
    cursor: 'uuid',
    description: 'Vendor-offering mappings, newest first.',
    args: {
      settingsUuid: t.arg({ type: 'UUID', required: false }),
      offeringUuid: t.arg({ type: 'UUID', required: false }),
      arrowVendorName: t.arg.string({ required: false, description: 'Contains, any case.' }),
      isActive: t.arg.boolean({ required: false }),
    },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.vendorOfferingMapping.count({ where: vendorMappingWhere({ ...args, isActive: args.isActive ?? undefined } as VendorMappingFilters) })),
    resolve: (query, _root, args, ctx) => (
      checkPageSize(args, ctx.maxPageSize),
      ctx.prisma.vendorOfferingMapping.findMany({ ...query, where: vendorMappingWhere({ ...args, isActive: args.isActive ?? undefined } as VendorMappingFilters), orderBy: [{ created: 'desc' }, { uuid: 'desc' }] })
    ),
  }),
);

const VendorChoiceRef = builder.objectRef<{ value: string; label: string }>('ArrowVendorChoice').implement({
  description: 'A vendor named in Arrow\'s billing export, as a choice for a vendor offering mapping.',
  fields: (t) => ({ value: t.exposeString('value'), label: t.exposeString('label') }),
});

builder.queryField('arrowVendorChoices', (t) =>
  t.field({
    type: [VendorChoiceRef],
    description: "Vendor names to map: Arrow's IAAS programs, else the vendors of synced billing lines (vendor_choices).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'choices' } },
    args: { settingsUuid: t.arg({ type: 'UUID', required: false, description: 'Default: the active settings.' }) },
    resolve: (_root, args, ctx) => vendorChoices(ctx.prisma, ctx.arrow, args.settingsUuid),
  }),
);

const VendorMappingInput = builder.inputType('VendorOfferingMappingInput', {
  description: 'A new mapping of an Arrow vendor to the Waldur offering (and plan) its licences\' resources go to.',
  fields: (t) => ({
    settingsUuid: t.field({ type: 'UUID', required: true }),
    arrowVendorName: t.string({ required: true }),
    offeringUuid: t.field({ type: 'UUID', required: true }),
    planUuid: t.field({ type: 'UUID', required: true, description: "One of the offering's plans." }),
    isActive: t.boolean(),
  }),
});

const VendorMappingPatch = builder.inputType('VendorOfferingMappingPatch', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    settingsUuid: t.field({ type: 'UUID' }),
    arrowVendorName: t.string(),
    offeringUuid: t.field({ type: 'UUID' }),
    planUuid: t.field({ type: 'UUID' }),
    isActive: t.boolean(),
  }),
});

builder.mutationField('createVendorOfferingMapping', (t) =>
  t.prismaField({
    description: "Maps an Arrow vendor to the Waldur offering (and plan) that its licences' resources go to (syncResourcesFromArrow).",
    type: 'VendorOfferingMapping',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'mapping' } },
    args: { input: t.arg({ type: VendorMappingInput, required: true }) },
    resolve: (_query, _root, { input }, ctx) => createVendorMapping(ctx.prisma, input),
  }),
);

builder.mutationField('updateVendorOfferingMapping', (t) =>
  t.prismaField({
    description: 'Changes a vendor offering mapping: only the fields given.',
    type: 'VendorOfferingMapping',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'mapping' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }), input: t.arg({ type: VendorMappingPatch, required: true }) },
    resolve: (_query, _root, { uuid, input }, ctx) =>
      updateVendorMapping(ctx.prisma, uuid, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined))),
  }),
);

const DeletedVendorMappingRef = builder.objectRef<{ uuid: string }>('DeletedVendorOfferingMapping').implement({
  description: 'A vendor offering mapping just deleted: evict `id` from a client cache.',
  fields: (t) => ({
    id: t.id({ description: 'The deleted VendorOfferingMapping global id.', resolve: (d) => encodeGlobalID('VendorOfferingMapping', d.uuid) }),
    uuid: t.expose('uuid', { type: 'UUID' }),
  }),
});

builder.mutationField('deleteVendorOfferingMapping', (t) =>
  t.field({
    description: 'Deletes a vendor offering mapping (resources already imported stay).',
    type: DeletedVendorMappingRef,
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deleted' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, { uuid }, ctx) => ({ uuid: (await deleteVendorMapping(ctx.prisma, uuid)).uuid }),
  }),
);
