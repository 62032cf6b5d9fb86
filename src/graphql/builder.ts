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
  },
  errors: { defaultTypes: [] },
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
