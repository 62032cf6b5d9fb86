// `prisma generate` without internet: the CLI insists on its native schema engine, which it never
// runs for generate; any existing file satisfies the check (see ../shared/design/TOOLCHAIN.md).
// Skips the work when the generated client is newer than prisma/schema.prisma (unless --force).
// Then builds the staff console (console/dist) when its sources are newer than its build, and
// bundles the gateway (dist/gateway, see build-gateway.mjs) likewise.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGateway, newest } from './build-gateway.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const stamp = path.join(root, 'src/generated/.schema-stamp');
const digest = fs.readFileSync(schema, 'utf8');
const force = process.argv.includes('--force');
if (force || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== digest || !fs.existsSync(path.join(root, 'src/generated/pothos-types.ts'))) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'package.json'), PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
  fs.writeFileSync(stamp, digest);
  console.log('prisma: client and Pothos types generated');
}

const consoleDir = path.join(root, 'console');
const built = path.join(consoleDir, 'dist/index.html');
const vite = path.join(root, 'node_modules/vite/bin/vite.js');
const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => path.join(consoleDir, p));
if (force || !fs.existsSync(built) || Math.max(...sources.map(newest)) > fs.statSync(built).mtimeMs) {
  if (!fs.existsSync(vite)) {
    console.warn('console: not built (vite is a dev dependency: install with `npm ci`, not --omit=dev); / answers 503, GraphiQL still works');
  } else {
    execFileSync(process.execPath, [vite, 'build', '--config', path.join(consoleDir, 'vite.config.ts')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log('console: built into console/dist');
  }
}
if (await buildGateway({ force })) console.log('gateway: bundled into dist/gateway');
