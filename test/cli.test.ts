import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, startProcess } from './support/process.js';
import { generateFixture } from '../src/arrow-sim/generate.js';
import { DEMO_API_KEY } from '../src/demo/dataset.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };

/** A misuse: exit 2, the first line says what is wrong, the usage follows, no stack trace. */
function expectMisuse(r: { code: number | null; output: string }, program: string, first: string | RegExp) {
  expect(r.code).toBe(2);
  const [line, usage] = r.output.split('\n');
  if (typeof first === 'string') expect(line).toBe(`${program}: ${first}`);
  else expect(line).toMatch(first);
  expect(usage).toMatch(/^Usage: npm run /);
  expect(r.output).not.toMatch(/^\s+at /m);
}

describe('the admin CLI', () => {
  it('answers --help with the usage', async () => {
    const r = await runProcess('src/cli.ts', ['--help'], env);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/^Usage: npm run cli -- <command>\n/);
  });

  it.each([
    [[], 'no command given'],
    [['drop-database'], 'unknown command drop-database'],
    [['create-user'], 'create-user needs a username'],
    [['create-token', 'alice', 'bob'], 'unexpected argument bob'],
    [['list-users', 'now'], 'unexpected argument now'],
    [['create-token', 'alice', '--staff'], '--staff applies to create-user only'],
    [['list-users', '--verbose'], 'unknown option --verbose'],
  ])('refuses %j in one line with the usage', async (args, message) => {
    expectMisuse(await runProcess('src/cli.ts', args, env), 'cli', message);
    expect(fs.existsSync(env.DATA_DIR)).toBe(false); // refused before the database was opened
  });
});

describe('the ArrowSphere simulator CLI', () => {
  it('answers --help with the usage', async () => {
    const r = await runProcess('src/arrow-sim/cli.ts', ['--help'], {});
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/^Usage: npm run arrow-sim -- /);
  });

  it.each([
    [['--prot', '4010'], 'unknown option --prot'],
    [['--port'], '--port needs a value'],
    [['--port', 'eighty'], '--port must be a whole number from 0 to 65535, not "eighty"'],
    [['--port', '70000'], '--port must be a whole number from 0 to 65535, not "70000"'],
    [['--latency', '-5'], '--latency takes a value; a value starting with - is written --latency=VALUE'],
    [['--latency=-5'], '--latency must be a whole number from 0 up, not "-5"'],
    [['--generate', 'customers=abc'], '--generate customers must be a whole number from 1 up, not "abc"'],
    [['--generate', 'custmers=5'], '--generate knows customers, licenses, seed and periods, not "custmers"'],
    [['--generate', 'customers'], '--generate takes key=value pairs separated by commas, not "customers"'],
    [['--generate', 'periods=2026-13'], '--generate periods are months as YYYY-MM joined by +, not "2026-13"'],
    [['--pagination', 'total_page'], 'unknown option --pagination'],
    [['--demo', '--generate', 'customers=5'], 'give one of --fixture, --generate and --demo'],
    [['--fixture', '/nonexistent/fixture.json'], 'cannot read fixture /nonexistent/fixture.json: ENOENT'],
    [['stray'], 'unexpected argument stray'],
  ])('refuses %j in one line with the usage', async (args, message) => {
    expectMisuse(await runProcess('src/arrow-sim/cli.ts', ['--port', '0', ...args], {}), 'arrow-sim', message);
  });

  it('names a fixture that is not JSON or lacks what the simulator serves', async () => {
    const notJson = path.join(dir, 'broken.json');
    fs.writeFileSync(notJson, '{ "apiKey": ');
    expectMisuse(await runProcess('src/arrow-sim/cli.ts', ['--port', '0', '--fixture', notJson], {}), 'arrow-sim', new RegExp(`^arrow-sim: fixture ${notJson} is not JSON: `));
    const partial = path.join(dir, 'partial.json');
    fs.writeFileSync(partial, JSON.stringify({ apiKey: 'k', customers: [] }));
    expectMisuse(await runProcess('src/arrow-sim/cli.ts', ['--port', '0', '--fixture', partial], {}), 'arrow-sim', `fixture ${partial} lacks partner, licenses (format: README, "Fixture format")`);
    // a customer without what the simulator answers with is named, not blamed on the port
    const empty = path.join(dir, 'empty-customer.json');
    fs.writeFileSync(empty, JSON.stringify({ apiKey: 'k', partner: { reference: 'XSP1', companyName: 'P' }, customers: [{}], licenses: [] }));
    expectMisuse(await runProcess('src/arrow-sim/cli.ts', ['--port', '0', '--fixture', empty], {}), 'arrow-sim', `fixture ${empty}: customers[0] lacks Reference, CompanyName (format: README, "Fixture format")`);
  });

  it('with the demo data, says which API key it accepts', async () => {
    const sim = startProcess('src/arrow-sim/cli.ts', ['--port', '0', '--demo'], {});
    try {
      const [, key] = await sim.waitFor(/API key it accepts \(the demo's\): (\S+)/, 60_000);
      expect(key).toBe(DEMO_API_KEY);
    } finally {
      await sim.stop();
    }
  });

  it('says so in one line when its port is in use', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      expectMisuse(await runProcess('src/arrow-sim/cli.ts', ['--port', String(port)], {}), 'arrow-sim', `port ${port} is already in use; choose another with --port`);
    } finally {
      holder.close();
    }
  });
});

describe('the Waldur simulator CLI', () => {
  it.each([
    [['--generate', 'customers=abc'], '--generate customers must be a whole number from 1 up, not "abc"'],
    [['--generate', 'custmers=5'], '--generate knows customers, resources, linked, seed, arrow-customers, arrow-licenses, arrow-seed, not "custmers"'],
    [['--generate', 'customers'], '--generate takes key=value pairs separated by commas, not "customers"'],
    [['--demo', '--generate', 'customers=5'], 'give one of --fixture, --generate and --demo'],
    [['--token', 'short'], '--token must be at least 20 characters'],
  ])('refuses %j in one line with the usage', async (args, message) => {
    expectMisuse(await runProcess('src/waldur-sim/cli.ts', ['--port', '0', ...args], {}), 'waldur-sim', message);
  });

  it('serves a generated Waldur that matches the generated Arrow, the same every run', async () => {
    const token = 'cli-test-waldur-token-0123456789';
    const spec = 'customers=30,resources=90,linked=10,arrow-customers=20,arrow-licenses=100,arrow-seed=7';
    const read = async () => {
      const sim = startProcess('src/waldur-sim/cli.ts', ['--port', '0', '--token', token, '--generate', spec], {});
      try {
        const [, url] = await sim.waitFor(/Waldur simulator: (http:\/\/127\.0\.0\.1:\d+) \(30 customers, 30 projects, 1 offerings, 90 resources\)/, 60_000);
        const get = async (p: string) => (await fetch(`${url}/api/${p}`, { headers: { authorization: `Token ${token}` } })).json();
        return { customers: await get('customers/?page_size=300&field=uuid&field=name'), resources: await get('marketplace-resources/?page_size=300&field=uuid&field=backend_id') };
      } finally {
        await sim.stop();
      }
    };
    const [first, second] = [await read(), await read()];
    expect(second).toEqual(first);
    const arrow = generateFixture({ customers: 20, licenses: 100, seed: 7 });
    // the first Arrow customers have Waldur twins by name, the first `linked` hold their licences
    expect(first.customers[0].name).toBe(arrow.customers[0]!.CompanyName.split(' ').slice(0, 3).join(' '));
    const held = first.resources.filter((r: { backend_id: string }) => r.backend_id);
    expect(held.length).toBeGreaterThan(0);
    const licences = new Set(arrow.licenses.map((l) => l.license_id));
    for (const r of held) expect(licences.has(r.backend_id)).toBe(true);
  });
});

describe('the bench and soak runners', () => {
  it.each([
    ['bench/run.ts', 'bench', ['--size', 'huge'], '--size is small, large, tiny or xlarge, not "huge"'],
    ['bench/run.ts', 'bench', ['--latency', 'fast'], '--latency must be a whole number from 0 up, not "fast"'],
    ['bench/run.ts', 'bench', ['--sise', 'large'], 'unknown option --sise'],
    ['soak/run.ts', 'soak', ['--clients', 'abc'], '--clients must be a whole number from 1 up, not "abc"'],
    ['soak/run.ts', 'soak', ['--minutes', '5'], 'unknown option --minutes'],
  ])('%s refuses %j in one line with the usage', async (entry, program, args, message) => {
    expectMisuse(await runProcess(entry, args, {}), program, message);
  });

  it.each(['bench/run.ts', 'soak/run.ts'])('%s answers --help', async (entry) => {
    const r = await runProcess(entry, ['--help'], {});
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/^Usage: npm run (bench|soak) -- /);
  });
});
