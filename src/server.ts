import http from 'node:http';
import type { Database } from './db/database.js';
import type { ArrowSource } from './domain/arrow-source.js';
import { createGraphQLHandler } from './graphql/yoga.js';

export interface GatewayDeps {
  db: Database;
  arrow: ArrowSource;
  maxPageSize?: number;
}

/** One node:http server: /graphql (Yoga) and the health probes. */
export function createGateway(deps: GatewayDeps) {
  const yoga = createGraphQLHandler({ prisma: deps.db.prisma, arrow: deps.arrow, maxPageSize: deps.maxPageSize });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/graphql' });
      return res.end();
    }
    return yoga(req, res);
  });
  return { server, yoga };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
