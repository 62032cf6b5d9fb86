import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startArrowSimulator } from './server.js';
import { generateFixture } from './generate.js';
import { demoDataset } from '../demo/dataset.js';
import type { ArrowFixture } from './fixture.js';

// npm run arrow-sim -- --port 4010 (--fixture file.json | --generate customers=2000,licenses=20000,seed=1 | --demo)
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    fixture: { type: 'string' },
    generate: { type: 'string' },
    demo: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
    pagination: { type: 'string', default: 'total_page' },
  },
});

let fixture: ArrowFixture;
if (values.fixture) {
  fixture = JSON.parse(fs.readFileSync(values.fixture, 'utf8')) as ArrowFixture;
} else if (values.generate) {
  const opts = Object.fromEntries(values.generate.split(',').map((kv) => kv.split('=') as [string, string]));
  fixture = generateFixture({
    customers: Number(opts.customers ?? 100),
    licenses: Number(opts.licenses ?? 1000),
    seed: Number(opts.seed ?? 1),
    periods: opts.periods ? opts.periods.split('+') : [],
  });
} else {
  fixture = demoDataset().fixture;
}
if (values.pagination !== 'total_page' && values.pagination !== 'totalPages') {
  console.error('--pagination must be total_page or totalPages');
  process.exit(2);
}
const sim = await startArrowSimulator(fixture, {
  port: Number(values.port),
  faults: { latencyMs: Number(values.latency) },
  paginationStyle: values.pagination,
});
console.log(`ArrowSphere simulator: ${sim.apiUrl} (${fixture.customers.length} customers, ${fixture.licenses.length} licences)`);
console.log(`control: GET/DELETE ${sim.url}/__sim/stats, GET/POST/PUT ${sim.url}/__sim/faults`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
