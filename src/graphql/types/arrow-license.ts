import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import type { ArrowLicense } from '../../arrow/client.js';
import { applyLicenseSuggestions, importLicense, linkResource, unlinkResource, type Discovery, type LicenseSuggestion } from '../../domain/licenses.js';
import { getMapping } from '../../domain/mappings.js';
import { DOMAIN_ERRORS } from './errors.js';
import { ResourceRef } from './resource.js';
import { ArrowCustomerRef } from './arrow-customer.js';

export const ArrowLicenseRef = builder.objectRef<ArrowLicense>('ArrowLicense').implement({
  description: 'A licence (subscription) as ArrowSphere knows it.',
  fields: (t) => ({
    id: t.id({ description: "A cache key: the licence's reference (unique across ArrowSphere). Not a Node: read it again with arrowLicence.", resolve: (l) => encodeGlobalID('ArrowLicense', l.licenseReference) }),
    licenseReference: t.exposeString('licenseReference', { description: 'e.g. XSP12345; a linked resource has it as backendId.' }),
    friendlyName: t.exposeString('friendlyName'),
    customerReference: t.exposeString('customerReference'),
    vendorName: t.exposeString('vendorName'),
    offerName: t.exposeString('offerName'),
    offerSku: t.exposeString('offerSku'),
    state: t.exposeString('state'),
    seats: t.exposeInt('seats', { nullable: true }),
  }),
});

export const LicenseSuggestionRef = builder.objectRef<LicenseSuggestion>('LicenseSuggestion').implement({
  description: 'A not-yet-linked licence whose name is like an unlinked resource\'s (difflib ratio > 0.4).',
  fields: (t) => ({
    id: t.id({ description: 'A cache key: the resource and the licence suggested for it.', resolve: (s) => encodeGlobalID('LicenseSuggestion', `${s.resourceUuid}/${s.licenseReference}`) }),
    // exposed, not resolved: a screen has hundreds of suggestions, and a field with a resolver
    // costs the compiled executor a call, its arguments and a resolve info each
    resource: t.expose('resource', { type: ResourceRef }),
    resourceUuid: t.expose('resourceUuid', { type: 'UUID' }),
    resourceName: t.exposeString('resourceName'),
    license: t.expose('license', { type: ArrowLicenseRef }),
    licenseReference: t.exposeString('licenseReference'),
    licenseName: t.exposeString('licenseName'),
    confidence: t.exposeFloat('confidence'),
  }),
});

export const DiscoveryRef = builder.objectRef<Discovery>('LicenseDiscovery').implement({
  description: "A mapping's Arrow licences beside its Waldur resources, with suggested links (discover_licenses).",
  fields: (t) => ({
    customerMappingUuid: t.field({ type: 'UUID', resolve: (d) => d.mapping.uuid }),
    arrowReference: t.string({ resolve: (d) => d.mapping.arrowReference }),
    waldurCustomerName: t.string({ resolve: (d) => d.mapping.waldurCustomer.name }),
    arrowCustomer: t.expose('arrowCustomer', { type: ArrowCustomerRef, nullable: true }),
    arrowLicenses: t.expose('arrowLicenses', { type: [ArrowLicenseRef] }),
    waldurResources: t.field({ type: [ResourceRef], resolve: (d) => d.waldurResources }),
    suggestions: t.expose('suggestions', { type: [LicenseSuggestionRef] }),
    error: t.exposeString('error', { nullable: true, description: "Why Arrow's side is missing; the Waldur side is there regardless." }),
    listingFetchedAt: t.expose('listingFetchedAt', { type: 'DateTime', nullable: true }),
    listingStale: t.exposeBoolean('listingStale', { description: 'Arrow is failing now and the listings shown are the last good ones.' }),
  }),
});

builder.queryField('discoverLicenses', (t) =>
  t.field({
    description: "The mapping's Arrow customer's licences, which of them back a resource, and for each unlinked resource the licence its name most likely is (discover_licenses).",
    type: DiscoveryRef,
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'discovery' } },
    args: { mappingUuid: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => {
      const mapping = await getMapping(ctx.prisma, args.mappingUuid);
      return ctx.loaders.discovery(mapping);
    },
  }),
);

/** What a write to a mapping's resources answers with: the mapping as it is now (its resources, licences and suggestions), for a client's cache. */
type OfMapping<T> = T & { mappingUuid: string };
// their `mapping` field is added where CustomerMapping is defined (types/customer-mapping.ts)
const withMapping = async <T extends object>(mappingUuid: string, result: Promise<T>): Promise<OfMapping<T>> => ({ ...(await result), mappingUuid });

export const LinkResultRef = builder.objectRef<OfMapping<Awaited<ReturnType<typeof linkResource>>>>('LinkResourceResult').implement({
  description: 'A link made: the resource now standing for the licence, the resource it was moved from, if any, and the mapping as it now is.',
  fields: (t) => ({
    resource: t.field({ type: ResourceRef, resolve: (r) => r.resource }),
    resourceUuid: t.field({ type: 'UUID', resolve: (r) => r.resource.uuid }),
    resourceName: t.string({ resolve: (r) => r.resource.name }),
    licenseReference: t.exposeString('licenseReference'),
    previousBackendId: t.exposeString('previousBackendId'),
    movedFrom: t.field({ type: ResourceRef, nullable: true, description: 'The resource the licence was taken from, when moved.', resolve: (r) => r.movedFrom }),
    success: t.boolean({ resolve: () => true }),
  }),
});

builder.mutationField('linkResource', (t) =>
  t.field({
    type: LinkResultRef,
    description:
      "Sets a resource's backendId to a licence of the mapping's Arrow customer (link_resource). A licence backs at most one live resource, in any offering; move takes it over from a resource of a customer mapped to the same Arrow customer.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: true }),
      resourceUuid: t.arg({ type: 'UUID', required: true }),
      licenseReference: t.arg.string({ required: true }),
      move: t.arg.boolean({ required: false, description: 'Take the licence from the resource that holds it (of a customer mapped to the same Arrow customer).' }),
    },
    resolve: (_root, args, ctx) => withMapping(args.mappingUuid, linkResource(ctx, args.mappingUuid, args)),
  }),
);

export const UnlinkResultRef = builder.objectRef<OfMapping<Awaited<ReturnType<typeof unlinkResource>>>>('UnlinkResourceResult').implement({
  description: 'An unlink made: the resource, no longer standing for a licence, the licence reference it had, and the mapping as it now is.',
  fields: (t) => ({
    resource: t.field({ type: ResourceRef, resolve: (r) => r.resource }),
    previousBackendId: t.exposeString('previousBackendId', { description: 'The licence reference cleared; empty when the resource was not linked.' }),
    success: t.boolean({ resolve: () => true }),
  }),
});

builder.mutationField('unlinkResource', (t) =>
  t.field({
    type: UnlinkResultRef,
    description: "Clears a resource's backendId, so it no longer stands for an Arrow licence (REST: link_resource with an empty license_reference).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: true }),
      resourceUuid: t.arg({ type: 'UUID', required: true }),
    },
    resolve: (_root, args, ctx) => withMapping(args.mappingUuid, unlinkResource(ctx, args.mappingUuid, args.resourceUuid)),
  }),
);

export const ImportResultRef = builder.objectRef<OfMapping<Awaited<ReturnType<typeof importLicense>>>>('ImportLicenseResult').implement({
  description: 'The resource importLicense made in Waldur for a licence, with its done Create order, and the mapping as it now is.',
  fields: (t) => ({
    resource: t.field({ type: ResourceRef, resolve: (r) => r.resource }),
    resourceUuid: t.field({ type: 'UUID', resolve: (r) => r.resource.uuid }),
    resourceName: t.string({ resolve: (r) => r.resource.name }),
    licenseReference: t.exposeString('licenseReference'),
    offeringName: t.string({ resolve: (r) => r.resource.offering.name }),
    projectName: t.string({ resolve: (r) => r.resource.project.name }),
    orderUuid: t.field({
      type: 'UUID',
      nullable: true,
      description: "Waldur's done Create order of the import; null only when reading it back failed (the next sync brings it).",
      resolve: (r) => r.order?.uuid ?? null,
    }),
    success: t.boolean({ resolve: () => true }),
  }),
});

builder.mutationField('importLicense', (t) =>
  t.field({
    type: ImportResultRef,
    description: 'Creates a resource for an Arrow licence, with a DONE create-order, in one transaction (import_license).',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: true }),
      licenseReference: t.arg.string({ required: true }),
      licenseName: t.arg.string({ required: false, description: 'Name of the new resource; default the reference.' }),
      offeringUuid: t.arg({ type: 'UUID', required: true }),
      projectUuid: t.arg({ type: 'UUID', required: true }),
      planUuid: t.arg({ type: 'UUID', required: false, description: "A plan of the offering. Default: the offering's only plan; an offering with several plans needs one named (Waldur bills no usage of a resource without a plan)." }),
    },
    resolve: (_root, args, ctx) => withMapping(args.mappingUuid, importLicense(ctx, args.mappingUuid, args, ctx.viewer?.uuid)),
  }),
);

export const ApplyResultRef = builder.objectRef<OfMapping<Awaited<ReturnType<typeof applyLicenseSuggestions>>>>('ApplyLicenseSuggestionsResult').implement({
  description: 'What applyLicenseSuggestions linked: the resources, now standing for their suggested licences, the suggestions applied, and the mapping as it now is.',
  fields: (t) => ({
    linked: t.field({ type: [ResourceRef], resolve: (r) => r.linked }),
    suggestions: t.expose('suggestions', { type: [LicenseSuggestionRef], description: 'The suggestions that were applied.' }),
  }),
});

builder.mutationField('applyLicenseSuggestions', (t) =>
  t.field({
    type: ApplyResultRef,
    description: 'Links every suggestion of discoverLicenses at or above minConfidence, all in one transaction.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: {
      mappingUuid: t.arg({ type: 'UUID', required: true }),
      minConfidence: t.arg.float({ required: true }),
    },
    resolve: (_root, args, ctx) => withMapping(args.mappingUuid, applyLicenseSuggestions(ctx, args.mappingUuid, args.minConfidence)),
  }),
);

