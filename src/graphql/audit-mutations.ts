import { GraphQLError, type GraphQLSchema } from 'graphql';
import { auditTarget, recordAudit } from '../domain/audit.js';
import { isFromWaldur } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * Every mutation field is recorded in the audit log once it has ended (domain/audit.ts): its
 * name, the identifiers among its arguments, and how it ended — "ok", the typed error it answered
 * (NotFoundError, ValidationError, …) or the code of the error it threw (FORBIDDEN, …). Wrapped
 * around the schema's own resolvers, so graphql-jit's compiled executor records the same.
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = async (root, args, ctx: GraphQLContext, info) => {
      let outcome = 'ok';
      try {
        const result = await resolve(root, args, ctx, info);
        // a typed error comes back as the errors plugin's proxy of it (not an Error instance)
        const { name, message } = (result ?? {}) as { name?: unknown; message?: unknown };
        if (typeof name === 'string' && name.endsWith('Error') && typeof message === 'string') outcome = name;
        warnIfWaldur(ctx, field.name, result);
        return result;
      } catch (err) {
        outcome = err instanceof GraphQLError ? String(err.extensions.code ?? 'error') : err instanceof Error ? err.name : 'error';
        warnIfWaldur(ctx, field.name, err);
        throw err;
      } finally {
        await recordAudit(ctx.prisma, [{ viewer: ctx.viewer, operation: field.name, target: auditTarget(args), outcome, requestId: ctx.requestId }]).catch((err: unknown) =>
          ctx.logger?.error({ reqId: ctx.requestId, operation: field.name, error: err instanceof Error ? err.message : String(err) }, 'audit: the entry could not be written'),
        );
      }
    };
  }
  return schema;
}

/** A write Waldur refused or failed (and a failed sync from it) is said at warn: the operator's Waldur needs a look. */
function warnIfWaldur(ctx: GraphQLContext, operation: string, outcome: unknown) {
  if (isFromWaldur(outcome)) ctx.logger?.warn({ reqId: ctx.requestId, operation, error: outcome.message }, 'waldur: the write was refused or failed');
}
