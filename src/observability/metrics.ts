import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of its own (one per gateway instance). */
export function createMetrics({ defaultMetrics = true } = {}) {
  const registry = new Registry();
  /** When the last successful Waldur sync began: the lag gauge is measured from it when scraped. */
  let waldurSyncedAt: Date | null = null;
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
    responseCache: new Counter({ name: 'gateway_response_cache_total', help: 'GraphQL response cache lookups, by result (hit, miss)', labelNames: ['result'], registers: [registry] }),
    namesMatched: new Counter({ name: 'gateway_customer_names_matched_total', help: 'Arrow company names matched against the Waldur customers in full (the others came from the suggestions memo)', registers: [registry] }),
    sqlStatements: new Counter({ name: 'gateway_sql_statements_total', help: 'SQL statements sent to the database', registers: [registry] }),
    waldurSyncDuration: new Histogram({ name: 'gateway_waldur_sync_duration_seconds', help: 'Waldur mirror syncs, by kind (full, incremental) and outcome', labelNames: ['kind', 'outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: [registry] }),
    waldurSyncRows: new Counter({ name: 'gateway_waldur_sync_rows_total', help: 'Mirror rows a Waldur sync changed, by entity and change (created, updated, deleted)', labelNames: ['entity', 'change'], registers: [registry] }),
    waldurSyncLag: new Gauge({
      name: 'gateway_waldur_sync_lag_seconds',
      help: 'Seconds since the last successful Waldur sync began (how old the mirror may be); absent before the first',
      registers: [registry],
      collect() {
        if (waldurSyncedAt) this.set((Date.now() - waldurSyncedAt.getTime()) / 1000);
      },
    }),
    waldurRequests: new Counter({ name: 'gateway_waldur_requests_total', help: 'HTTP requests to Waldur, by endpoint and status (0: no answer)', labelNames: ['endpoint', 'status'], registers: [registry] }),
    redisSharing: new Gauge({ name: 'gateway_redis_sharing', help: '1 while Redis answers and replicas share Arrow answers through it; 0 while it is slow or gone (each replica on its own)', registers: [registry] }),
    redisOutages: new Counter({ name: 'gateway_redis_outages_total', help: 'Times Redis stopped answering in time and the gateway went on without it', registers: [registry] }),
    circuitOpen: new Counter({ name: 'gateway_arrow_circuit_open_total', help: 'Times the Arrow circuit breaker opened, by settings', labelNames: ['settings'], registers: [registry] }),
  };
  return {
    ...metrics,
    onWaldurSynced(startedAt: Date) {
      waldurSyncedAt = startedAt;
    },
    onWaldurRequest(event: { endpoint: string; status: number }) {
      metrics.waldurRequests.inc({ endpoint: event.endpoint, status: String(event.status) });
    },
    onArrowRequest(event: { endpoint: string; status: number; ms: number }) {
      metrics.arrowRequests.inc({ endpoint: event.endpoint, status: String(event.status) });
      metrics.arrowDuration.observe({ endpoint: event.endpoint }, event.ms / 1000);
      if (event.status === 0 || event.status >= 400) metrics.arrowFailures.inc({ endpoint: event.endpoint });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
