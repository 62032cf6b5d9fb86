import type http from 'node:http';

/**
 * What the ArrowSphere and Waldur simulators share: a request body, a JSON answer, and stopping
 * a server that may hold requests it chose never to answer (the hang fault).
 */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A JSON answer; no body at all when `payload` is undefined (HEAD, 204). */
export function sendJson(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(payload === undefined ? undefined : JSON.stringify(payload));
}

/** Drops the hanging requests and every connection, then closes. */
export async function closeServer(server: http.Server, hanging: Set<http.ServerResponse>): Promise<void> {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A deterministic pseudo-random generator (mulberry32): the same seed gives the same draws. */
export function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
