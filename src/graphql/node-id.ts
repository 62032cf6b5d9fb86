import { GraphQLError } from 'graphql';
import { isUuid } from '../domain/mappings.js';

/** node(id): a global id whose key is not a UUID names nothing; say so rather than ask the database. */
export function uuidWhere(id: string): { uuid: string } {
  if (!isUuid(id)) throw new GraphQLError(`Invalid global ID: "${id}" is not a UUID`, { extensions: { code: 'BAD_USER_INPUT' } });
  return { uuid: id };
}

/**
 * What every node type shares: its global id is its uuid, node(id) of a missing record answers
 * null, and a malformed id is refused before the database sees it.
 */
export const nodeByUuid = { id: { field: 'uuid' as const }, nullable: true as const, findUnique: uuidWhere };
