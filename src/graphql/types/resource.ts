import { describedValues } from '../enum-values.js';
import { containsText } from '../../domain/text-filter.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { ResourceState } from '../../generated/prisma/enums.js';
import type { Offering, Project } from '../../generated/prisma/client.js';
import { ProjectRef } from './project.js';
import { OfferingRef } from './offering.js';

export const ResourceStateEnum = builder.enumType('ResourceState', {
  description: 'A Waldur resource\'s state, as Waldur has it.',
  values: describedValues(ResourceState, {
    CREATING: 'Being created.',
    OK: 'In service.',
    ERRED: 'Failed in Waldur.',
    UPDATING: 'Being changed.',
    TERMINATING: 'Being terminated.',
    TERMINATED: 'Terminated (kept while billing data names it).',
  }),
});

export const ResourceRef = builder.prismaNode('Resource', {
  description: 'A Waldur resource; `licenseReference` is the Arrow licence it stands for once linked.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    state: t.expose('state', { type: ResourceStateEnum }),
    backendId: t.exposeString('backendId', { description: "Waldur's backend_id: the licence reference for resources the gateway (or Waldur's link_resource) linked; a vendor subscription id for those Waldur's Arrow plugin created." }),
    licenseReference: t.exposeString('licenseReference', { description: "The Arrow licence the resource stands for: Waldur's attributes.arrow_license_reference where set (Waldur's Arrow plugin), else backendId. Empty when not linked." }),
    licenseInAttributes: t.exposeBoolean('licenseInAttributes', { description: "True when the licence is in the resource's Waldur attributes, which only Waldur can change (the gateway refuses to unlink or relink it)." }),
    // Resources from the domain come with project and offering already read; others use a loader.
    project: t.field({
      type: ProjectRef,
      resolve: (r, _args, ctx) => ('project' in r && r.project ? (r.project as Project) : ctx.loaders.project(r.projectUuid)),
    }),
    offering: t.field({
      type: OfferingRef,
      resolve: (r, _args, ctx) => ('offering' in r && r.offering ? (r.offering as Offering) : ctx.loaders.offering(r.offeringUuid)),
    }),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
  }),
});

builder.queryField('resources', (t) =>
  t.prismaConnection({
    type: 'Resource',
    cursor: 'uuid',
    description: 'Resources by name, with the filters a user expects.',
    args: {
      customerUuid: t.arg({ type: 'UUID', required: false }),
      projectUuid: t.arg({ type: 'UUID', required: false }),
      offeringUuid: t.arg({ type: 'UUID', required: false }),
      backendId: t.arg.string({ required: false, description: "Exact Waldur backend_id." }),
      licenseReference: t.arg.string({ required: false, description: 'Exact licence reference (from the attributes or the backend_id).' }),
      linked: t.arg.boolean({ required: false, description: 'true: only resources standing for a licence; false: only without.' }),
      state: t.arg({ type: ResourceStateEnum, required: false }),
      search: t.arg.string({ required: false }),
    },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.resource.count({ where: resourceWhere(args) })),
    resolve: (query, _root, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.resource.findMany({ ...query, where: resourceWhere(args), orderBy: [{ name: 'asc' }, { uuid: 'asc' }] })),
  }),
);

function resourceWhere(a: { customerUuid?: string | null; projectUuid?: string | null; offeringUuid?: string | null; backendId?: string | null; licenseReference?: string | null; linked?: boolean | null; state?: ResourceState | null; search?: string | null }) {
  return {
    ...(a.customerUuid ? { project: { customerUuid: a.customerUuid } } : {}),
    ...(a.projectUuid ? { projectUuid: a.projectUuid } : {}),
    ...(a.offeringUuid ? { offeringUuid: a.offeringUuid } : {}),
    ...(a.backendId ? { backendId: a.backendId } : {}),
    ...(a.licenseReference ? { licenseReference: a.licenseReference } : a.linked === true ? { licenseReference: { not: '' } } : a.linked === false ? { licenseReference: '' } : {}),
    ...(a.state ? { state: a.state } : {}),
    ...(a.search ? { name: containsText(a.search) } : {}),
  };
}
