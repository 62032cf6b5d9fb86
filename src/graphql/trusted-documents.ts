import fs from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Prisma } from '../db/database.js';
import { viewerFrom } from './context.js';

/**
 * The console's documents, written by its codegen (console/codegen.ts) from console/src/documents.ts
 * and checked in: hash → document text. The console sends only a hash.
 */
export const TRUSTED_DOCUMENTS_FILE = new URL('../../console/src/gql/persisted-documents.json', import.meta.url);

export function loadTrustedDocuments(file: URL = TRUSTED_DOCUMENTS_FILE): Map<string, string> {
  return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>));
}

/** What is wrong with a request that names no document, in words a client's author can act on. */
function missingQuery(query: unknown): string {
  const how = 'send {"query": "<a GraphQL document>", "variables": {…}}, or a trusted document\'s hash in extensions.persistedQuery';
  if (query === undefined) return `The request has no "query": ${how}.`;
  if (query === '') return `The request's "query" is empty: ${how}.`;
  return `The request's "query" must be a GraphQL document (a string), not ${JSON.stringify(query)}: ${how}.`;
}

/**
 * Trusted documents (persisted operations): a request naming a known hash runs that document.
 * With `only`, any other document is refused unless a staff token sent it (GraphiQL, scripts of
 * staff); otherwise the gateway takes any document, as before.
 */
export function useTrustedDocuments(options: { prisma: Prisma; only: boolean; documents?: Map<string, string> }) {
  const documents = options.documents ?? loadTrustedDocuments();
  return usePersistedOperations({
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    allowArbitraryOperations: options.only ? async (request) => (await viewerFrom(options.prisma, request.headers.get('authorization')).catch(() => null))?.isStaff === true : true,
    customErrors: {
      // GraphQL over HTTP: a request that is not well-formed is a 4xx for application/graphql-response+json
      // (MUST) and a 400 for application/json (SHOULD); an unknown hash is a 4xx for the former only
      keyNotFound: ({ params }) => new GraphQLError(missingQuery(params.query), { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } }),
      notFound: ({ request }) =>
        new GraphQLError('Unknown trusted document: this console is older or newer than the gateway; reload the page.', {
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', ...(request.headers.get('accept')?.includes('application/graphql-response+json') ? { http: { status: 400 } } : {}) },
        }),
      persistedQueryOnly: { message: "This gateway accepts only the console's trusted documents, or any document from a staff token.", extensions: { code: 'PERSISTED_QUERY_ONLY' } },
    },
  });
}
