import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies, type SeededCompany, createOffering } from '../support/seed.js';
import { listen } from '../support/http.js';

/**
 * 5,000 generated requests in all (FUZZ_SCALE=2 for the 10,000 of a deeper run): no 5xx, every
 * refusal explained, nothing changed by a refusal. Halved to keep the suite within its ten minutes
 * on two cores, now that every REST write is also recorded in the audit log.
 */
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const RUNS = Object.fromEntries(Object.entries({ restBodies: 2000, paths: 500, queryStrings: 750, graphqlVariables: 1750 }).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))])) as Record<'restBodies' | 'paths' | 'queryStrings' | 'graphqlVariables', number>;
/** Fixed, so that a run is repeatable; FUZZ_SEED=<n> explores elsewhere. */
const seed = Number(process.env.FUZZ_SEED ?? 20261126);

let gw: TestGateway;
let http: Awaited<ReturnType<typeof listen>>;
let companies: SeededCompany[];
let settingsUuid: string;
let offeringUuid: string;
const M = '/api/admin/arrow/customer-mappings';

/** One fingerprint of every table a request could change. */
async function fingerprint(): Promise<string> {
  const tables = ['customer_mappings', 'resources', 'orders', 'arrow_settings', 'waldur_customers', 'projects', 'billing_syncs', 'consumption_records', 'users', 'flow_runs'];
  const sql = `SELECT ${tables.map((t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x)`).join(" || ':' || ")} AS f`;
  return (await gw.t.db.prisma.$queryRawUnsafe<{ f: string }[]>(sql))[0]!.f;
}

beforeAll(async () => {
  gw = await startTestGateway('pglite', companiesFixture(3, '2026-10'), { cacheTtlMs: 60_000 });
  http = await listen(gw.server);
  offeringUuid = await createOffering(gw, 'Arrow');
  settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
  companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid });
});
afterAll(async () => {
  await http.close();
  await gw.close();
});

const uuidish = () => fc.oneof(fc.uuid(), fc.constantFrom(...[settingsUuid, offeringUuid, ...companies.flatMap((c) => [c.customerUuid, c.projectUuid, c.mappingUuid!, ...c.resourceUuids])]), fc.string());
const anyValue = () =>
  fc.oneof(
    { weight: 3, arbitrary: uuidish() },
    { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
    fc.constantFrom('XSP500000', 'XSP700001', '', ' ', 'https://x/api/customers/00000000-0000-4000-8000-000000000000/', 'true', '2026-13'),
    fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  );
const bodyOf = (keys: string[]) => fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), anyValue(), { maxKeys: 6 });

/** A refusal must say why: DRF-style detail/error, or per-field messages. */
function explains(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  return Object.values(body as Record<string, unknown>).some((v) => (typeof v === 'string' && v.length > 0) || (Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'string' && m.length > 0)));
}

async function send(method: string, path: string, body?: string) {
  const before = await fingerprint();
  const res = await fetch(http.base + path, { method, headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  expect(res.status, `${method} ${path} ${body} → ${text}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(explains(JSON.parse(text)), `${method} ${path} ${body} → ${text}`).toBe(true);
    expect(await fingerprint(), `${method} ${path} ${body} changed the database`).toBe(before);
  }
}

describe('property-based fuzzing', () => {
  it(`REST bodies (${RUNS.restBodies} cases)`, async () => {
    const mapping = () => fc.constantFrom(...companies.map((c) => c.mappingUuid!), '00000000-0000-4000-8000-000000000000', 'not-a-uuid');
    const request = fc.oneof(
      fc.record({ method: fc.constant('POST'), path: fc.constant(`${M}/`), body: bodyOf(['settings', 'arrow_reference', 'arrow_company_name', 'waldur_customer', 'is_active']) }),
      fc.record({ method: fc.constantFrom('PUT', 'PATCH'), path: mapping().map((u) => `${M}/${u}/`), body: bodyOf(['settings', 'arrow_reference', 'arrow_company_name', 'waldur_customer', 'is_active']) }),
      fc.record({ method: fc.constant('POST'), path: mapping().map((u) => `${M}/${u}/link_resource/`), body: bodyOf(['resource_uuid', 'license_reference', 'move']) }),
      fc.record({ method: fc.constant('POST'), path: mapping().map((u) => `${M}/${u}/import_license/`), body: bodyOf(['license_reference', 'license_name', 'offering_uuid', 'project_uuid']) }),
      fc.record({ method: fc.constant('POST'), path: fc.constant(`${M}/sync_from_arrow/`), body: bodyOf(['settings_uuid']) }),
    );
    const raw = fc.oneof({ weight: 9, arbitrary: request.map((r) => ({ ...r, text: JSON.stringify(r.body) })) }, { weight: 1, arbitrary: fc.record({ method: fc.constant('POST'), path: fc.constant(`${M}/`), text: fc.string() }) });
    await fc.assert(fc.asyncProperty(raw, (r) => send(r.method, r.path, r.text)), { numRuns: RUNS.restBodies, seed });
  }, 600_000);

  it(`REST paths (${RUNS.paths} cases)`, async () => {
    const segment = fc.oneof(fc.constantFrom('%E0%A4%A', '%', '%%', '..', '%2F', '00000000-0000-4000-8000-000000000000', companies[0]!.mappingUuid!), fc.string().map(encodeURIComponent), fc.uuid());
    const action = fc.constantFrom('', 'billing_summary/', 'discover_licenses/', 'fetch_arrow_data/', 'link_resource/', 'import_license/', 'nope/');
    const method = fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'POST');
    await fc.assert(fc.asyncProperty(method, segment, action, (m, seg, act) => send(m, `${M}/${seg}/${act}`, m === 'GET' || m === 'DELETE' ? undefined : '{}')), { numRuns: RUNS.paths, seed });
  }, 600_000);

  it(`REST query strings (${RUNS.queryStrings} cases)`, async () => {
    const query = fc.dictionary(fc.constantFrom('page', 'page_size', 'settings', 'settings_uuid', 'waldur_customer', 'waldur_customer_uuid', 'arrow_reference', 'arrow_company_name', 'is_active', 'period', 'x'), fc.oneof(fc.string(), uuidish(), fc.integer().map(String)), { maxKeys: 4 });
    const path = fc.constantFrom(`${M}/`, `${M}/available_customers/`, `${M}/${companies[0]!.mappingUuid}/fetch_arrow_data/`, `${M}/${companies[0]!.mappingUuid}/billing_summary/`);
    await fc.assert(fc.asyncProperty(path, query, (p, q) => send('GET', `${p}?${new URLSearchParams(q as Record<string, string>)}`)), { numRuns: RUNS.queryStrings, seed });
  }, 600_000);

  it(`GraphQL variables (${RUNS.graphqlVariables} cases)`, async () => {
    const ERR = '... on Error { __typename message }';
    const docs = [
      { query: `mutation($input: CreateCustomerMappingInput!) { createCustomerMapping(input: $input) { ${ERR} } }`, vars: fc.record({ input: bodyOf(['settingsUuid', 'arrowReference', 'arrowCompanyName', 'waldurCustomerUuid', 'isActive']) }) },
      { query: `mutation($uuid: UUID!, $input: UpdateCustomerMappingInput!) { updateCustomerMapping(uuid: $uuid, input: $input) { ${ERR} } }`, vars: fc.record({ uuid: uuidish(), input: bodyOf(['settingsUuid', 'arrowReference', 'isActive', 'waldurCustomerUuid']) }) },
      { query: `mutation($m: UUID!, $r: UUID!, $l: String!, $move: Boolean) { linkResource(mappingUuid: $m, resourceUuid: $r, licenseReference: $l, move: $move) { ${ERR} } }`, vars: fc.record({ m: uuidish(), r: uuidish(), l: anyValue(), move: anyValue() }) },
      { query: `mutation($m: UUID!, $l: String!, $o: UUID!, $p: UUID!, $n: String) { importLicense(mappingUuid: $m, licenseReference: $l, offeringUuid: $o, projectUuid: $p, licenseName: $n) { ${ERR} } }`, vars: fc.record({ m: uuidish(), l: anyValue(), o: uuidish(), p: uuidish(), n: anyValue() }) },
      { query: `mutation($m: UUID!, $c: Float!) { applyLicenseSuggestions(mappingUuid: $m, minConfidence: $c) { ${ERR} } }`, vars: fc.record({ m: uuidish(), c: fc.oneof(fc.double(), fc.string()) }) },
      { query: `query($id: ID!) { node(id: $id) { __typename } }`, vars: fc.record({ id: fc.oneof(fc.string(), fc.tuple(fc.constantFrom('CustomerMapping', 'Resource', 'FlowRun', 'User', ''), fc.oneof(fc.string(), uuidish())).map(([t, k]) => Buffer.from(`${t}:${k}`).toString('base64'))) }) },
      { query: `query($f: Int!, $p: String, $c: ConsumptionSource!, $filter: CustomerMappingFilter) { customerMappings(first: $f, filter: $filter) { totalCount edges { node { arrowData(period: $p, consumption: $c) { period consumptionLines { error } } } } } }`, vars: fc.record({ f: fc.oneof(fc.integer(), fc.string()), p: anyValue(), c: fc.oneof(fc.constantFrom('SYNCED', 'LIVE'), anyValue()), filter: bodyOf(['settingsUuid', 'arrowReference', 'isActive']) }) },
    ];
    const arb = fc.nat({ max: docs.length - 1 }).chain((i) => docs[i]!.vars.map((vars) => ({ query: docs[i]!.query, vars })));
    await fc.assert(
      fc.asyncProperty(arb, async ({ query, vars }) => {
        const before = await fingerprint();
        const res = await fetch(`${http.base}/graphql`, { method: 'POST', headers: { authorization: `Token ${gw.staffToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: vars }) });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        const body = JSON.parse(text);
        const codes = (body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
        expect(codes, text).not.toContain('INTERNAL_SERVER_ERROR');
        for (const e of body.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
        const payload = body.data && Object.values(body.data)[0];
        const typedError = ['NotFoundError', 'ValidationError', 'ConflictError', 'ArrowUnavailableError'].includes(payload?.__typename);
        if (body.errors || typedError) {
          if (typedError) expect(payload.message.length).toBeGreaterThan(0);
          expect(await fingerprint(), `${query} ${JSON.stringify(vars)} changed the database`).toBe(before);
        }
      }),
      { numRuns: RUNS.graphqlVariables, seed },
    );
  }, 600_000);
});
