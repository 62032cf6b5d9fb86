import { containsText } from '../../domain/text-filter.js';
import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';

export const OfferingRef = builder.prismaNode('Offering', {
  description: 'A Waldur offering; resources are ordered from it.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    state: t.exposeString('state', { description: "Waldur's offering state (Active, Paused, Archived, Draft, Unavailable)." }),
    plans: t.relation('plans', { query: { orderBy: [{ name: 'asc' }, { uuid: 'asc' }] } }),
    created: t.expose('created', { type: 'DateTime' }),
  }),
});

export const OfferingPlanRef = builder.prismaNode('OfferingPlan', {
  description: 'A plan of a Waldur offering.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    name: t.exposeString('name'),
    offering: t.relation('offering'),
  }),
});

builder.queryField('offerings', (t) =>
  t.prismaConnection({
    description: "Waldur's offerings as the mirror has them, by name.",
    type: 'Offering',
    cursor: 'uuid',
    args: { search: t.arg.string({ required: false }) },
    maxSize: (_args, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.offering.count({ where: offeringWhere(args.search) })),
    resolve: (query, _root, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.offering.findMany({ ...query, where: offeringWhere(args.search), orderBy: [{ name: 'asc' }, { uuid: 'asc' }] })),
  }),
);

function offeringWhere(search: string | null | undefined) {
  return search ? { name: containsText(search) } : {};
}
