import type http from 'node:http';
import { isUuid } from '../domain/mappings.js';
import { hasNul, NUL_MESSAGE, nulPath } from '../domain/text-filter.js';

/** A REST answer decided early (bad input, missing object): status and JSON body. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'detail' in body ? String((body as { detail: unknown }).detail) : `HTTP ${status}`);
  }
}

/** The record the path's uuid names, or DRF's plain 404 (a malformed uuid names nothing). */
export async function foundOr404<T>(uuid: string, find: (uuid: string) => Promise<T | null>): Promise<T> {
  const row = isUuid(uuid) ? await find(uuid) : null;
  if (!row) throw new RestError(404, { detail: 'Not found.' });
  return row;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** The JSON body as an object; none at all is `{}`. Not JSON → 400, too large → 413. */
export async function readJsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new RestError(413, { detail: 'Request body too large.' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RestError(413, { detail: 'Request body too large.' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RestError(400, { detail: `JSON parse error - ${(err as Error).message}` });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RestError(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
  }
  const nul = nulPath(parsed);
  if (nul !== null) throw new RestError(400, { [nul]: [NUL_MESSAGE] });
  return parsed as Record<string, unknown>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, headOnly = false) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(headOnly ? undefined : text);
}

/** A Host header as RFC 9110 has it: a name or an address, and a port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function validHost(host: string): boolean {
  return host.length <= 261 && HOST.test(host);
}

/**
 * Where hyperlinks point: the configured public URL, else the request's own host. The
 * X-Forwarded-Proto/-Host of a proxy count only with TRUST_PROXY (anyone can send them), and
 * only http or https; a malformed host is refused (400), never a 500 or a link elsewhere.
 */
export function baseUrlOf(req: http.IncomingMessage, publicBaseUrl?: string, trustProxy = false): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const forwardedProto = trustProxy ? (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0]?.trim().toLowerCase() : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : 'http';
  const host = ((trustProxy ? (req.headers['x-forwarded-host'] as string | undefined)?.split(',')[0]?.trim() : undefined) ?? req.headers.host ?? 'localhost').trim();
  if (!validHost(host)) throw new RestError(400, { detail: 'Bad Host header.' });
  return `${proto}://${host}`;
}

/** A 400 naming the first query parameter holding a NUL character, which no filter can take. */
export function refuseNulParameters(query: URLSearchParams): void {
  for (const [name, value] of query) if (hasNul(name) || hasNul(value)) throw new RestError(400, { [name]: [NUL_MESSAGE] });
}
