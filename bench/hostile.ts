/**
 * The bench's hostile-traffic section (issue 26): the eight attacks found on a default gateway,
 * each in a bounded loop against the gateway process on loopback, while a staff client reads the
 * mappings screen. Says whether the gateway stayed up, what each attack got back, and the staff
 * client's latencies and errors. Peak RSS is the caller's to sample (it owns the process).
 */
import http from 'node:http';
import { quantile } from './graphql-overhead.js';

export interface HostileFigures {
  seconds: number;
  /** Requests each attack sent, and the statuses they got. */
  attacks: { name: string; requests: number; statuses: Record<string, number> }[];
  staff: { requests: number; errors: number; p50: number; p99: number; max: number };
  alive: boolean;
}

const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** One raw HTTP request (any Host, chunked bodies): the status, or 0 when the connection failed. */
function raw(base: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, method: options.method ?? 'GET', path: options.path, headers: options.headers, setHost: !options.headers?.host }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    if (options.chunked && options.body) {
      // no Content-Length: the body arrives in pieces, as a stream would send it
      const body = Buffer.from(options.body);
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(options.body);
  });
}

export async function hostileTraffic(opts: { base: string; staffHeaders: Record<string, string>; screenBody: string; settingsUuid: string; seconds: number; alive: () => boolean; }): Promise<HostileFigures> {
  const { base } = opts;
  const json = { 'content-type': 'application/json' };
  const staff = opts.staffHeaders;
  let n = 0;
  const unique = () => `${Date.now()}-${n++}`;
  const introspections = JSON.stringify({ query: aliases(2000, '__schema { types { name fields { name args { name } type { name } } } }') });
  const viewers = JSON.stringify({ query: aliases(20_000, 'viewer { username }') });
  const deep = JSON.stringify({ query: `{ ${'viewer { '.repeat(3000)}username${' }'.repeat(3000)} }` });
  const attacks: [string, () => Promise<number>][] = [
    ['1. alias amplification (2,000 × __schema, 20,000 × viewer)', async () => (n % 2 ? raw(base, { method: 'POST', path: '/graphql', headers: json, body: introspections }) : raw(base, { method: 'POST', path: '/graphql', headers: json, body: viewers }))],
    ['2. distinct ~900 kB documents (the parse cache)', async () => raw(base, { method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query: `{ viewer { username } } # ${unique()} ${'x'.repeat(900_000)}` }) })],
    ['3. other paths ending in graphql, form posts, chunked 2 MB', async () => {
      const k = n++ % 3;
      if (k === 0) return raw(base, { method: 'POST', path: '/x/graphql', headers: { ...json, origin: 'https://evil.example' }, body: introspections });
      if (k === 1) return raw(base, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(aliases(500, '__typename'))}` });
      return raw(base, { method: 'POST', path: '/graphql', headers: json, body: `{"query":"{ __typename }","x":"${'a'.repeat(2 * 1024 * 1024)}"}`, chunked: true });
    }],
    ['4. made-up tokens', async () => raw(base, { method: 'POST', path: '/graphql', headers: { ...json, authorization: `Token ${(n++).toString(16).padStart(40, 'e')}` }, body: '{"query":"{ viewer { username } }"}' })],
    ['5. settings moved to a listener without the key', async () => raw(base, { method: 'PATCH', path: `/api/admin/arrow/settings/${opts.settingsUuid}/`, headers: { ...staff, ...json }, body: JSON.stringify({ api_url: 'http://198.51.100.7/index.php/api/' }) })],
    ['6. validate_credentials at loopback in other spellings', async () => raw(base, { method: 'POST', path: '/api/admin/arrow/settings/validate_credentials/', headers: { ...staff, ...json }, body: JSON.stringify({ api_url: ['http://2130706433:9/', 'http://0x7f.1:9/', 'http://[::1]:9/'][n++ % 3], api_key: 'not-a-key' }) })],
    ['7. NUL bytes, absurd pages, bad Host, a 3,000-deep query', async () => {
      const k = n++ % 4;
      if (k === 0) return raw(base, { path: '/api/admin/arrow/customer-mappings/?arrow_company_name=a%00b', headers: staff });
      if (k === 1) return raw(base, { path: '/api/admin/arrow/customer-mappings/?page=99999999999999999999', headers: staff });
      if (k === 2) return raw(base, { path: '/api/admin/arrow/customer-mappings/', headers: { ...staff, host: 'exa mple%' } });
      return raw(base, { method: 'POST', path: '/graphql', headers: json, body: deep });
    }],
    ['8. GraphiQL framed, /metrics scraped, introspection', async () => {
      const k = n++ % 3;
      if (k === 0) return raw(base, { path: '/graphql', headers: { accept: 'text/html' } });
      if (k === 1) return raw(base, { path: '/metrics' });
      return raw(base, { method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) });
    }],
  ];
  const until = Date.now() + opts.seconds * 1000;
  const results = attacks.map(([name]) => ({ name, requests: 0, statuses: {} as Record<string, number> }));
  const attackers = attacks.map(async ([, send], i) => {
    while (Date.now() < until) {
      const status = await send();
      results[i]!.requests++;
      results[i]!.statuses[status] = (results[i]!.statuses[status] ?? 0) + 1;
    }
  });
  const latencies: number[] = [];
  let errors = 0;
  const reader = (async () => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...staff, ...json }, body: opts.screenBody });
        const body = (await res.json()) as { errors?: unknown[] };
        if (res.status !== 200 || body.errors?.length) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  })();
  await Promise.all([...attackers, reader]);
  latencies.sort((a, b) => a - b);
  return { seconds: opts.seconds, attacks: results, staff: { requests: latencies.length, errors, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? 0 }, alive: opts.alive() };
}

export function hostileTable(h: HostileFigures, peakRssMb: number): string {
  return `| attack (one request at a time each, ${h.seconds} s, all at once) | requests | answers |
|---|---|---|
${h.attacks.map((a) => `| ${a.name} | ${a.requests} | ${Object.entries(a.statuses).map(([s, c]) => `${s === '0' ? 'no answer' : s} ×${c}`).join(', ')} |`).join('\n')}

| the gateway under it | |
|---|---|
| stayed up | ${h.alive ? 'yes' : '**NO**'} |
| peak RSS | ${peakRssMb.toFixed(0)} MB |
| staff client reading the mappings screen meanwhile | ${h.staff.requests} screens, ${h.staff.errors} errors, p50 ${h.staff.p50.toFixed(0)} ms, p99 ${h.staff.p99.toFixed(0)} ms, slowest ${h.staff.max.toFixed(0)} ms |`;
}
