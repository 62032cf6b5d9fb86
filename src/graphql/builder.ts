import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ComplexityPlugin from '@pothos/plugin-complexity';
import { GraphQLError } from 'graphql';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { notStaffError, type GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { staff: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    UUID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date | string };
    URL: { Input: URL; Output: string };
    Decimal: { Input: string; Output: { toFixed(): string } | string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Waldur's support users read what staff read; their writes are refused before execution (yoga.ts)
    authScopes: (ctx) => ({ staff: ctx.viewer?.isStaff === true || ctx.viewer?.isSupport === true }),
    // Anonymous callers and non-staff users get different, stable error codes.
    unauthorizedError: (_parent, ctx) => notStaffError(ctx),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // written in types/node.ts: one bad id in nodes(ids) nulls that id alone
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: { description: 'An object with a global id: fetch it again with node(id), cache it by id.' },
    pageInfoTypeOptions: { description: "Where a page of a connection is in the whole list (Relay's cursor connections)." },
    idFieldOptions: { description: 'Global id (Base64 of "Type:uuid"): stable, unique across types; refetch with node(id), key a client cache by it.' },
    firstArgOptions: { description: 'At most this many from the start (or after `after`); the gateway caps a page (300 by default).' },
    lastArgOptions: { description: 'At most this many from the end (or before `before`).' },
    afterArgOptions: { description: "A cursor (an edge's `cursor`, or `pageInfo.endCursor`): the page starts after it." },
    beforeArgOptions: { description: "A cursor (an edge's `cursor`, or `pageInfo.startCursor`): the page ends before it." },
    cursorFieldOptions: { description: 'Where this edge is: pass it as `after` or `before` for the next page.' },
    nodeFieldOptions: { description: 'The object at this place in the list.' },
    edgesFieldOptions: { description: 'The page, each object with its cursor.' },
    pageInfoFieldOptions: { description: 'Whether there are pages before and after this one, and their cursors.' },
    hasNextPageFieldOptions: { description: 'More after this page.' },
    hasPreviousPageFieldOptions: { description: 'More before this page.' },
    startCursorFieldOptions: { description: "The first edge's cursor (null on an empty page)." },
    endCursorFieldOptions: { description: "The last edge's cursor (null on an empty page)." },
    defaultConnectionTypeOptions: { description: 'A page of a list (a Relay connection): its objects with their cursors, and where the page is in the whole.' },
    defaultEdgeTypeOptions: { description: 'An object of a page, with its cursor.' },
  },
  errors: {
    defaultTypes: [],
    defaultUnionOptions: { description: "The field's answer: its data (the …Success type), or an error typed by its cause (a fragment on Error gives the message)." },
    defaultResultOptions: { description: "The field's data, when it succeeded." },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: (ctx) => ctx.limits,
    // checked per root field: yoga.ts keeps one of these errors per answer
    complexityError: (kind, result) =>
      new GraphQLError(`Query exceeds maximum ${kind.toLowerCase()} (${kind.toLowerCase()}: ${result[kind.toLowerCase() as 'breadth']}, max: ${result[`max${kind}` as 'maxBreadth']})`, {
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      }),
  },
});
