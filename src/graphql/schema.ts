import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './types/index.js';
import { auditMutations } from './audit-mutations.js';

export const schema = auditMutations(builder.toSchema());

/** The checked-in schema.graphql: printed from the code, sorted so diffs stay readable. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
