import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './support/process.js';

// the tiny size: every row of the small and large benches' table, on the least data (the suite's time)
describe('npm run bench -- --size tiny', () => {
  it('prints every row of the table (figures are not judged here)', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'table.md');
    // Arrow 5 ms away rather than 50: the rows are the same, the suite's wait shorter
    const run = await runProcess('bench/run.ts', ['--size', 'tiny', '--latency', '5', '--out', out], {});
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const table = fs.readFileSync(out, 'utf8');
    for (const row of [
      /^\| 1 \| the response cache .*\| \d+ \| \d+ \| [\d.]+ \|$/m,
      /^\| 16 \| the response cache \| \d+ \| \d+ \| [\d.]+ \|$/m,
      /^\| 1 \| computing it .*\| \d+ \| \d+ \| [\d.]+ \|$/m,
      /^\| 16 \| computing it \| \d+ \| \d+ \| [\d.]+ \|$/m,
      /^\| latency ms \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|$/m,
      // computed, the same statements cold and warm; from the response cache, one: the token with the data version
      /^\| SQL statements \| (\d+) \| \1 \| 1 \| (\d+) \| \2 \|$/m,
      /^\| Arrow requests \| \d+ \| 0 \| 0 \| \d+ \| 0 \|$/m,
      /^\| response kB \| (\d+) \| \1 \| \1 \| \d+ \| \d+ \|$/m,
      /consumption sync that wrote them took [\d.]+ s and \d+ Arrow requests for \d+ linked licences/,
      /^\| HTTP round trips \| 1 \| \d+ \|$/m,
      /^\| total ms, cold \| \d+ \| \d+ \|$/m,
      /^\| total ms, warm \| \d+ \| \d+ \|$/m,
      /^\| gateway, `availableArrowCustomers` .* \| [\d.]+ \|/m,
      /^\| ours, pruned exact \| .* \| [\d.]+ \| reference \|$/m,
      /^\| ours, all pairs \| .* \| [\d.]+ \| yes /m,
      /^\| CPython difflib, all pairs \| .* \| [\d.]+ \(all: ~[\d.]+ extrapolated\) \| yes /m,
      /^\| the same domain and Prisma calls, directly .*\| [\d.]+ \|$/m,
      /^\| through Yoga \+ Pothos .*\| [\d.]+ \|$/m,
      /^\| ratio \| [\d.]+ \|$/m,
      /^GraphQL costs \*\*×[\d.]+\*\* the same calls made directly \(the median of the processes' ratios\)\.$/m,
      /^\| 1\. screen \(single and load runs\) \| \d+ \|$/m,
      /^\| 2\. REST way \| \d+ \|$/m,
      /^\| 3\. availableArrowCustomers \| \d+ \|$/m,
      /Two gateway processes on one PostgreSQL do [\d.]+× the screens per second of one|Skipped: no PostgreSQL server answered/,
      // hostile traffic: every attack ran, the gateway stayed up, the staff client saw no error
      /^\| 1\. alias amplification .* \| \d+ \| .+ \|$/m,
      /^\| 8\. GraphiQL framed, \/metrics scraped, introspection \| \d+ \| .+ \|$/m,
      /^\| stayed up \| yes \|$/m,
      /^\| staff client reading the mappings screen meanwhile \| \d+ screens, 0 errors, p50 \d+ ms, p99 \d+ ms, slowest \d+ ms \|$/m,
      /^\| 9\. hostile traffic \| \d+ \|$/m,
      // the invoice push: every line on an invoice, none failed; a second push asks Waldur nothing
      /^\| first \(`runInvoicePush`, \d{4}-\d{2}\) \| [1-9]\d* \| 0 \| \d+ \| \d+ import_usage \+ \d+ invoice reads \| \d+ \|$/m,
      /^\| again \(everything already on invoices\) \| 0 \| 0 \| \d+ \| 0 \| \|$/m,
      // reads beside writes waiting on a slow Waldur: every write went through
      /^\| PGlite, a write waiting on Waldur \| \d+ \| \d+ \| \d+ \| \d+ \| [1-9]\d* \| \d+ \| \d+ \| 0 \|$/m,
      /^\| 11\. reads beside writes \| \d+ \|$/m,
      // the screen while a licence is linked and unlinked and a consumption sync runs
      /^\| a licence linked or unlinked every second, .* \| \d+ \| \d+ \| [\d.]+ \| [1-9]\d* \| [1-9]\d* links and unlinks, the consumption sync ran \|$/m,
      // beside PostGraphile: both rows, or why not (the tiny bench installs nothing)
      /^\| the gateway \(one process, `Cache-Control: no-cache`\) \| \d+ \| \d+ \| \d+ \| \d+ \/ \d+ \| [\d.]+ \| \d+ \/ \d+ \| [\d.]+ \|$|^Skipped: (no PostgreSQL|PostGraphile)/m,
    ]) {
      expect(table).toMatch(row);
    }
    expect(table).not.toMatch(/NaN|undefined/);
  }, 240_000);
});
