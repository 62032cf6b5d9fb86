import { isAbstractType, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './types/index.js';
import { auditMutations } from './audit-mutations.js';
import { describeCommonArguments } from './common-descriptions.js';

export const schema = describeCommonArguments(auditMutations(builder.toSchema()));

/** The checked-in schema.graphql: printed from the code, sorted so diffs stay readable. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * The checked-in possible-types.json: each interface and union with the object types that may
 * stand for it, as Apollo Client's InMemoryCache `possibleTypes` and urql graphcache's schema-less
 * fragment matching need them (without it `... on Error { message }` loses its fields).
 */
export function printedPossibleTypes(): string {
  const abstract = Object.values(schema.getTypeMap())
    .filter(isAbstractType)
    .filter((t) => !t.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const possible = Object.fromEntries(abstract.map((t) => [t.name, schema.getPossibleTypes(t).map((o) => o.name).sort()]));
  return `${JSON.stringify(possible, null, 2)}\n`;
}
