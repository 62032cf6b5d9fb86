import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { schema } from './schema.js';
import { createContextFactory, type ContextDeps } from './context.js';

export const DEFAULT_GRAPHIQL_QUERY = `# Send your token: {"Authorization": "Token <key>"} in the Headers tab.
query Me {
  viewer { username isStaff }
}
`;

export function createGraphQLHandler(deps: ContextDeps) {
  return createYoga({
    schema,
    context: createContextFactory(deps),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Arrow–Waldur gateway', defaultQuery: DEFAULT_GRAPHIQL_QUERY },
    logging: false,
    // Clients see our typed GraphQLErrors; anything unexpected becomes a bare "Unexpected error."
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = error instanceof GraphQLError ? error.originalError : undefined;
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
        return defaultMaskError(error, message, isDev);
      },
    },
  });
}
