import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Every Arrow API key the tests configure (fixtures, simulator, demo, bench, soak). */
const API_KEYS = ['test-key', 'settings-test-key', 'wrong-key', 'fixture-key-123', 'soak-key', 'bench-api-key', 'sim-api-key', 'demo-arrow-api-key-not-secret', 'wrong-secret-key', 'w'.repeat(40), 'd'.repeat(40), 'kill-test-waldur-token-0123456789', 'soak-waldur-token-0123456789abcdef'];

export function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-secret-scan-'));
  process.env.SECRET_SCAN_DIR = dir;
  return () => {
    const entries = fs.readdirSync(dir).flatMap((f) =>
      fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; text: string }),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    const tokens = new Set(entries.filter((e) => e.kind === 'token').map((e) => e.text).filter((t) => t.length >= 20));
    const secrets = [...API_KEYS, ...tokens];
    const outputs = entries.filter((e) => e.kind !== 'token');
    const leaks = outputs.flatMap((e) => secrets.filter((s) => e.text.includes(s)).map((s) => `${e.kind}: …${e.text.slice(Math.max(0, e.text.indexOf(s) - 60), e.text.indexOf(s) + s.length + 20)}…`));
    console.log(`secret scan: ${outputs.length} response bodies and log chunks checked against ${secrets.length} keys and tokens`);
    const failure = outputs.length === 0 ? 'secret scan: nothing was recorded' : leaks.length ? `secret scan: a key or token left the server:\n${leaks.slice(0, 10).join('\n')}` : null;
    if (failure) {
      // vitest only logs a failing teardown, so the exit code is set here
      console.error(failure);
      process.exitCode = 1;
      process.on('exit', () => (process.exitCode = 1));
    }
  };
}
