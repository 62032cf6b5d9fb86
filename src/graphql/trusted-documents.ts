import fs from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
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
      notFound: { message: 'Unknown trusted document: this console is older or newer than the gateway; reload the page.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      persistedQueryOnly: { message: "This gateway accepts only the console's trusted documents, or any document from a staff token.", extensions: { code: 'PERSISTED_QUERY_ONLY' } },
    },
  });
}
