import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of its own (one per gateway instance). */
export function createMetrics({ defaultMetrics = true } = {}) {
  const registry = new Registry();
  // prom-client's names already begin with process_ or nodejs_: the prefix is only ours
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const metrics = {
    registry,
    httpRequests: new Counter({ name: 'gateway_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'gateway_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    graphqlErrors: new Counter({ name: 'gateway_graphql_errors_total', help: 'GraphQL errors sent to clients, by code', labelNames: ['code'], registers: [registry] }),
    arrowRequests: new Counter({ name: 'gateway_arrow_requests_total', help: 'HTTP requests to ArrowSphere, by endpoint and status (0: no answer)', labelNames: ['endpoint', 'status'], registers: [registry] }),
    arrowFailures: new Counter({ name: 'gateway_arrow_failures_total', help: 'ArrowSphere requests that failed, by endpoint', labelNames: ['endpoint'], registers: [registry] }),
    arrowDuration: new Histogram({ name: 'gateway_arrow_request_duration_seconds', help: 'ArrowSphere request latency, by endpoint', labelNames: ['endpoint'], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    arrowCache: new Counter({ name: 'gateway_arrow_cache_total', help: 'Arrow cache lookups, by result (hit, miss)', labelNames: ['result'], registers: [registry] }),
    sqlStatements: new Counter({ name: 'gateway_sql_statements_total', help: 'SQL statements sent to the database', registers: [registry] }),
    circuitOpen: new Counter({ name: 'gateway_arrow_circuit_open_total', help: 'Times the Arrow circuit breaker opened, by settings', labelNames: ['settings'], registers: [registry] }),
  };
  return {
    ...metrics,
    onArrowRequest(event: { endpoint: string; status: number; ms: number }) {
      metrics.arrowRequests.inc({ endpoint: event.endpoint, status: String(event.status) });
      metrics.arrowDuration.observe({ endpoint: event.endpoint }, event.ms / 1000);
      if (event.status === 0 || event.status >= 400) metrics.arrowFailures.inc({ endpoint: event.endpoint });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
