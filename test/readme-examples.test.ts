import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { startSeededGateway } from './support/gateway.js';
import type { TestGateway } from './support/gateway.js';
import { runProcess, startProcess } from './support/process.js';
import { CONFIG_VARIABLES } from '../src/config.js';
import { startWaldurSimulator } from '../src/waldur-sim/server.js';

/**
 * The README's examples as a newcomer pastes them: every GraphQL operation in it (inline code
 * that is a query or a mutation) and every shell line in its `sh` blocks, taken from the README
 * itself. A placeholder in angle brackets stands for a value the reader has (the test puts one in).
 */
const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const shellBlocks = [...readme.matchAll(/```sh\n([^]*?)```/g)].map((m) => m[1]!);
const shellLines = shellBlocks
  .join('\n')
  .replace(/\\\n\s*/g, ' ') // continued lines are one command
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);
const prose = readme.replace(/```[^]*?```/g, '');
// an operation: `query …{…}`, `mutation …{…}` or `{ field … }` (a bare `query` names the request's key)
const operations = [...prose.matchAll(/`((?:query|mutation)\b[^`]*\{[^`]*|\{ \w+[ ({][^`]*)`/g)].map((m) => m[1]!);
const packageJson = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe("the README's examples, as pasted", () => {
  it('finds the examples it checks (the extraction itself works)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(4);
    expect(shellLines.some((l) => l.startsWith('npm run cli -- create-user'))).toBe(true);
  });

  it('every GraphQL example parses (no typographic ellipsis or quotes) and is valid against schema.graphql', () => {
    const schema = buildSchema(fs.readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
    for (const op of operations) {
      expect(op, op).not.toMatch(/[…“”‘’]/);
      expect(validate(schema, parse(op)).map((e) => e.message), op).toEqual([]);
    }
  });

  describe('every GraphQL example answers without errors on a gateway', () => {
    let gw: TestGateway;
    let settingsUuid: string;
    beforeAll(async () => {
      ({ gw, settingsUuid } = await startSeededGateway(2, '2026-10'));
    });
    afterAll(async () => gw?.close());
    it('each answers data, no errors', async () => {
      for (const op of operations) {
        const answer = await gw.gql(op, { settings: settingsUuid });
        expect(answer.errors, op).toBeUndefined();
        expect(JSON.stringify(answer.data), op).not.toMatch(/"__typename":"\w*Error"/);
      }
    });
  });

  it('every shell line runs an npm script that exists, with variables the gateway knows', () => {
    const known = new Set(CONFIG_VARIABLES);
    for (const line of shellLines) {
      const scripts = [...line.matchAll(/npm (?:run )?([\w:-]+)/g)].map((m) => m[1]!).filter((s) => s !== 'ci' && s !== 'run');
      for (const s of scripts) expect(Object.keys(packageJson.scripts), line).toContain(s);
      for (const [, variable] of line.matchAll(/(?:^|\s)([A-Z][A-Z_]+)=/g)) expect(known.has(variable!), `${variable} in: ${line}`).toBe(true);
    }
  });

  it('the CLI lines run one after another, each as written (placeholders filled from what the earlier ones printed)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-cli-'));
    const waldur = await startWaldurSimulator({ token: 'w'.repeat(40), customers: [{ name: 'Org' }], projects: [], offerings: [], resources: [] });
    // what the reader has: a Waldur (on this machine, so private addresses are allowed)
    const theirs: Record<string, string> = { '<your Waldur>': waldur.apiUrl, '<its token>': waldur.token };
    try {
      let printed = '';
      for (const line of shellLines.filter((l) => /^([A-Z_]+=\S+ )*npm run cli -- /.test(l))) {
        // a placeholder takes the reader's value, or the last token or uuid an earlier line printed
        const filled = line.replace(/<[^>]+>/g, (p) => theirs[p] ?? printed.match(/[0-9a-f]{40}|[0-9a-f]{8}-[0-9a-f-]{27}/g)?.at(-1) ?? 'missing');
        const [assignments, command] = filled.split('npm run cli -- ') as [string, string];
        const env = { DATA_DIR: dataDir, DATABASE_URL: '', ALLOW_PRIVATE_UPSTREAMS: 'true', ...Object.fromEntries(assignments.trim().split(/\s+/).filter(Boolean).map((a) => a.split('=') as [string, string])) };
        const run = await runProcess('src/cli.ts', command.split(/\s+/), env);
        expect([run.code, run.output], line).toEqual([0, expect.any(String)]);
        printed += run.output;
      }
    } finally {
      await waldur.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the simulator lines start their simulator as written (on a free port)', async () => {
    for (const line of shellLines.filter((l) => /^npm run (arrow|waldur)-sim -- /.test(l))) {
      const [, sim, rest] = line.match(/^npm run (arrow|waldur)-sim -- (.*)$/)!;
      const args = rest!.replace(/--port \d+/, '--port 0').split(/\s+/);
      const child = startProcess(`src/${sim}-sim/cli.ts`, args, {});
      try {
        await child.waitFor(/simulator: http:\/\/127\.0\.0\.1:\d+/i, 60_000);
      } finally {
        await child.stop();
      }
    }
  });
});
