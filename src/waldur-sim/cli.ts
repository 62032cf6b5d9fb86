import crypto from 'node:crypto';
import fs from 'node:fs';
import { startWaldurSimulator } from './server.js';
import type { WaldurFixture } from './fixture.js';
import { demoDataset, demoWaldurFixture } from '../demo/dataset.js';
import { exitWithUsage, integerOption, parseCommandLine, UsageError } from '../cli-args.js';

const USAGE = `Usage: npm run waldur-sim -- [--port N] [--token T] [--fixture FILE | --demo] [--latency MS]
  --port N            port to listen on (default 8000; 0: any free port)
  --token T           the staff token it accepts (default: a new one, printed)
  --fixture FILE      serve this JSON fixture (src/waldur-sim/fixture.ts; its own token is replaced by --token when given)
  --demo              serve the demo's Waldur (the default)
  --latency MS        add this delay to every answer (default 0)`;

const { values } = parseCommandLine('waldur-sim', USAGE, {
  port: { type: 'string', default: '8000' },
  token: { type: 'string' },
  fixture: { type: 'string' },
  demo: { type: 'boolean', default: false },
  latency: { type: 'string', default: '0' },
});

function readFixture(file: string): WaldurFixture {
  let fixture: Partial<WaldurFixture>;
  try {
    fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WaldurFixture>;
  } catch (err) {
    throw new UsageError(`cannot read fixture ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const missing = (['customers', 'projects', 'offerings', 'resources'] as const).filter((k) => !Array.isArray(fixture?.[k]));
  if (missing.length) throw new UsageError(`fixture ${file} lacks ${missing.join(', ')}`);
  return fixture as WaldurFixture;
}

async function main() {
  if (values.fixture !== undefined && values.demo) throw new UsageError('give one of --fixture and --demo');
  const port = integerOption('--port', values.port, 0, 65535);
  const latencyMs = integerOption('--latency', values.latency, 0);
  const token = values.token ?? crypto.randomBytes(20).toString('hex');
  if (token.length < 20) throw new UsageError('--token must be at least 20 characters');
  const fixture = values.fixture !== undefined ? { ...readFixture(values.fixture), token } : demoWaldurFixture(demoDataset(), token);
  const sim = await startWaldurSimulator(fixture, { port, faults: { latencyMs } }).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(err.code === 'EADDRINUSE' ? `port ${port} is already in use; choose another with --port` : `cannot listen on port ${port}: ${err.code ?? err.message}`);
  });
  console.log(`Waldur simulator: ${sim.apiUrl} (${fixture.customers.length} customers, ${fixture.projects.length} projects, ${fixture.offerings.length} offerings, ${fixture.resources.length} resources)`);
  // the token is this simulator's own, made for this run: printed so it can be given to the gateway
  if (values.token === undefined) console.log(`staff token: ${token}  (WALDUR_API_URL=${sim.apiUrl} WALDUR_API_TOKEN=<this>)`);
  console.log(`control: GET/DELETE ${sim.url}/__sim/stats, GET/POST/PUT ${sim.url}/__sim/faults, POST/PATCH/DELETE ${sim.url}/__sim/objects/<entity>/[<uuid>/]`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) exitWithUsage('waldur-sim', USAGE, err.message);
  console.error(`waldur-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
