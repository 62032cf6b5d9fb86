import { builder } from '../builder.js';
import { nodeByUuid } from '../node-id.js';
import { checkPageSize } from '../paging.js';
import { auditWhere } from '../../domain/audit.js';

builder.prismaNode('AuditEntry', {
  description: 'One mutation or REST write: who made it, what it did, to what, and how it ended.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    at: t.expose('at', { type: 'DateTime' }),
    actorUuid: t.expose('actorUuid', { type: 'UUID', nullable: true, description: "The Waldur user's uuid, or the gateway's own user's." }),
    actorUsername: t.exposeString('actorUsername'),
    actorSource: t.exposeString('actorSource', { description: '"waldur" or "local".' }),
    operation: t.exposeString('operation', { description: 'The GraphQL mutation, or the REST method and route.' }),
    target: t.exposeString('target', { description: 'The identifiers it acted on (mapping uuid, licence reference, resource uuid, …).' }),
    outcome: t.exposeString('outcome', { description: '"ok", or the typed error, error code or HTTP status it ended with.' }),
    requestId: t.exposeString('requestId', { description: "The request's x-request-id, as in the log line." }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.prismaConnection({
    type: 'AuditEntry',
    cursor: 'uuid',
    description: 'Who did what: every mutation and REST write, newest first (staff and support).',
    args: {
      username: t.arg.string({ required: false, description: "The actor's username, exactly." }),
      target: t.arg.string({ required: false, description: 'Contains, any case: a licence reference, a resource or mapping uuid.' }),
      operation: t.arg.string({ required: false, description: 'A mutation name or "METHOD /route", exactly.' }),
    },
    maxSize: (_a, ctx) => ctx.maxPageSize,
    totalCount: (_p, args, ctx) => (checkPageSize(args, ctx.maxPageSize), ctx.prisma.auditEntry.count({ where: auditWhere(args) })),
    resolve: (query, _root, args, ctx) => {
      checkPageSize(args, ctx.maxPageSize);
      return ctx.prisma.auditEntry.findMany({ ...query, where: auditWhere(args), orderBy: [{ at: 'desc' }, { uuid: 'asc' }] });
    },
  }),
);
