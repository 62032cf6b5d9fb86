/**
 * The bench's "reads beside writes that wait on Waldur" section (issue 32, target 0): one client
 * reads a trivial query (the viewer and one count) in a loop while another links, unlinks and
 * imports licences one after the other through a Waldur that answers every request `latencyMs`
 * late. Reads that waited on a write's Waldur round trips show in their p99 and max.
 */
import { generatedUuid } from '../src/waldur-sim/generate.js';
import type { ArrowFixture } from '../src/arrow-sim/fixture.js';
import type { WaldurFixture } from '../src/waldur-sim/fixture.js';
import { quantile } from './graphql-overhead.js';

export interface ReadsBesideWrites {
  reads: { n: number; p50: number; p99: number; max: number };
  writes: { n: number; p50: number; max: number; failed: number };
}

/** What the writer works on: mapping i's free resource and free licences (the generated dataset's). */
export function writeTargets(arrow: ArrowFixture, waldur: WaldurFixture, mappings: number) {
  const targets: { mapping: string; project: string; resource: string; link: string; imports: string[] }[] = [];
  const held = new Set(waldur.resources.map((r) => r.backend_id).filter(Boolean));
  for (let i = 0; i < mappings && targets.length < 50; i++) {
    const project = generatedUuid('project', i);
    const own = waldur.resources.filter((r) => r.project === project);
        const free = own.find((r) => !r.backend_id && r.uuid);
    const licences = arrow.licenses.filter((l) => l.customer_ref === arrow.customers[i]!.Reference && !held.has(l.license_id)).map((l) => l.license_id);
    if (free && licences.length >= 2) targets.push({ mapping: generatedUuid('mapping', i), project, resource: free.uuid!, link: licences[0]!, imports: licences.slice(1) });
  }
  return targets;
}

export async function readsBesideWrites(opts: { base: string; headers: Record<string, string>; offering: string; targets: ReturnType<typeof writeTargets>; seconds: number }): Promise<ReadsBesideWrites> {
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${opts.base}/graphql`, { method: 'POST', headers: { ...opts.headers, 'cache-control': 'no-cache' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { errors?: unknown[]; data?: Record<string, { __typename?: string }> };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return body.data!;
  };
  const until = Date.now() + opts.seconds * 1000;
  const readMs: number[] = [];
  const writeMs: number[] = [];
  let failed = 0;
  const reader = async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      await gql('{ viewer { username } customerMappings(first: 1) { totalCount } }');
      readMs.push(performance.now() - t0);
    }
  };
  const writer = async () => {
    const writes: [string, Record<string, unknown>][] = [];
    for (const t of opts.targets) {
      writes.push([`mutation($m: UUID!, $r: UUID!, $l: String!) { linkResource(mappingUuid: $m, resourceUuid: $r, licenseReference: $l) { __typename } }`, { m: t.mapping, r: t.resource, l: t.link }]);
      writes.push([`mutation($m: UUID!, $r: UUID!) { unlinkResource(mappingUuid: $m, resourceUuid: $r) { __typename } }`, { m: t.mapping, r: t.resource }]);
      writes.push([`mutation($m: UUID!, $l: String!, $o: UUID!, $p: UUID!) { importLicense(mappingUuid: $m, licenseReference: $l, offeringUuid: $o, projectUuid: $p) { __typename } }`, { m: t.mapping, l: t.imports.shift(), o: opts.offering, p: t.project }]);
    }
    for (const [query, variables] of writes) {
      if (Date.now() >= until) break;
      const t0 = performance.now();
      const answer = Object.values(await gql(query, variables))[0]!;
      writeMs.push(performance.now() - t0);
      if (!answer.__typename?.endsWith('Success')) failed++;
    }
  };
  await Promise.all([reader(), writer()]);
  readMs.sort((a, b) => a - b);
  writeMs.sort((a, b) => a - b);
  return {
    reads: { n: readMs.length, p50: quantile(readMs, 0.5), p99: quantile(readMs, 0.99), max: readMs.at(-1) ?? 0 },
    writes: { n: writeMs.length, p50: quantile(writeMs, 0.5), max: writeMs.at(-1) ?? 0, failed },
  };
}
