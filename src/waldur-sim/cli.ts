import crypto from 'node:crypto';
import fs from 'node:fs';
import { startWaldurSimulator } from './server.js';
import type { WaldurFixture } from './fixture.js';
import { demoDataset, demoWaldurFixture } from '../demo/dataset.js';
import { generateWaldurFixture } from './generate.js';
import { generateFixture } from '../arrow-sim/generate.js';
import { exitWithUsage, integerOption, parseCommandLine, UsageError } from '../cli-args.js';

const USAGE = `Usage: npm run waldur-sim -- [--port N] [--token T] [--fixture FILE | --generate SPEC | --demo] [--latency MS]
  --port N            port to listen on (default 8000; 0: any free port)
  --token T           the staff token it accepts (default: a new one, printed)
  --fixture FILE      serve this JSON fixture (src/waldur-sim/fixture.ts; its own token is replaced by --token when given)
  --generate SPEC     generate a Waldur to go with \`npm run arrow-sim -- --generate\`:
                      customers=N,resources=N,linked=N,seed=N (Waldur's side) and
                      arrow-customers=N,arrow-licenses=N,arrow-seed=N (the Arrow side it matches; every key optional)
  --demo              serve the demo's Waldur (the default)
  --latency MS        add this delay to every answer (default 0)`;

const { values } = parseCommandLine('waldur-sim', USAGE, {
  port: { type: 'string', default: '8000' },
  token: { type: 'string' },
  fixture: { type: 'string' },
  generate: { type: 'string' },
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

/** The generator's options from `key=value,…`; the Arrow side's defaults are arrow-sim's. */
function generateSpec(spec: string, token: string): WaldurFixture {
  const opts = { customers: 250, resources: 1000, linked: 50, seed: 11, 'arrow-customers': 100, 'arrow-licenses': 1000, 'arrow-seed': 1 };
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=');
    if (value === undefined || extra !== undefined || value === '') throw new UsageError(`--generate takes key=value pairs separated by commas, not "${part}"`);
    if (!(key! in opts)) throw new UsageError(`--generate knows ${Object.keys(opts).join(', ')}, not "${key}"`);
    opts[key as keyof typeof opts] = integerOption(`--generate ${key}`, value, key!.endsWith('seed') || key === 'linked' ? 0 : 1);
  }
  const arrow = generateFixture({ customers: opts['arrow-customers'], licenses: opts['arrow-licenses'], seed: opts['arrow-seed'] });
  return generateWaldurFixture({ arrow, customers: opts.customers, resources: opts.resources, linked: opts.linked, seed: opts.seed, token });
}

async function main() {
  if ([values.fixture !== undefined, values.generate !== undefined, values.demo].filter(Boolean).length > 1) throw new UsageError('give one of --fixture, --generate and --demo');
  const port = integerOption('--port', values.port, 0, 65535);
  const latencyMs = integerOption('--latency', values.latency, 0);
  const token = values.token ?? crypto.randomBytes(20).toString('hex');
  if (token.length < 20) throw new UsageError('--token must be at least 20 characters');
  const fixture =
    values.fixture !== undefined ? { ...readFixture(values.fixture), token } : values.generate !== undefined ? generateSpec(values.generate, token) : demoWaldurFixture(demoDataset(), token);
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
