import type { Config } from './config.js';
import { ArrowSource } from './domain/arrow-source.js';
import type { SharedCache } from './domain/shared-cache.js';
import type { Metrics } from './observability/metrics.js';

export function arrowSourceFrom(config: Config, metrics?: Metrics, routes?: Record<string, string>, shared?: SharedCache): ArrowSource {
  return new ArrowSource({
    routes,
    shared,
    timeoutMs: config.ARROW_TIMEOUT_MS,
    publicOnly: !config.ALLOW_PRIVATE_UPSTREAMS,
    retries: config.ARROW_RETRIES,
    maxInFlight: config.ARROW_MAX_IN_FLIGHT,
    cacheTtlMs: config.ARROW_CACHE_TTL_SECONDS * 1000,
    onRequest: metrics?.onArrowRequest,
    onCache: metrics ? (hit) => metrics.arrowCache.inc({ result: hit ? 'hit' : 'miss' }) : undefined,
    onMatched: metrics ? (names) => metrics.namesMatched.inc(names) : undefined,
  });
}
