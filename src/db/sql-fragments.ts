import { Prisma as P } from '../generated/prisma/client.js';

/**
 * A timestamp column as JSON: milliseconds since 1970, which a Date takes faster than text, and
 * as Prisma gives it (without the microseconds). `column` is code's own text, never input.
 */
export const epochMs = (column: string) => P.raw(`floor(extract(epoch FROM ${column}) * 1000)`);

/**
 * A query's rows as one JSON text (an array), ordered by `order` when given: the embedded database
 * and Prisma cost microseconds per value they hand over, a text costs one.
 */
export function rowsAsJson(query: P.Sql, order?: P.Sql) {
  return P.sql`(SELECT coalesce(json_agg(q ${order ? P.sql`ORDER BY ${order}` : P.empty}), '[]') FROM (${query}) q)::text`;
}
