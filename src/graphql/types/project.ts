import { containsText } from '../../domain/text-filter.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';

export const ProjectRef = builder.prismaNode('Project', {
  description: 'A Waldur project; it belongs to one customer and holds resources.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    customer: t.relation('customer'),
    created: t.expose('created', { type: 'DateTime' }),
    resources: t.relation('resources', { query: { orderBy: [{ name: 'asc' }, { uuid: 'asc' }] } }),
  }),
});

builder.queryField('projects', (t) =>
  t.prismaConnection({
    type: 'Project',
    cursor: 'uuid',
    description: 'Projects by name, optionally of one customer.',
    args: { customerUuid: t.arg({ type: 'UUID', required: false }), search: t.arg.string({ required: false }) },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.project.count({ where: projectWhere(args) })),
    resolve: (query, _root, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.project.findMany({ ...query, where: projectWhere(args), orderBy: [{ name: 'asc' }, { uuid: 'asc' }] })),
  }),
);

function projectWhere(args: { customerUuid?: string | null; search?: string | null }) {
  return {
    ...(args.customerUuid ? { customerUuid: args.customerUuid } : {}),
    ...(args.search ? { name: containsText(args.search) } : {}),
  };
}
