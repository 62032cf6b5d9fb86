import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { fileURLToPath } from 'node:url';

/** The staff console's build (console/dist, made by scripts/generate.mjs on install, start and test). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

// the console talks to /graphql only; nothing from elsewhere, and no framing
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves the console: index.html at / (never cached, it names the current assets) and its
 * hashed assets under /assets/ (cached for good). Answers false for any other path.
 */
export function serveConsole(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const asset = urlPath.startsWith('/assets/') && /^\/assets\/[\w.-]+$/.test(urlPath);
  if (urlPath !== '/' && urlPath !== '/index.html' && !asset) return false;
  const file = path.join(CONSOLE_DIST, asset ? urlPath : 'index.html');
  let body: Buffer;
  try {
    body = fs.readFileSync(file);
  } catch {
    if (asset) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    } else {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The staff console is not built: run `npm run console:build` (npm start and npm test build it). GraphiQL is at /graphql.');
    }
    return true;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
