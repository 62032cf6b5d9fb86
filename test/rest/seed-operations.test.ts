import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies, type SeededCompany, createOffering } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';
import { listen } from '../support/http.js';

const period = new Date().toISOString().slice(0, 7);
type Kind = 'uuid' | 'uri' | 'string' | 'boolean' | 'date-time' | 'date' | 'decimal' | 'integer' | 'number' | 'array' | 'object';

/** The seed's response tables (../shared/seed/admin-arrow-customer-mappings.md), field by field. */
const MAPPING: Record<string, Kind> = {
  uuid: 'uuid', url: 'uri', settings: 'uri', settings_uuid: 'uuid', arrow_reference: 'string', arrow_company_name: 'string',
  waldur_customer: 'uri', waldur_customer_uuid: 'uuid', waldur_customer_name: 'string', is_active: 'boolean', created: 'date-time', modified: 'date-time',
};
const CREATED: Record<string, Kind> = { ...MAPPING, settings: 'uuid', waldur_customer: 'uuid' };
const ARROW_CUSTOMER: Record<string, Kind> = { reference: 'string', companyName: 'string', email: 'string', city: 'string', countryCode: 'string' };
const WALDUR_CUSTOMER: Record<string, Kind> = { uuid: 'uuid', name: 'string', abbreviation: 'string' };
const AVAILABLE: Record<string, Kind> = { settings_uuid: 'uuid', arrow_customers: 'array', waldur_customers: 'array', suggestions: 'array' };
const SUGGESTION: Record<string, Kind> = { arrow_customer: 'object', suggested_waldur_customer: 'object', confidence: 'number', existing_mapping: 'boolean' };
const SUMMARY: Record<string, Kind> = {
  customer_mapping_uuid: 'uuid', arrow_reference: 'string', arrow_company_name: 'string', waldur_customer_uuid: 'uuid', waldur_customer_name: 'string',
  total_consumption_records: 'integer', total_consumed_sell: 'decimal', total_final_sell: 'decimal', pending_records: 'integer', finalized_records: 'integer',
  reconciled_records: 'integer', total_billing_syncs: 'integer', total_billing_sell: 'decimal', recent_consumption_records: 'array', recent_billing_syncs: 'array',
};
const RECENT_RECORD: Record<string, Kind> = { uuid: 'uuid', license_reference: 'string', resource_name: 'string', billing_period: 'date', consumed_sell: 'decimal', final_sell: 'decimal', is_finalized: 'boolean', is_reconciled: 'boolean' };
const RECENT_SYNC: Record<string, Kind> = { uuid: 'uuid', report_period: 'string', state: 'string', sell_total: 'decimal', items_count: 'integer', created: 'date-time' };
const DISCOVERY: Record<string, Kind> = { customer_mapping_uuid: 'uuid', arrow_reference: 'string', waldur_customer_name: 'string', arrow_licenses: 'array', waldur_resources: 'array', suggestions: 'array', error: 'string' };
const LICENSE: Record<string, Kind> = { license_reference: 'string', vendor_name: 'string', offer_name: 'string', offer_sku: 'string', friendly_name: 'string' };
const RESOURCE: Record<string, Kind> = { uuid: 'uuid', name: 'string', backend_id: 'string', project_name: 'string', offering_name: 'string', state: 'string' };
const LICENSE_SUGGESTION: Record<string, Kind> = { resource_uuid: 'uuid', resource_name: 'string', license_reference: 'string', license_name: 'string', confidence: 'number' };
const ARROW_DATA: Record<string, Kind> = {
  customer_mapping_uuid: 'uuid', arrow_reference: 'string', arrow_company_name: 'string', waldur_customer_name: 'string', period: 'string', billing_available: 'boolean',
  billing_lines: 'array', billing_total_sell: 'decimal', billing_total_buy: 'decimal', consumption_lines: 'array', consumption_total_sell: 'decimal', consumption_total_buy: 'decimal',
  total_customer_resources: 'integer', resources_with_backend_id: 'integer', matched_resources: 'integer', error: 'string',
};
const BILLING_LINE: Record<string, Kind> = { vendor_name: 'string', subscription_reference: 'string', license_reference: 'string', offer_sku: 'string', classification: 'string', quantity: 'decimal', sell_price: 'decimal', buy_price: 'decimal' };
const CONSUMPTION_LINE: Record<string, Kind> = { license_reference: 'string', resource_name: 'string', resource_uuid: 'string', period: 'string', sell_price: 'decimal', buy_price: 'decimal', error: 'string' };
const IMPORTED: Record<string, Kind> = { resource_uuid: 'uuid', resource_name: 'string', license_reference: 'string', offering_name: 'string', project_name: 'string', success: 'boolean' };
const LINKED: Record<string, Kind> = { resource_uuid: 'uuid', resource_name: 'string', license_reference: 'string', previous_backend_id: 'string', success: 'boolean' };

function checkValue(kind: Kind, v: unknown, where: string) {
  const ok: Record<Kind, (x: unknown) => boolean> = {
    uuid: (x) => typeof x === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(x),
    uri: (x) => typeof x === 'string' && /^https?:\/\/[^/]+\/api\/.+\/$/.test(x),
    string: (x) => typeof x === 'string',
    boolean: (x) => typeof x === 'boolean',
    'date-time': (x) => typeof x === 'string' && !Number.isNaN(Date.parse(x)) && /T/.test(x),
    date: (x) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x),
    decimal: (x) => typeof x === 'string' && /^-?\d+\.\d{2}$/.test(x),
    integer: (x) => Number.isInteger(x),
    number: (x) => typeof x === 'number',
    array: Array.isArray,
    object: (x) => typeof x === 'object' && !Array.isArray(x),
  };
  expect(v === null || ok[kind](v), `${where}: ${JSON.stringify(v)} is not ${kind}`).toBe(true);
}

/** Exactly the table's fields, each of its type (null allowed where the seed's data may be absent). */
function expectShape(body: any, shape: Record<string, Kind>, where = 'body', nullable: string[] = []) {
  expect(Object.keys(body).sort(), where).toEqual(Object.keys(shape).sort());
  for (const [k, kind] of Object.entries(shape)) {
    if (body[k] === null) expect(nullable.includes(k), `${where}.${k} is null`).toBe(true);
    else checkValue(kind, body[k], `${where}.${k}`);
  }
}

describe.each(databaseKinds)("the seed's 13 HTTPie examples against the REST API (%s)", (kind) => {
  let gw: TestGateway;
  let http: Awaited<ReturnType<typeof listen>>;
  let companies: SeededCompany[];
  let settingsUuid: string;
  let offeringUuid: string;
  const call = async (method: string, path: string, body?: unknown, token: string | null = gw.staffToken) => {
    const res = await fetch(http.base + path, {
      method,
      headers: { ...(token ? { authorization: `Token ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const M = '/api/admin/arrow/customer-mappings';

  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(4, period), { cacheTtlMs: 0 });
    http = await listen(gw.server);
    offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 4, settingsUuid, offeringUuid, mapped: 2 });
    const c = companies[0]!;
    await gw.t.db.prisma.consumptionRecord.create({ data: { resourceUuid: c.resourceUuids[0]!, licenseReference: 'XSP700000', billingPeriod: new Date('2026-09-01'), consumedSell: '10.5', finalSell: '10.25', finalizedAt: new Date() } });
    await gw.t.db.prisma.billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'S', reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '300' } });
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it('GET customer-mappings/ lists mappings', async () => {
    const r = await call('GET', `${M}/`);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(2);
    r.body.forEach((m: unknown, i: number) => expectShape(m, MAPPING, `[${i}]`));
    expect(r.headers.get('x-result-count')).toBe('2');
  });

  it('GET customer-mappings/{uuid}/ retrieves one', async () => {
    const r = await call('GET', `${M}/${companies[0]!.mappingUuid}/`);
    expect(r.status).toBe(200);
    expectShape(r.body, MAPPING);
    expect(r.body.arrow_reference).toBe('XSP500000');
    expect((await call('GET', `${M}/${companies[0]!.customerUuid}/`)).body).toEqual({ detail: 'Not found.' });
  });

  it('GET available_customers/ lists unmapped Arrow customers with suggestions', async () => {
    const r = await call('GET', `${M}/available_customers/`);
    expect(r.status).toBe(200);
    expectShape(r.body, AVAILABLE);
    r.body.arrow_customers.forEach((c: unknown) => expectShape(c, ARROW_CUSTOMER, 'arrow_customers'));
    r.body.waldur_customers.forEach((c: unknown) => expectShape(c, WALDUR_CUSTOMER, 'waldur_customers'));
    for (const s of r.body.suggestions) {
      expectShape(s, SUGGESTION, 'suggestion', ['suggested_waldur_customer']);
      expectShape(s.arrow_customer, ARROW_CUSTOMER, 'suggestion.arrow_customer');
      expectShape(s.suggested_waldur_customer, WALDUR_CUSTOMER, 'suggestion.suggested_waldur_customer');
    }
    expect(r.body.suggestions.map((s: any) => [s.arrow_customer.reference, s.suggested_waldur_customer.name])).toEqual([['XSP500002', 'Company 2'], ['XSP500003', 'Company 3']]);
    gw.sim.setFaults({ errorRate: 1 });
    try {
      const failed = await call('GET', `${M}/available_customers/`);
      expect(failed.status).toBe(400);
      expect(failed.body.detail).toMatch(/^Arrow customers failed \(HTTP 50[03]\)/);
    } finally {
      gw.sim.setFaults({});
    }
  });

  it('GET {uuid}/billing_summary/ sums records and syncs', async () => {
    const r = await call('GET', `${M}/${companies[0]!.mappingUuid}/billing_summary/`);
    expect(r.status).toBe(200);
    expectShape(r.body, SUMMARY);
    expectShape(r.body.recent_consumption_records[0], RECENT_RECORD, 'recent_consumption_records');
    expectShape(r.body.recent_billing_syncs[0], RECENT_SYNC, 'recent_billing_syncs');
    expect(r.body).toMatchObject({ total_consumed_sell: '10.50', total_final_sell: '10.25', total_billing_sell: '300.00', pending_records: 0, finalized_records: 1 });
    const empty = await call('GET', `${M}/${companies[1]!.mappingUuid}/billing_summary/`);
    expectShape(empty.body, SUMMARY, 'empty', ['total_final_sell', 'total_billing_sell']);
    expect(empty.body).toMatchObject({ total_final_sell: null, total_billing_sell: null, total_consumed_sell: '0.00' });
  });

  it('GET {uuid}/discover_licenses/ shows licences, resources and suggestions', async () => {
    const r = await call('GET', `${M}/${companies[0]!.mappingUuid}/discover_licenses/`);
    expect(r.status).toBe(200);
    expectShape(r.body, DISCOVERY, 'body', ['error']);
    r.body.arrow_licenses.forEach((l: unknown) => expectShape(l, LICENSE, 'arrow_licenses'));
    r.body.waldur_resources.forEach((x: unknown) => expectShape(x, RESOURCE, 'waldur_resources'));
    r.body.suggestions.forEach((s: unknown) => expectShape(s, LICENSE_SUGGESTION, 'suggestions'));
    expect(r.body.suggestions).toHaveLength(1);
  });

  it('GET {uuid}/fetch_arrow_data/ reads this month from Arrow', async () => {
    const r = await call('GET', `${M}/${companies[0]!.mappingUuid}/fetch_arrow_data/`);
    expect(r.status).toBe(200);
    expectShape(r.body, ARROW_DATA, 'body', ['error']);
    expect(r.body.period).toBe(period);
    r.body.billing_lines.forEach((l: unknown) => expectShape(l, BILLING_LINE, 'billing_lines'));
    r.body.consumption_lines.forEach((l: unknown) => expectShape(l, CONSUMPTION_LINE, 'consumption_lines', ['error']));
    expect(r.body).toMatchObject({ billing_total_sell: '31.00', consumption_total_sell: '15.50', matched_resources: 1 });
  });

  it('POST {uuid}/import_license/ creates the resource', async () => {
    const c = companies[1]!;
    const r = await call('POST', `${M}/${c.mappingUuid}/import_license/`, { license_reference: 'XSP700011', offering_uuid: offeringUuid, project_uuid: c.projectUuid });
    expect(r.status).toBe(200);
    expectShape(r.body, IMPORTED);
    expect(r.body).toMatchObject({ resource_name: 'XSP700011', license_reference: 'XSP700011', offering_name: 'Arrow licences', project_name: 'Project 1', success: true });
    const again = await call('POST', `${M}/${c.mappingUuid}/import_license/`, { license_reference: 'XSP700011', offering_uuid: offeringUuid, project_uuid: c.projectUuid });
    expect(again).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^License XSP700011 has already been imported: it backs resource /) } });
    const noOffering = await call('POST', `${M}/${c.mappingUuid}/import_license/`, { license_reference: 'N', offering_uuid: c.projectUuid, project_uuid: c.projectUuid });
    expect(noOffering).toMatchObject({ status: 404, body: { error: `Offering ${c.projectUuid} not found` } });
    expect(await call('POST', `${M}/${c.mappingUuid}/import_license/`, {})).toMatchObject({ status: 400, body: { license_reference: ['This field is required.'], offering_uuid: ['This field is required.'], project_uuid: ['This field is required.'] } });
  });

  it('POST {uuid}/link_resource/ sets backend_id', async () => {
    const c = companies[0]!;
    const r = await call('POST', `${M}/${c.mappingUuid}/link_resource/`, { resource_uuid: c.resourceUuids[1], license_reference: 'XSP700001' });
    expect(r.status).toBe(200);
    expectShape(r.body, LINKED);
    expect(r.body).toMatchObject({ previous_backend_id: '', license_reference: 'XSP700001', success: true });
    const foreign = await call('POST', `${M}/${c.mappingUuid}/link_resource/`, { resource_uuid: companies[1]!.resourceUuids[1], license_reference: 'X' });
    expect(foreign).toEqual({ status: 404, headers: foreign.headers, body: { error: `Resource ${companies[1]!.resourceUuids[1]} not found for this customer` } });
    const taken = await call('POST', `${M}/${c.mappingUuid}/link_resource/`, { resource_uuid: c.resourceUuids[1], license_reference: 'XSP700000' });
    // the same status as import_license's "already imported" and a duplicate mapping: Waldur's 400
    expect(taken).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^License XSP700000 is already linked to resource /) } });
  });

  it('POST sync_from_arrow/ renames mappings to Arrow\'s names', async () => {
    await gw.t.db.prisma.customerMapping.update({ where: { uuid: companies[0]!.mappingUuid }, data: { arrowCompanyName: 'Stale' } });
    const r = await call('POST', `${M}/sync_from_arrow/`);
    expect(r).toMatchObject({ status: 200, body: { updated: 1 } });
    gw.sim.setFaults({ errorRate: 1 });
    try {
      const failed = await call('POST', `${M}/sync_from_arrow/`, { settings_uuid: settingsUuid });
      expect(failed.status).toBe(400);
      expect(failed.body.error).toMatch(/^Arrow customers failed/);
    } finally {
      gw.sim.setFaults({});
    }
  });

  it('POST customer-mappings/ creates (201, settings and waldur_customer as UUIDs), PUT and PATCH update, DELETE deletes (204)', async () => {
    const c = companies[2]!;
    const created = await call('POST', `${M}/`, { settings: settingsUuid, arrow_reference: c.arrowReference, waldur_customer: c.customerUuid });
    expect(created.status).toBe(201);
    expectShape(created.body, CREATED);
    const uuid = created.body.uuid;
    const dup = await call('POST', `${M}/`, { settings: settingsUuid, arrow_reference: c.arrowReference, waldur_customer: c.customerUuid });
    expect(dup).toMatchObject({ status: 400, body: { non_field_errors: ['The fields settings, arrow_reference must make a unique set.'] } });

    const put = await call('PUT', `${M}/${uuid}/`, { settings: created.body.url.replace(/customer-mappings\/.*/, `settings/${settingsUuid}/`), arrow_reference: 'XSP500002', arrow_company_name: 'Company 2 GmbH', waldur_customer: `${http.base}/api/customers/${companies[3]!.customerUuid}/` });
    expect(put.status).toBe(200);
    expectShape(put.body, MAPPING);
    expect(put.body).toMatchObject({ arrow_company_name: 'Company 2 GmbH', waldur_customer_uuid: companies[3]!.customerUuid });
    expect((await call('PUT', `${M}/${uuid}/`, { arrow_reference: 'X' })).body).toEqual({ settings: ['This field is required.'], waldur_customer: ['This field is required.'] });

    const patch = await call('PATCH', `${M}/${uuid}/`, { is_active: false });
    expect(patch.status).toBe(200);
    expectShape(patch.body, MAPPING);
    expect(patch.body).toMatchObject({ is_active: false, arrow_company_name: 'Company 2 GmbH' });

    const del = await call('DELETE', `${M}/${uuid}/`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await call('DELETE', `${M}/${uuid}/`)).status).toBe(404);
  });

  it('answers 401 without a token, for an unknown token, and 403 for a non-staff user', async () => {
    expect(await call('GET', `${M}/`, undefined, null)).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
    expect(await call('GET', `${M}/`, undefined, 'a'.repeat(40))).toMatchObject({ status: 401, body: { detail: 'Invalid token.' } });
    expect(await call('POST', `${M}/sync_from_arrow/`, undefined, gw.userToken)).toMatchObject({ status: 403, body: { detail: 'You do not have permission to perform this action.' } });
  });

  it('refuses a body that is not JSON or too large with 400/413, and works without the trailing slash', async () => {
    expect(await call('POST', `${M}/`, '{not json')).toMatchObject({ status: 400 });
    expect(await call('POST', `${M}/`, '[1,2]')).toMatchObject({ status: 400, body: { non_field_errors: ['Invalid data. Expected a dictionary.'] } });
    expect((await call('POST', `${M}/`, JSON.stringify({ arrow_reference: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
    expect((await call('GET', M)).status).toBe(200);
    expect((await call('GET', `${M}/${companies[0]!.mappingUuid}`)).status).toBe(200);
  });
});
