import crypto from 'node:crypto';
import type { Config } from '../config.js';
import type { Metrics } from '../observability/metrics.js';
import { startWaldurSimulator, type RunningWaldurSimulator } from '../waldur-sim/server.js';
import type { WaldurFixture } from '../waldur-sim/fixture.js';
import { WaldurClient } from './client.js';

export interface WaldurAttachment {
  client: WaldurClient;
  /** Where the gateway reads and writes (the in-process simulator's when none was named). */
  apiUrl: string;
  /** The in-process simulator, when WALDUR_API_URL was not set. */
  simulator: RunningWaldurSimulator | null;
  close(): Promise<void>;
}

/**
 * The Waldur the gateway attaches to: WALDUR_API_URL with WALDUR_API_TOKEN, or, unset, an
 * in-process simulator holding `fixture` (the demo's Waldur), attached to exactly as a real one.
 */
export async function attachWaldur(config: Config, fixture: (token: string) => WaldurFixture, metrics?: Metrics): Promise<WaldurAttachment> {
  let simulator: RunningWaldurSimulator | null = null;
  let apiUrl = config.WALDUR_API_URL;
  let token = config.WALDUR_API_TOKEN;
  if (!apiUrl || !token) {
    token = crypto.randomBytes(20).toString('hex');
    simulator = await startWaldurSimulator(fixture(token), { port: config.WALDUR_SIM_PORT });
    apiUrl = simulator.apiUrl;
  }
  const client = new WaldurClient({ apiUrl, token, timeoutMs: config.WALDUR_TIMEOUT_MS, retries: 3, onRequest: metrics?.onWaldurRequest, publicOnly: !!config.WALDUR_API_URL && !config.ALLOW_PRIVATE_UPSTREAMS });
  return { client, apiUrl, simulator, close: async () => void (await simulator?.close()) };
}
