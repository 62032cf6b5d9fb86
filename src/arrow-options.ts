import type { Config } from './config.js';
import { ArrowSource } from './domain/arrow-source.js';

export function arrowSourceFrom(config: Config): ArrowSource {
  return new ArrowSource({
    timeoutMs: config.ARROW_TIMEOUT_MS,
    retries: config.ARROW_RETRIES,
    maxInFlight: config.ARROW_MAX_IN_FLIGHT,
    cacheTtlMs: config.ARROW_CACHE_TTL_SECONDS * 1000,
  });
}
