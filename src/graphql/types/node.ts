import { answerNotKept } from '../../domain/arrow-source.js';
import { decodeGlobalID, resolveNodes } from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { isUuid } from '../../domain/mappings.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

/**
 * node(id) and nodes(ids), Relay's refetch fields, written here rather than left to the relay
 * plugin: a bad id in nodes(ids) nulls that id alone (with an error at its index), not the whole
 * answer, and an id naming no node type says which types there are instead of library text.
 */

/** A global id as this schema's nodes have them, or why it names nothing: Base64 of "Type:uuid". */
function parseGlobalId(id: string, info: GraphQLResolveInfo): { typename: string; id: string } | GraphQLError {
  let parsed: { typename: string; id: string };
  try {
    parsed = decodeGlobalID(id);
  } catch {
    return new GraphQLError(`Invalid global ID "${id}": it is not Base64 of "Type:uuid" (take ids from the id field of a node)`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const nodeTypes = info.schema.getPossibleTypes(info.schema.getType('Node') as never).map((t) => t.name);
  if (!nodeTypes.includes(parsed.typename)) {
    return new GraphQLError(`Invalid global ID "${id}": it names type ${parsed.typename}, which is not a node here (nodes: ${[...nodeTypes].sort().join(', ')})`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (!isUuid(parsed.id)) return new GraphQLError(`Invalid global ID "${id}": its key "${parsed.id}" is not a UUID`, { extensions: { code: 'BAD_USER_INPUT' } });
  return parsed;
}

/** Each id's node (null when none has it), or its error: the valid ones are read together, by type. */
async function nodesByGlobalId(ids: readonly string[], ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<unknown[]> {
  const parsed = ids.map((id) => parseGlobalId(id, info));
  const valid = parsed.filter((p): p is { typename: string; id: string } => !(p instanceof GraphQLError));
  // long work's progress moves no data version: an answer holding a Work is not kept
  if (valid.some((p) => p.typename === 'Work')) answerNotKept();
  const found = await resolveNodes(builder, ctx, info, valid);
  let next = 0;
  // an Error in a list is graphql's error at that item's path; the item is null
  return parsed.map((p) => (p instanceof GraphQLError ? p : found[next++]));
}

builder.queryField('node', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "Any object with an id, fetched again by that id (Relay's refetch); null when none has it.",
    args: { id: t.arg.id({ required: true, description: 'A global id, as the id field of a node gives it.' }) },
    resolve: async (_root, { id }, ctx, info) => {
      const [node] = await nodesByGlobalId([String(id)], ctx, info);
      if (node instanceof GraphQLError) throw node;
      return node as never;
    },
  }),
);

builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'Several objects by their ids, in the order asked: null for an id none has, and for a malformed id (with an error at its index).',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids, as the id field of nodes gives them.' }) },
    resolve: (_root, { ids }, ctx, info) => nodesByGlobalId(ids.map(String), ctx, info) as never,
  }),
);
