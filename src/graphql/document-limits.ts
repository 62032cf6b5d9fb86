import {
  GraphQLError,
  parse,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * What one GraphQL document may ask, known before anything runs: every field counts, aliases and
 * introspection included (Pothos' complexity limits wrap resolvers, so introspection and a root
 * field repeated under 2,000 aliases escaped them). The shape is checked on the parsed document
 * (cheap, before validation); the cost, which needs the variables, just before execution.
 */
export interface DocumentLimits {
  /** Characters of a document that is not a trusted (persisted) one. */
  bytes: number;
  /** Lexical tokens (graphql-js stops parsing past them). */
  tokens: number;
  /** Nesting of selections, introspection included. */
  depth: number;
  /** Field selections once fragments are expanded, each alias one. */
  fields: number;
  /** Fields given an alias. */
  aliases: number;
  /** Fields at the root of one operation. */
  rootFields: number;
  /** `__schema` fields in one document: each answers the whole schema. */
  schemaIntrospections: number;
  /** Fields times the lists they are in (first/last of a page, else 10 a list). */
  cost: number;
}

export const DOCUMENT_LIMITS: DocumentLimits = {
  bytes: 64 * 1024,
  tokens: 10_000,
  depth: 20,
  fields: 2_000,
  aliases: 100,
  rootFields: 30,
  schemaIntrospections: 1,
  cost: 500_000,
};

/** A list's assumed length when no first/last says it (Pothos' complexity default). */
const LIST_LENGTH = 10;

export const queryTooLong = (limits: DocumentLimits = DOCUMENT_LIMITS) => `Query text exceeds ${limits.bytes} characters (send a longer one as a trusted document)`;

export function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

/** The document's shape against the limits: the first one exceeded, or null. Iterative: a 3,000-deep document cannot overflow the stack. */
export function shapeViolation(document: DocumentNode, limits: DocumentLimits = DOCUMENT_LIMITS): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let fields = 0;
  let aliases = 0;
  let schemas = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    let roots = 0;
    // each stack entry: a selection set, its depth, and the fragments being expanded above it (no cycles)
    const stack: [SelectionSetNode, number, ReadonlySet<string>][] = [[definition.selectionSet, 1, new Set()]];
    while (stack.length) {
      const [set, depth, expanding] = stack.pop()!;
      if (depth > limits.depth) return limitError(`Query exceeds maximum depth (max: ${limits.depth})`);
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (++fields > limits.fields) return limitError(`Query exceeds maximum number of fields (max: ${limits.fields}, fragments expanded, each alias counted)`);
          if (selection.alias && ++aliases > limits.aliases) return limitError(`Query exceeds maximum number of aliases (max: ${limits.aliases})`);
          if (depth === 1 && ++roots > limits.rootFields) return limitError(`Query exceeds maximum number of root fields (max: ${limits.rootFields})`);
          if (selection.name.value === '__schema' && ++schemas > limits.schemaIntrospections) return limitError(`Query asks for the schema (__schema) more than ${limits.schemaIntrospections === 1 ? 'once' : `${limits.schemaIntrospections} times`}`);
          if (selection.selectionSet) stack.push([selection.selectionSet, depth + 1, expanding]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          stack.push([selection.selectionSet, depth, expanding]);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment && !expanding.has(name)) stack.push([fragment.selectionSet, depth, new Set([...expanding, name])]);
        }
      }
    }
  }
  return null;
}

/**
 * The operation's cost: each field 1, plus its selections times the length of the list it
 * returns: `first`/`last` for a page (its edges then count once), 10 for another list.
 * Variables are the request's; a fragment is costed once.
 */
export function documentCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined, maxPageSize: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const memo = new Map<string, number>();
  const intArgument = (value: ValueNode | undefined): number | undefined => {
    if (!value) return undefined;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = variables?.[value.name.value];
      return typeof v === 'number' ? v : undefined;
    }
    return undefined;
  };
  const cost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null, pageSized: boolean): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += cost(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, pageSized);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        if (!memo.has(name)) {
          memo.set(name, 0); // a cycle costs nothing more here; validation refuses it
          memo.set(name, cost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), pageSized));
        }
        total += memo.get(name)!;
      } else {
        const name = selection.name.value;
        total += 1;
        if (!selection.selectionSet) continue;
        const field = name === '__schema' ? { type: schema.getType('__Schema')! } : name === '__type' ? { type: schema.getType('__Type')! } : parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const type = field?.type;
        const child = type ? getNamedType(type) : undefined;
        const first = intArgument(selection.arguments?.find((a) => a.name.value === 'first')?.value);
        const last = intArgument(selection.arguments?.find((a) => a.name.value === 'last')?.value);
        const hasPage = selection.arguments?.some((a) => a.name.value === 'first' || a.name.value === 'last') ?? false;
        let length = 1;
        if (hasPage) length = Math.min(maxPageSize, Math.max(first ?? 0, last ?? 0) || maxPageSize);
        // introspection's lists are as long as the schema is: its answer is bounded by the one
        // __schema a document may ask for, and its fields by the shape limits
        else if (parent?.name.startsWith('__')) length = 1;
        else if (type && isListType(getNullableType(type))) length = pageSized && (name === 'edges' || name === 'nodes') ? 1 : LIST_LENGTH;
        total += length * cost(selection.selectionSet, child, hasPage);
      }
    }
    return total;
  };
  return cost(operation.selectionSet, root, false);
}

/** Who may ask for the schema (`__schema`, `__type`): everyone, or only callers with a valid token. */
export type IntrospectionAccess = 'everyone' | 'authenticated';

/**
 * The limits as a Yoga plugin: a document over the byte or token limit is not parsed, one of the
 * wrong shape is refused once parsed (before validation), one that costs too much before it runs.
 * Each refusal is one QUERY_TOO_COMPLEX error, in milliseconds, with HTTP 400.
 */
export function useDocumentLimits(options: { limits?: DocumentLimits; introspection?: IntrospectionAccess } = {}) {
  const limits = options.limits ?? DOCUMENT_LIMITS;
  return {
    onParse({ params, setParseFn }: { params: { source: string | { body: string } }; setParseFn: (fn: (source: string | { body: string }) => DocumentNode) => void }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      if (text.length > limits.bytes) throw limitError(queryTooLong(limits));
      // graphql-js parses recursively: a document thousands of braces deep would overflow its stack
      if (braceDepth(text) > 2 * limits.depth) throw limitError(`Query exceeds maximum depth (max: ${limits.depth})`);
      setParseFn((source) => parseWithin(source, limits.tokens));
      return ({ result }: { result: unknown }) => {
        if (!result || result instanceof Error) return;
        const refused = shapeViolation(result as DocumentNode, limits);
        if (refused) throw refused;
      };
    },
    onExecute({ args, setResultAndStopExecution }: { args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null; contextValue: { viewer?: unknown; maxPageSize?: number } }; setResultAndStopExecution: (r: { errors: GraphQLError[] }) => void }) {
      if (options.introspection === 'authenticated' && !args.contextValue.viewer && asksForSchema(args.document)) {
        return setResultAndStopExecution({ errors: [new GraphQLError('Introspection needs a valid token here (INTROSPECTION=authenticated).', { extensions: { code: 'UNAUTHENTICATED' } })] });
      }
      const cost = documentCost(args.schema, args.document, args.operationName, args.variableValues ?? undefined, args.contextValue.maxPageSize ?? 300);
      if (cost > limits.cost) setResultAndStopExecution({ errors: [limitError(`Query exceeds maximum cost (cost: ${cost}, max: ${limits.cost}; a list counts its page size, or 10)`)] });
    },
  };
}

function parseWithin(source: string | { body: string }, maxTokens: number): DocumentNode {
  try {
    return parse(typeof source === 'string' ? source : source.body, { maxTokens });
  } catch (err) {
    if (err instanceof GraphQLError && /contains more th(?:at|an) \d+ tokens/i.test(err.message)) throw limitError(`Query exceeds maximum number of tokens (max: ${maxTokens})`);
    throw err;
  }
}

/** Whether any field of the document is __schema or __type (iterative, over every definition). */
function asksForSchema(document: DocumentNode): boolean {
  const stack: SelectionSetNode[] = [];
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) stack.push(d.selectionSet);
  while (stack.length) {
    for (const s of stack.pop()!.selections) {
      if (s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type')) return true;
      if ((s.kind === Kind.FIELD || s.kind === Kind.INLINE_FRAGMENT) && s.selectionSet) stack.push(s.selectionSet);
    }
  }
  return false;
}

/** The deepest nesting of braces in GraphQL text, strings and comments skipped (selections and input objects alike). */
export function braceDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) deepest = Math.max(deepest, ++depth);
    else if (c === 125 /* } */) depth--;
    else if (c === 35 /* # */) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 34 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end < 0 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      }
    }
  }
  return deepest;
}
