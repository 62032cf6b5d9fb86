import { containsText } from '../../domain/text-filter.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { ResourceState } from '../../generated/prisma/enums.js';
import type { Offering, Project } from '../../generated/prisma/client.js';
import { ProjectRef } from './project.js';
import { OfferingRef } from './offering.js';

export const ResourceStateEnum = builder.enumType(ResourceState, { name: 'ResourceState' });

export const ResourceRef = builder.prismaNode('Resource', {
  description: 'A Waldur resource; `backendId` is the Arrow licence reference once linked.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    state: t.expose('state', { type: ResourceStateEnum }),
    backendId: t.exposeString('backendId', { description: 'Empty when the resource is not linked to a licence.' }),
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
      backendId: t.arg.string({ required: false, description: 'Exact licence reference.' }),
      linked: t.arg.boolean({ required: false, description: 'true: only resources with a backend_id; false: only without.' }),
      state: t.arg({ type: ResourceStateEnum, required: false }),
      search: t.arg.string({ required: false }),
    },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.resource.count({ where: resourceWhere(args) })),
    resolve: (query, _root, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.resource.findMany({ ...query, where: resourceWhere(args), orderBy: [{ name: 'asc' }, { uuid: 'asc' }] })),
  }),
);

function resourceWhere(a: { customerUuid?: string | null; projectUuid?: string | null; offeringUuid?: string | null; backendId?: string | null; linked?: boolean | null; state?: ResourceState | null; search?: string | null }) {
  return {
    ...(a.customerUuid ? { project: { customerUuid: a.customerUuid } } : {}),
    ...(a.projectUuid ? { projectUuid: a.projectUuid } : {}),
    ...(a.offeringUuid ? { offeringUuid: a.offeringUuid } : {}),
    ...(a.backendId ? { backendId: a.backendId } : a.linked === true ? { backendId: { not: '' } } : a.linked === false ? { backendId: '' } : {}),
    ...(a.state ? { state: a.state } : {}),
    ...(a.search ? { name: containsText(a.search) } : {}),
  };
}
