import http from 'node:http';
import type { Database } from './db/database.js';
import type { ArrowSource } from './domain/arrow-source.js';
import { createGraphQLHandler } from './graphql/yoga.js';
import { handleRest, isRestPath } from './rest/router.js';

export interface GatewayDeps {
  db: Database;
  arrow: ArrowSource;
  maxPageSize?: number;
  publicBaseUrl?: string;
}

/** One node:http server: /graphql (Yoga), Waldur's REST paths under /api/, and the health probes. */
export function createGateway(deps: GatewayDeps) {
  const yoga = createGraphQLHandler({ db: deps.db, arrow: deps.arrow, maxPageSize: deps.maxPageSize });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (isRestPath(path!)) return void handleRest(req, res, { prisma: deps.db.prisma, arrow: deps.arrow, publicBaseUrl: deps.publicBaseUrl });
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
