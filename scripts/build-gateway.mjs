// The gateway as `npm start` runs it: src/ bundled by esbuild into dist/gateway/ (packages stay
// in node_modules), run by plain node. Loading TypeScript through tsx at run time costs about
// 100 MB of resident memory (its loader thread and the transformed sources); this bundle takes
// well under a second. Rebuilt only when a file under src/ is newer than the bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Two folders below the root, as src/<file> is: paths made from import.meta.url resolve alike. */
export const GATEWAY_BUNDLE = path.join(root, 'dist/gateway/main.js');

/** The newest modification time under a file or folder. */
export function newest(p) {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newest(path.join(p, name))));
}

/** GraphiQL's offline page, rendered once here and streamed from disk by the gateway (src/graphql/graphiql.ts). */
export const GRAPHIQL_PAGE = path.join(root, 'dist/graphiql.html');

export async function buildGateway({ force = false } = {}) {
  if (!force && fs.existsSync(GATEWAY_BUNDLE) && fs.existsSync(GRAPHIQL_PAGE) && newest(path.join(root, 'src')) <= fs.statSync(GATEWAY_BUNDLE).mtimeMs) return false;
  await build({
    entryPoints: { main: path.join(root, 'src/main.ts'), 'graphiql-page': path.join(root, 'src/graphql/graphiql-page.ts'), 'match-worker': path.join(root, 'src/matching/match-worker.ts') },
    outdir: path.dirname(GATEWAY_BUNDLE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // written whole, then moved into place: a gateway never streams half a page
  const page = execFileSync(process.execPath, [path.join(path.dirname(GATEWAY_BUNDLE), 'graphiql-page.js')], { maxBuffer: 64 * 1024 * 1024 });
  fs.writeFileSync(`${GRAPHIQL_PAGE}.tmp`, page);
  fs.renameSync(`${GRAPHIQL_PAGE}.tmp`, GRAPHIQL_PAGE);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (await buildGateway({ force: process.argv.includes('--force') })) console.log('gateway: bundled into dist/gateway');
}

/**
 * The gateway as `npm start` runs it: its script in package.json is `[NAME=value …] node <args>`,
 * the environment glibc reads before node starts (see README, Performance, "Memory"), then node's.
 */
function gatewayStart() {
  const start = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const words = start.split(/\s+/);
  const env = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name, value] = words.shift().split('=');
    env[name] = value;
  }
  const [command, ...args] = words;
  if (command !== 'node') throw new Error(`package.json's start script is not "[NAME=value …] node …": ${start}`);
  return { env, args };
}

/** node's arguments for the gateway as `npm start` runs it. */
export function gatewayNodeArgs() {
  return gatewayStart().args;
}

/** The environment `npm start` gives the gateway's node (a spawner's own variables go over it). */
export function gatewayNodeEnv() {
  return gatewayStart().env;
}
