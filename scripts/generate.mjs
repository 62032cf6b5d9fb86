// `prisma generate` without internet: the CLI insists on its native schema engine, which it never
// runs for generate; any existing file satisfies the check (see ../shared/design/TOOLCHAIN.md).
// Skips the work when the generated client is newer than prisma/schema.prisma (unless --force).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const stamp = path.join(root, 'src/generated/.schema-stamp');
const digest = fs.readFileSync(schema, 'utf8');
const force = process.argv.includes('--force');
if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest && fs.existsSync(path.join(root, 'src/generated/pothos-types.ts'))) {
  process.exit(0);
}
execFileSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'package.json'), PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
});
fs.writeFileSync(stamp, digest);
console.log('prisma: client and Pothos types generated');
