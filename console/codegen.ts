import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * Typed documents for the console from the gateway's checked-in schema. The client preset also
 * writes persisted-documents.json: the console's trusted documents, which the gateway loads
 * (src/graphql/trusted-documents.ts) so that the console sends only their hashes.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['console/src/**/*.ts', 'console/src/**/*.tsx', '!console/src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'console/src/gql/': {
      preset: 'client',
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' }, fragmentMasking: false },
      // every object names its type, in the trusted documents too: the console's normalized cache (graphcache) keys by it
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { UUID: 'string', DateTime: 'string', Date: 'string', Decimal: 'string', URL: 'string', JSON: 'unknown' },
      },
    },
  },
};
export default config;
