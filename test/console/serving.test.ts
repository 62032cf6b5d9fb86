import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture } from '../support/seed.js';
import { listen } from '../support/http.js';

describe('the console served by the gateway', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(1, '2026-10'));
    http = await listen(gw.server);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  it('answers / with the console page, never cached, under a CSP that keeps it to its own origin', async () => {
    const res = await fetch(`${http.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const page = await res.text();
    expect(page).toContain('<title>Arrow–Waldur console</title>');
    // its assets are hashed, served from here and cached for good; nothing comes from a CDN
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'));
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/[\w.-]+$/);
      const a = await fetch(`${http.base}${asset}`);
      expect(a.status).toBe(200);
      expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${http.base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${http.base}/assets/../package.json`)).status).not.toBe(200);
  });

  it('keeps GraphiQL at /graphql', async () => {
    const res = await fetch(`${http.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Arrow–Waldur gateway');
  });
});
