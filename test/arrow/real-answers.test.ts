import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrowApiError, ArrowClient } from '../../src/arrow/client.js';
import { startArrowSimulator, type RunningSimulator } from '../../src/arrow-sim/server.js';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';
import { ConsumptionNotReady, consumptionTotals } from '../../src/domain/arrow-data.js';
import { listen } from '../support/http.js';

/** An answer transcribed from the official clients' tests (or named production code); `source` says where. */
interface RealAnswer {
  source: string;
  request: { method: string; path: string };
  status?: number;
  response: any;
}

const answers: Record<string, RealAnswer> = Object.fromEntries(
  fs.readdirSync('test/fixtures/arrow-real').map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(`test/fixtures/arrow-real/${f}`, 'utf8')) as RealAnswer]),
);
const real = (name: string) => answers[name]!.response;

/** Every call the gateway makes, as one client would: against the replayed answers or the simulator. */
async function everyCall(client: ArrowClient) {
  const error = (await client.getCustomer('XSP000000').then(() => new ArrowApiError('customer', 200, 'found'), (e: unknown) => e)) as ArrowApiError;
  return {
    customers: await client.listCustomers(),
    found: await client.findLicenses(['XSP123456789', 'XSP123456786']),
    customerLicences: await client.customerLicenses('customer_ref'),
    exportTypes: await client.exportTypes(),
    programs: await client.programs('SAAS'),
    billing: await client.billingExport({ exportTypeReference: 'export-type-reference1', from: '2021-10', to: '2021-10' }),
    consumption: await client.monthlyConsumption('XSP987654321', '2021-10'),
    notAggregated: await client.monthlyConsumption('XSP987654322', '2026-11'),
    error: { name: error.name, status: error.status, endpoint: error.endpoint },
  };
}

/** The simulator's fixture holding the same data as the replayed answers. */
function fixtureFromRealAnswers(): ArrowFixture {
  const rows = (headers: string[], values: unknown[][]) => values.map((v) => Object.fromEntries(headers.map((h, i) => [h, v[i] as string])));
  const single = real('customer-licenses').data.licenses[0];
  return {
    apiKey: 'k',
    partner: { reference: 'XSP12345', companyName: 'My reseller' },
    customers: [...real('customers').data.customers, { Reference: 'customer_ref', CompanyName: 'From the single-licence mock' }],
    licenses: [
      ...real('licenses-find').results.map(({ license: l }: any) => ({
        license_id: l.partner_ref, id: l.id, friendlyName: l.friendly_name, customer_ref: l.customer_ref, service_ref: l.service_ref,
        vendor_code: l.vendor_code, name: l.offer, sku: l.sku, state: l.status_label, seats: l.seat,
      })),
      { license_id: single.license_id, friendlyName: single.friendlyName, customer_ref: single.customer_ref, service_ref: single.service_ref, vendor_code: single.vendor_code, name: single.name, sku: single.sku, state: single.state, seats: single.seats },
    ],
    programs: { SAAS: real('catalog-programs').data.map((p: { reference: string; name: string }) => ({ reference: p.reference, name: p.name })) },
    exportTypes: Object.entries(real('export-types').data.exportTypes).map(([reference, name]) => ({ reference, name: name as string })),
    billing: { '2021-10': rows(real('billing-export').data.headers, real('billing-export').data.values) },
    consumption: {
      XSP987654321: { '2021-10': rows(real('consumption-monthly').data.headers, real('consumption-monthly').data.lines) },
      XSP987654322: { '2026-11': rows(real('consumption-not-aggregated').data.headers, real('consumption-not-aggregated').data.lines) },
    },
  };
}

/** Rows compared on the columns the real answer has (the simulator adds its usual ones, empty). */
const onColumns = (rows: Record<string, string>[], headers: string[]) => rows.map((r) => Object.fromEntries(headers.map((h) => [h, r[h]])));

describe('the ArrowSphere client against answers from the official clients (not our simulator)', () => {
  let server: { base: string; close(): Promise<void> };
  let replayed: Awaited<ReturnType<typeof everyCall>>;
  beforeAll(async () => {
    server = await listen(
      http.createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api/, '');
        const hit = Object.values(answers).find((a) => a.request.method === req.method && a.request.path === path);
        res.writeHead(hit ? (hit.status ?? 200) : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(hit ? hit.response : { status: 404, error: 'Not Found', messages: [`no fixture for ${req.method} ${path}`] }));
      }),
    );
    replayed = await everyCall(new ArrowClient({ apiUrl: `${server.base}/api/`, apiKey: 'k', timeoutMs: 2000, retries: 0 }));
  });
  afterAll(() => server.close());

  it('names the source of every fixture', () => {
    for (const [name, a] of Object.entries(answers)) expect(a.source, name).toMatch(/\w+\/[\w.-]+ .+/);
  });

  it('reads customers (PascalCase, total_page)', () => {
    expect(replayed.customers).toEqual([
      { reference: 'XSP12345', companyName: 'Wayne industries', internalReference: 'COMPANY12345', email: 'nobody@example.com', city: 'Gotham City', countryCode: 'US' },
      { reference: 'XSP12346', companyName: 'Central City Police Department', internalReference: 'COMPANY12346', email: 'nobody@example.com', city: 'Central City', countryCode: 'US' },
    ]);
  });

  it('reads find results: partner_ref is the licence, the vendor is vendor_name, never service_ref', () => {
    expect(replayed.found).toEqual([
      { licenseReference: 'XSP987654321', friendlyName: 'XSP12345|MS-0B-O365-ENTERPRIS|XSP555555|XSP987654321', customerReference: 'XSP123456789', vendorName: 'Microsoft', offerName: 'Office 365 E3', offerSku: 'ABCDABCD-1234-5678-9876-ABCDEFABCDEF', state: 'activation_ok', seats: 6 },
      { licenseReference: 'XSP987654322', friendlyName: 'XSP12346|MS-0B-O365-ENTERPRIS|XSP555555|XSP987654322', customerReference: 'XSP123456786', vendorName: 'Microsoft', offerName: 'Office 365 E5', offerSku: 'ABCDABCD-1234-5678-9876-ABCDEFABCCCC', state: 'activation_ok', seats: 8 },
    ]);
  });

  it("reads a customer's licences in the single-licence shape, the vendor from vendor_code", () => {
    expect(replayed.customerLicences).toEqual([{ licenseReference: '123456', friendlyName: 'friendly_name', customerReference: 'customer_ref', vendorName: 'Microsoft', offerName: 'name', offerSku: 'sku', state: 'state', seats: 10 }]);
  });

  it('reads export types given as a map, and a billing export in its own envelope', () => {
    expect(replayed.exportTypes).toEqual([{ reference: 'export-type-reference1', name: 'Standard' }, { reference: 'export-type-reference2', name: 'Light' }]);
    expect(replayed.billing.rows).toHaveLength(1);
    expect(replayed.billing.rows[0]).toMatchObject({ 'End User Company ID': 'XSP123456789', 'Customer Total Price': '15', 'Total Wholesale Price': '10', 'ARS Subscription ID': 'XSP987654321' });
  });

  it('reads consumption lines, and knows a "null" price means Arrow is not done, not 0', () => {
    expect(replayed.consumption.lines[0]).toMatchObject({ 'Report Period': '2021-10', 'Vendor Product Name': 'Microsoft', UOM: '7756-ADEF-84F4' });
    expect(() => consumptionTotals(replayed.notAggregated.lines)).toThrow(ConsumptionNotReady);
    expect(() => consumptionTotals(replayed.notAggregated.lines)).toThrow('Arrow has not aggregated this month yet ("Total sell price" is "null")');
  });

  it("reads a category's programs (its vendors)", () => {
    expect(replayed.programs).toEqual([{ reference: 'ibm', name: 'IBM Corp.' }, { reference: 'microsoft', name: 'Microsoft' }]);
  });

  it('reads an error whose messages is a string', () => {
    expect(replayed.error).toEqual({ name: 'ArrowApiError', status: 404, endpoint: 'customer' });
  });

  describe('the simulator, holding the same data, answers the same calls with the same results', () => {
    let sim: RunningSimulator;
    let simulated: Awaited<ReturnType<typeof everyCall>>;
    beforeAll(async () => {
      sim = await startArrowSimulator(fixtureFromRealAnswers());
      simulated = await everyCall(new ArrowClient({ apiUrl: sim.apiUrl, apiKey: 'k', timeoutMs: 2000, retries: 0 }));
    });
    afterAll(() => sim.close());

    it('field by field', () => {
      expect(simulated.customers).toEqual([...replayed.customers, expect.objectContaining({ reference: 'customer_ref' })]);
      expect(simulated.found).toEqual(replayed.found);
      expect(simulated.customerLicences).toEqual(replayed.customerLicences);
      expect(simulated.exportTypes).toEqual(replayed.exportTypes);
      expect(simulated.programs).toEqual(replayed.programs);
      expect(onColumns(simulated.billing.rows, replayed.billing.headers)).toEqual(replayed.billing.rows);
      expect(onColumns(simulated.consumption.lines, replayed.consumption.headers)).toEqual(replayed.consumption.lines);
      expect(onColumns(simulated.notAggregated.lines, replayed.notAggregated.headers)).toEqual(replayed.notAggregated.lines);
      expect(simulated.error).toEqual(replayed.error);
    });
  });
});
