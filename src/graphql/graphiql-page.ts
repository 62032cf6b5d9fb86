// Renders GraphiQL's offline page to standard output (run by scripts/build-gateway.mjs).
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { graphiqlOptions } from './graphiql.js';

process.stdout.write(renderGraphiQL(graphiqlOptions));
