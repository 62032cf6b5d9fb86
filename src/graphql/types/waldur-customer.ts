import { containsText } from '../../domain/text-filter.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { ProjectRef } from './project.js';

export const WaldurCustomerRef = builder.prismaNode('WaldurCustomer', {
  description: 'A Waldur customer (organisation).',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    abbreviation: t.exposeString('abbreviation'),
    created: t.expose('created', { type: 'DateTime' }),
    modified: t.expose('modified', { type: 'DateTime' }),
    // a loader, not plugin-prisma's relation: a customer read without it in its selection (a
    // mapping's, read with every mapping) would have Prisma read its projects one findUnique each
    projects: t.field({ type: [ProjectRef], description: "The Waldur customer's projects.", resolve: (c, _args, ctx) => ctx.loaders.projectsOfCustomer(c.uuid) }),
    mappings: t.relation('mappings', { description: 'Arrow customers mapped to this customer.', query: { orderBy: [{ created: 'desc' }, { uuid: 'desc' }] } }),
  }),
});

builder.queryField('waldurCustomers', (t) =>
  t.prismaConnection({
    type: 'WaldurCustomer',
    cursor: 'uuid',
    description: 'Waldur customers by name; `search` matches name or abbreviation, ignoring case.',
    args: { search: t.arg.string({ required: false }) },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.waldurCustomer.count({ where: customerWhere(args.search) })),
    resolve: (query, _root, args, ctx) =>
      (checkPageSize(args, ctx.maxPageSize), ctx.prisma.waldurCustomer.findMany({ ...query, where: customerWhere(args.search), orderBy: [{ name: 'asc' }, { uuid: 'asc' }] })),
  }),
);

function customerWhere(search: string | null | undefined) {
  return search
    ? { OR: [{ name: containsText(search) }, { abbreviation: containsText(search) }] }
    : {};
}
