import { spawn, type ChildProcess } from 'node:child_process';
import { record } from './secret-scan.js';
import { gatewayNodeArgs, gatewayNodeEnv } from '../../scripts/build-gateway.mjs';

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of pattern in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
}

/** Runs an entry point as its own process: src/main.ts exactly as `npm start` does (its bundle), others through tsx. */
export function startProcess(entry: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const nodeArgs = entry === 'src/main.ts' ? gatewayNodeArgs() : ['--import', 'tsx', entry];
  // the simulators the tests run listen on loopback, which a gateway refuses to call unless told
  const defaults = entry === 'src/main.ts' ? { ...gatewayNodeEnv(), ALLOW_PRIVATE_UPSTREAMS: 'true' } : {};
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...defaults, ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    // The CLI's create-token prints only the token, and a first demo start prints the staff
    // token once: both by design (the operator asked for it), so only gateway logs are scanned.
    if (entry === 'src/main.ts') record('log', d.toString().replace(/^ {2}Authorization: Token [0-9a-f]{40}$/m, '  Authorization: Token (shown once)'));
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            check();
            if (waiters.has(check)) (waiters.delete(check), clearTimeout(timer), reject(new Error(`process exited before ${pattern}; output:\n${out}`)));
          }
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export function runProcess(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const p = startProcess(entry, args, env);
  return new Promise((resolve) => p.child.on('close', (code) => resolve({ code, output: p.output() })));
}
