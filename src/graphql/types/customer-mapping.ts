import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import type { Discovery } from '../../domain/licenses.js';
import { createMapping, deleteMapping, MAPPING_ORDER, type MappingDeletion, mappingInclude, mappingWhere, updateMapping, type MappingFilters, type MappingWithCustomer } from '../../domain/mappings.js';
import { ArrowUnavailableError } from '../../domain/errors.js';
import type { GraphQLContext } from '../context.js';
import { parsePeriod } from '../../domain/periods.js';
import { DOMAIN_ERRORS } from './errors.js';
import { ArrowCustomerRef } from './arrow-customer.js';
import { ApplyResultRef, ArrowLicenseRef, ImportResultRef, LicenseSuggestionRef, LinkResultRef, UnlinkResultRef } from './arrow-license.js';
import { BillingSummaryRef } from './billing-summary.js';
import { ArrowDataRef, ConsumptionSourceRef } from './arrow-data.js';
import { ResourceRef } from './resource.js';
import { ArrowSettingsRef } from './arrow-settings.js';
import { WaldurCustomerRef } from './waldur-customer.js';
import { givenFields } from '../../domain/collections.js';

/**
 * A field of the mapping's discovery, one `then` on the page's batch (a screen resolves six such
 * fields per mapping); `failWhenArrowDid` makes it a typed ARROW_UNAVAILABLE error when Arrow failed.
 */
function fromDiscovery<T>(pick: (d: Discovery) => T, failWhenArrowDid: boolean) {
  return (m: MappingWithCustomer, _args: unknown, ctx: GraphQLContext): Promise<T> =>
    ctx.loaders.discovery(m).then((d) => {
      if (failWhenArrowDid && d.arrowFailed) throw new ArrowUnavailableError(d.error ?? 'Arrow failed');
      return pick(d);
    });
}

export const CustomerMappingRef = builder.prismaNode('CustomerMapping', {
  description: 'Maps one Arrow customer (by reference) to one Waldur customer.',
  // Every mapping is read with its Waldur customer (discovery, billing and Arrow data need its
  // name): once for the type, not a `select` on ten fields, which plugin-prisma would then check
  // on every row of every one of them (some 5 ms of a 100-mapping screen).
  include: mappingInclude,
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    arrowReference: t.exposeString('arrowReference', { description: "Arrow customer ID (e.g. 'XSP661245')." }),
    arrowCompanyName: t.exposeString('arrowCompanyName'),
    isActive: t.exposeBoolean('isActive'),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
    settingsUuid: t.expose('settingsUuid', { type: 'UUID' }),
    waldurCustomerUuid: t.expose('waldurCustomerUuid', { type: 'UUID' }),
    waldurCustomerName: t.string({ resolve: (m) => m.waldurCustomer.name }),
    settings: t.field({ type: ArrowSettingsRef, resolve: (m, _args, ctx) => ctx.loaders.settings(m.settingsUuid) }),
    // read with every mapping (the include above): a plain field, not plugin-prisma's relation,
    // which would look up its selection plan for each row of the page
    waldurCustomer: t.field({ type: WaldurCustomerRef, resolve: (m) => m.waldurCustomer }),
    billingSyncs: t.relation('billingSyncs', { description: 'Newest period first.', query: { orderBy: [{ reportPeriod: 'desc' }, { created: 'desc' }] } }),
    waldurResources: t.field({
      type: [ResourceRef],
      description: "Every resource of the Waldur customer, by name.",
      resolve: (m, _args, ctx) => ctx.loaders.resourcesOfCustomer(m.waldurCustomerUuid),
    }),
    arrowCustomer: t.field({
      type: ArrowCustomerRef,
      nullable: true,
      description: 'The Arrow customer this mapping means; null when Arrow does not know it (see licenseDiscoveryError). An ARROW_UNAVAILABLE error when Arrow fails.',
      resolve: fromDiscovery((d) => d.arrowCustomer, true),
    }),
    arrowLicenses: t.field({
      type: [ArrowLicenseRef],
      nullable: true,
      description: "The Arrow customer's licences. An ARROW_UNAVAILABLE error when Arrow fails.",
      resolve: fromDiscovery((d) => d.arrowLicenses, true),
    }),
    suggestions: t.field({
      type: [LicenseSuggestionRef],
      nullable: true,
      description: 'Suggested licence ↔ resource links, as discoverLicenses gives them. An ARROW_UNAVAILABLE error when Arrow fails.',
      resolve: fromDiscovery((d) => d.suggestions, true),
    }),
    licenseDiscoveryError: t.string({
      nullable: true,
      description: 'Why arrowCustomer, arrowLicenses and suggestions are empty: Arrow failed, or does not know the customer.',
      resolve: fromDiscovery((d) => d.error, false),
    }),
    arrowListingFetchedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: "When Arrow gave the customer and licence listings shown.",
      resolve: fromDiscovery((d) => d.listingFetchedAt, false),
    }),
    arrowListingStale: t.boolean({
      description: 'Arrow is failing now and the listings shown are the last good ones.',
      resolve: fromDiscovery((d) => d.listingStale, false),
    }),
    billingSummary: t.field({
      type: BillingSummaryRef,
      resolve: (m, _args, ctx) => ctx.loaders.billingSummary(m),
    }),
    arrowData: t.field({
      type: ArrowDataRef,
      args: {
        period: t.arg.string({ required: false, description: 'YYYY-MM; default this month.' }),
        consumption: t.arg({
          type: ConsumptionSourceRef,
          required: true,
          defaultValue: 'SYNCED',
          description: "Where licences' consumption comes from: SYNCED keeps a screen's cost flat; LIVE is Waldur's fetch_arrow_data exactly.",
        }),
      },
      resolve: (m, args, ctx) => ctx.loaders.arrowData({ mapping: m, period: parsePeriod(args.period), source: args.consumption }),
    }),
  }),
});

const CustomerMappingFilter = builder.inputType('CustomerMappingFilter', {
  description: 'Which customer mappings to list; every filter given must hold.',
  fields: (t) => ({
    settingsUuid: t.field({ type: 'UUID' }),
    waldurCustomerUuid: t.field({ type: 'UUID' }),
    arrowReference: t.string({ description: 'Contains, ignoring case.' }),
    arrowCompanyName: t.string({ description: 'Contains, ignoring case.' }),
    isActive: t.boolean(),
  }),
});

const CustomerMappingOrder = builder.enumType('CustomerMappingOrder', {
  description: 'How customer mappings are ordered.',
  values: {
    CREATED_DESC: { description: 'Newest first (the default).' },
    CREATED_ASC: { description: 'Oldest first.' },
    MODIFIED_DESC: { description: 'Most recently changed first.' },
    ARROW_REFERENCE_ASC: { description: "By the Arrow customer's reference." },
    ARROW_COMPANY_NAME_ASC: { description: "By the Arrow customer's company name." },
  } as const,
});

const ORDERS = {
  CREATED_DESC: MAPPING_ORDER,
  CREATED_ASC: [{ created: 'asc' }, { uuid: 'asc' }],
  MODIFIED_DESC: [{ modified: 'desc' }, { uuid: 'desc' }],
  ARROW_REFERENCE_ASC: [{ arrowReference: 'asc' }, { uuid: 'asc' }],
  ARROW_COMPANY_NAME_ASC: [{ arrowCompanyName: 'asc' }, { uuid: 'asc' }],
} as const;

builder.queryField('customerMappings', (t) =>
  t.prismaConnection({
    type: 'CustomerMapping',
    cursor: 'uuid',
    description: 'Customer mappings, newest first unless ordered otherwise.',
    args: {
      filter: t.arg({ type: CustomerMappingFilter, required: false }),
      orderBy: t.arg({ type: CustomerMappingOrder, required: false, defaultValue: 'CREATED_DESC' }),
    },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.customerMapping.count({ where: mappingWhere((args.filter ?? {}) as MappingFilters) });
    },
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.customerMapping.findMany({
        ...query,
        where: mappingWhere((args.filter ?? {}) as MappingFilters),
        orderBy: [...ORDERS[args.orderBy ?? 'CREATED_DESC']],
      });
    },
  }),
);

builder.queryField('customerMapping', (t) =>
  t.prismaField({
    type: 'CustomerMapping',
    nullable: true,
    description: 'One mapping; null when there is none with this uuid.',
    args: { uuid: t.arg({ type: 'UUID', required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.customerMapping.findUnique({ ...query, where: { uuid: args.uuid } }),
  }),
);

const CreateMappingInput = builder.inputType('CreateCustomerMappingInput', {
  description: 'A new mapping of an Arrow customer (by reference, under a settings) to a Waldur customer.',
  fields: (t) => ({
    settingsUuid: t.field({ type: 'UUID', required: true }),
    arrowReference: t.string({ required: true }),
    arrowCompanyName: t.string({ description: "Default: Arrow's company name for the customer." }),
    waldurCustomerUuid: t.field({ type: 'UUID', required: true }),
    isActive: t.boolean({ description: 'Default true.' }),
  }),
});

const UpdateMappingInput = builder.inputType('UpdateCustomerMappingInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    settingsUuid: t.field({ type: 'UUID' }),
    arrowReference: t.string(),
    arrowCompanyName: t.string(),
    waldurCustomerUuid: t.field({ type: 'UUID' }),
    isActive: t.boolean(),
  }),
});

builder.mutationField('createCustomerMapping', (t) =>
  t.field({
    description: 'Maps an Arrow customer (by reference, under a settings) to a Waldur customer; the company name is read from Arrow. One mapping per settings and reference.',
    type: CustomerMappingRef,
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'mapping' } },
    args: { input: t.arg({ type: CreateMappingInput, required: true }) },
    resolve: (_root, { input }, ctx) => createMapping(ctx, input),
  }),
);

builder.mutationField('updateCustomerMapping', (t) =>
  t.field({
    description: 'Changes a mapping: only the fields given (a partial update, as REST PATCH).',
    type: CustomerMappingRef,
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'mapping' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }), input: t.arg({ type: UpdateMappingInput, required: true }) },
    resolve: (_root, { uuid, input }, ctx) => updateMapping(ctx.prisma, uuid, givenFields(input)),
  }),
);

const DeletedMappingRef = builder.objectRef<MappingDeletion>('DeletedCustomerMapping').implement({
  description: 'A deleted customer mapping, or with dryRun what deleting it would take with it.',
  fields: (t) => ({
    id: t.id({ description: 'The CustomerMapping global id: after a deletion, evict it from a client cache.', resolve: (d) => encodeGlobalID('CustomerMapping', d.mapping.uuid) }),
    uuid: t.field({ type: 'UUID', resolve: (d) => d.mapping.uuid }),
    deleted: t.exposeBoolean('deleted', { description: 'False for a dry run.' }),
    billingSyncs: t.exposeInt('billingSyncs', { description: 'Billing syncs (statements with their lines) deleted with it: its billing history.' }),
    billingPeriods: t.exposeStringList('billingPeriods', { description: 'The months of that history (YYYY-MM).' }),
    linkedResources: t.exposeInt('linkedResources', { description: "Resources of its Waldur customer standing for a licence; they stay as they are in Waldur." }),
  }),
});

builder.mutationField('deleteCustomerMapping', (t) =>
  t.field({
    type: DeletedMappingRef,
    description: 'Deletes the mapping and its billing syncs (its billing history). A mapping with billing history is deleted only with confirmBillingHistoryLoss (a ConflictError says what would go); dryRun says what would go and changes nothing.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deleted' } },
    args: {
      uuid: t.arg({ type: 'UUID', required: true }),
      dryRun: t.arg.boolean({ required: false, defaultValue: false, description: 'Say what would be deleted; change nothing.' }),
      confirmBillingHistoryLoss: t.arg.boolean({ required: false, defaultValue: false, description: 'Delete even though billing syncs go with it.' }),
    },
    resolve: (_root, args, ctx) => deleteMapping(ctx.prisma, args.uuid, { dryRun: args.dryRun ?? false, confirmBillingHistoryLoss: args.confirmBillingHistoryLoss ?? false }),
  }),
);


// What a write to a mapping's resources answers with: the mapping as it is now, for a client's cache
for (const result of [LinkResultRef, UnlinkResultRef, ImportResultRef, ApplyResultRef] as const) {
  builder.objectField(result as typeof LinkResultRef, 'mapping', (t) =>
    t.field({
      type: CustomerMappingRef,
      description: "The mapping as it is after the change (its resources, licences and suggestions): a client's normalized cache shows the new state without asking again.",
      resolve: (r, _args, ctx) => ctx.prisma.customerMapping.findUniqueOrThrow({ where: { uuid: r.mappingUuid }, include: mappingInclude }),
    }),
  );
}
