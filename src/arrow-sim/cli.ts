import fs from 'node:fs';
import { startArrowSimulator } from './server.js';
import { generateFixture, type GenerateOptions } from './generate.js';
import { demoDataset } from '../demo/dataset.js';
import type { ArrowFixture } from './fixture.js';
import { exitWithUsage, integerOption, parseCommandLine, UsageError } from '../cli-args.js';

const USAGE = `Usage: npm run arrow-sim -- [--port N] [--fixture FILE | --generate SPEC | --demo] [--latency MS]
  --port N            port to listen on (default 4010; 0: any free port)
  --fixture FILE      serve this JSON fixture (format: README, "Fixture format")
  --generate SPEC     generate data: customers=N,licenses=N,seed=N,periods=YYYY-MM+YYYY-MM (every key optional)
  --demo              serve the demo's data (the default)
  --latency MS        add this delay to every answer (default 0)`;

const { values } = parseCommandLine('arrow-sim', USAGE, {
  port: { type: 'string', default: '4010' },
  fixture: { type: 'string' },
  generate: { type: 'string' },
  demo: { type: 'boolean', default: false },
  latency: { type: 'string', default: '0' },
});

/** customers=2000,licenses=20000,seed=1,periods=2026-10+2026-11 → generator options; anything else refused. */
function generateSpec(spec: string): GenerateOptions {
  const opts: GenerateOptions = { customers: 100, licenses: 1000, seed: 1, periods: [] };
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=');
    if (value === undefined || extra !== undefined || value === '') throw new UsageError(`--generate takes key=value pairs separated by commas, not "${part}"`);
    if (key === 'customers' || key === 'licenses') opts[key] = integerOption(`--generate ${key}`, value, 1);
    else if (key === 'seed') opts.seed = integerOption('--generate seed', value, 0);
    else if (key === 'periods') {
      opts.periods = value.split('+');
      const bad = opts.periods.find((p) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(p));
      if (bad !== undefined) throw new UsageError(`--generate periods are months as YYYY-MM joined by +, not "${bad}"`);
    } else throw new UsageError(`--generate knows customers, licenses, seed and periods, not "${key}"`);
  }
  return opts;
}

/** A fixture file, read and checked enough that a wrong file is named rather than crashing later. */
function readFixture(file: string): ArrowFixture {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read fixture ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let fixture: Partial<ArrowFixture>;
  try {
    fixture = JSON.parse(text) as Partial<ArrowFixture>;
  } catch (err) {
    throw new UsageError(`fixture ${file} is not JSON: ${(err as Error).message}`);
  }
  const missing = (['apiKey', 'partner', 'customers', 'licenses'] as const).filter((k) => fixture?.[k] === undefined);
  if (missing.length) throw new UsageError(`fixture ${file} lacks ${missing.join(', ')} (format: README, "Fixture format")`);
  // each customer and licence needs what the simulator answers with (a {} would crash it later)
  const entries: [string, unknown, string[]][] = [
    ['customers', fixture.customers, ['Reference', 'CompanyName']],
    ['licenses', fixture.licenses, ['license_id', 'customer_ref']],
  ];
  for (const [name, list, needs] of entries) {
    if (!Array.isArray(list)) throw new UsageError(`fixture ${file}: ${name} must be a list (format: README, "Fixture format")`);
    list.forEach((entry: unknown, i) => {
      const lacks = needs.filter((k) => typeof (entry as Record<string, unknown> | null)?.[k] !== 'string' || !(entry as Record<string, string>)[k]);
      if (lacks.length) throw new UsageError(`fixture ${file}: ${name}[${i}] lacks ${lacks.join(', ')} (format: README, "Fixture format")`);
    });
  }
  return fixture as ArrowFixture;
}

async function main() {
  const sources = [values.fixture !== undefined, values.generate !== undefined, values.demo].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give one of --fixture, --generate and --demo');
  const port = integerOption('--port', values.port, 0, 65535);
  const latencyMs = integerOption('--latency', values.latency, 0);
  const fixture = values.fixture !== undefined ? readFixture(values.fixture) : values.generate !== undefined ? generateFixture(generateSpec(values.generate)) : demoDataset().fixture;
  const sim = await startArrowSimulator(fixture, { port, faults: { latencyMs } }).catch((err: NodeJS.ErrnoException) => {
    // only a listening error is the port's; anything else is said as it is
    if (!err.code) throw err;
    throw new UsageError(err.code === 'EADDRINUSE' ? `port ${port} is already in use; choose another with --port` : `cannot listen on port ${port}: ${err.code}`);
  });
  console.log(`ArrowSphere simulator: ${sim.apiUrl} (${fixture.customers.length} customers, ${fixture.licenses.length} licences)`);
  // the key a client must send (the demo's is public: it is in the demo dataset and the README)
  if (values.fixture === undefined && values.generate === undefined) console.log(`API key it accepts (the demo's): ${fixture.apiKey}`);
  else console.log('API key it accepts: the fixture\'s apiKey');
  console.log(`control: GET/DELETE ${sim.url}/__sim/stats, GET/POST/PUT ${sim.url}/__sim/faults`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) exitWithUsage('arrow-sim', USAGE, err.message);
  console.error(`arrow-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
