import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { record } from './secret-scan.js';

/** Listens on a free loopback port; returns the base URL and a closer. */
export async function listen(server: http.Server): Promise<{ base: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** POSTs JSON to one of a mapping's REST actions as `token`; the answer's status, Retry-After and body (recorded for the secret scan). */
export async function postMappingAction(base: string, token: string, path: string, body: object): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(`${base}/api/admin/arrow/customer-mappings/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  record('body', text);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: JSON.parse(text) };
}
