/**
 * Records, in every test worker, each HTTP response body the gateway sends, every token a test
 * sends, and the output of gateway processes the tests start; test/support/secret-scan-global.ts
 * fails the run if any body or log line holds an Arrow API key or a token.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dir = process.env.SECRET_SCAN_DIR;
const file = dir ? path.join(dir, `${process.pid}.jsonl`) : null;

export function record(kind: 'body' | 'log' | 'token', text: string) {
  if (file && text) fs.appendFileSync(file, `${JSON.stringify({ kind, text })}\n`);
}

const TOKEN = /^Token\s+(\S+)/i;
if (file) {
  const chunks = new WeakMap<http.ServerResponse, Buffer[]>();
  const keep = (res: http.ServerResponse, chunk: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const list = chunks.get(res) ?? [];
    list.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk instanceof Uint8Array ? chunk : String(chunk)));
    chunks.set(res, list);
  };
  const { write, end } = http.ServerResponse.prototype;
  http.ServerResponse.prototype.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(this, chunk);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  http.ServerResponse.prototype.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(this, chunk);
    const auth = this.req?.headers.authorization?.match(TOKEN)?.[1];
    if (auth) record('token', auth);
    record('body', Buffer.concat(chunks.get(this) ?? []).toString('utf8'));
    return (end as (...a: unknown[]) => http.ServerResponse).call(this, chunk, ...rest);
  } as typeof end;
}

/** Tests also call gateway processes with fetch: their tokens and answers are recorded too. */
if (file) {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const auth = headers.get('authorization')?.match(TOKEN)?.[1];
    if (auth) record('token', auth);
    const res = await original(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url) && !url.includes('/index.php/api/') && !url.includes('/__sim/')) {
      void res.clone().text().then((text) => record('body', text), () => undefined);
    }
    return res;
  };
}
