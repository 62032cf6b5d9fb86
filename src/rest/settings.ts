import { deleteSettings, discoverCustomers, getSettings, previewSettings, saveSettings, updateSettings, createSettings, validateCredentials, type SettingsInput } from '../domain/settings.js';
import { RestError } from './http.js';
import { unbilledCharges } from '../domain/unbilled-charges.js';
import { BodyReader, QueryReader } from './input.js';
import { paginated } from './pagination.js';
import type { Route } from './router.js';
import { customerDiscoveryJson, settingsJson } from './serializers.js';

const BASE = '/api/admin/arrow/settings';
const PRICE_SOURCES = ['sell', 'buy'] as const;
/** Beyond Waldur's serializer: how Arrow's money reaches Waldur's invoices (README "Billing in Waldur"). */
const WALDUR_BILLING = ['off', 'invoice_items', 'component_usage'] as const;

/** The settings' fields as Waldur's serializer takes them; `partial` for PATCH. */
function settingsBody(b: BodyReader, { apiUrlRequired, apiKeyRequired }: { apiUrlRequired: boolean; apiKeyRequired: boolean }): Partial<SettingsInput> {
  const source = b.string('invoice_price_source');
  if (source !== undefined && !PRICE_SOURCES.includes(source as 'sell')) b.errors.invoice_price_source = [`"${source}" is not a valid choice.`];
  const billing = b.string('waldur_billing');
  if (billing !== undefined && !WALDUR_BILLING.includes(billing as 'off')) b.errors.waldur_billing = [`"${billing}" is not a valid choice.`];
  const input = {
    apiUrl: b.string('api_url', { required: apiUrlRequired }),
    apiKey: b.string('api_key', { required: apiKeyRequired }),
    exportTypeReference: b.string('export_type_reference'),
    classificationFilter: b.string('classification_filter'),
    isActive: b.boolean('is_active'),
    syncEnabled: b.boolean('sync_enabled'),
    invoicePriceSource: source as 'sell' | 'buy' | undefined,
    invoiceItemPrefix: b.string('invoice_item_prefix'),
    waldurBilling: billing?.toUpperCase() as SettingsInput['waldurBilling'],
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<SettingsInput>;
}

/** api_url and api_key, both required (the actions that try credentials before anything is saved). */
function credentialsBody(b: BodyReader) {
  const apiUrl = b.string('api_url', { required: true });
  const apiKey = b.string('api_key', { required: true });
  return { apiUrl: apiUrl!, apiKey: apiKey! };
}

export const settingsRoutes: Route[] = [
  {
    // beyond Waldur's Arrow module: the month's Arrow money that reaches no Waldur invoice, by cause
    method: 'GET',
    path: `${BASE}/:uuid/unbilled_charges/`,
    async handle(r, deps) {
      const period = r.query.get('period');
      if (!period) throw new RestError(400, { period: ['This field is required.'] });
      const u = await unbilledCharges({ db: deps.db, arrow: deps.arrow }, r.params.uuid!, period);
      const money = (d: { toFixed(n: number): string }) => d.toFixed(2);
      return {
        status: 200,
        body: {
          period: u.period,
          settings_uuid: u.settingsUuid,
          export_lines: u.exportLines,
          export_total: money(u.exportTotal),
          invoiced_total: money(u.invoicedTotal),
          unbilled_total: money(u.unbilledTotal),
          causes: u.causes.map((c) => ({ cause: c.cause.toLowerCase(), lines: c.lines, amount: money(c.amount), examples: c.examples })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/`,
    async handle(r, deps) {
      const q = new QueryReader(r.query);
      const { isActive, syncEnabled } = q.done({ isActive: q.boolean('is_active'), syncEnabled: q.boolean('sync_enabled') });
      const where = { ...(isActive !== undefined ? { isActive } : {}), ...(syncEnabled !== undefined ? { syncEnabled } : {}) };
      return paginated(
        r,
        async ({ offset, limit }) => {
          const [total, items] = await Promise.all([deps.prisma.arrowSettings.count({ where }), deps.prisma.arrowSettings.findMany({ where, orderBy: [{ created: 'desc' }, { uuid: 'desc' }], skip: offset, take: limit })]);
          return { total, items };
        },
        (s) => settingsJson(s, r.links),
      );
    },
  },
  {
    method: 'POST',
    path: `${BASE}/`,
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const input = settingsBody(b, { apiUrlRequired: true, apiKeyRequired: true });
      b.done();
      return { status: 201, body: settingsJson(await createSettings(deps.prisma, deps.arrow, input as SettingsInput), r.links) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/validate_credentials/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const credentials = credentialsBody(b);
      b.done();
      const v = await validateCredentials(deps.arrow, credentials);
      // always 200: whether Arrow took the credentials is the answer, not an error
      return {
        status: 200,
        body: v.valid
          ? { valid: true, message: 'Credentials validated successfully', partner_info: { reference: v.partner.reference, company_name: v.partner.companyName }, export_types: v.exportTypes }
          : { valid: false, error: v.error },
      };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/discover_customers/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const credentials = credentialsBody(b);
      b.done();
      return { status: 200, body: customerDiscoveryJson(await discoverCustomers(deps.prisma, deps.arrow, credentials)) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/preview_settings/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const input = settingsBody(b, { apiUrlRequired: true, apiKeyRequired: true });
      b.done();
      const p = await previewSettings(deps.arrow, input as SettingsInput);
      return {
        status: 200,
        body: { api_url: p.apiUrl, partner_name: p.partnerName, partner_reference: p.partnerReference, export_type_reference: p.exportTypeReference, classification_filter: p.classificationFilter, sync_enabled: p.syncEnabled },
      };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/save_settings/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const body = await r.body();
      const b = new BodyReader(body);
      const input = settingsBody(b, { apiUrlRequired: true, apiKeyRequired: true });
      const raw = body.customer_mappings ?? [];
      if (!Array.isArray(raw)) b.errors.customer_mappings = ['Expected a list of items.'];
      const customerMappings = (Array.isArray(raw) ? raw : []).map((m, i) => {
        const item = new BodyReader(typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {});
        const arrowReference = item.string('arrow_reference', { required: true });
        const waldurCustomerUuid = item.reference('waldur_customer_uuid', { required: true });
        for (const [field, messages] of Object.entries(item.errors)) b.errors[`customer_mappings[${i}].${field}`] = messages;
        return { arrowReference: arrowReference ?? '', waldurCustomerUuid: waldurCustomerUuid ?? '' };
      });
      b.done();
      const saved = await saveSettings(deps.prisma, deps.arrow, { ...(input as SettingsInput), customerMappings });
      return { status: 201, body: { settings_uuid: saved.settings.uuid, mappings_created: saved.mappingsCreated, message: `Settings saved with ${saved.mappingsCreated} customer mappings` } };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:uuid/`,
    handle: async (r, deps) => ({ status: 200, body: settingsJson(await getSettings(deps.prisma, r.params.uuid!), r.links) }),
  },
  ...(['PUT', 'PATCH'] as const).map(
    (method): Route => ({
      method,
      path: `${BASE}/:uuid/`,
      async handle(r, deps) {
        await getSettings(deps.prisma, r.params.uuid!);
        const b = new BodyReader(await r.body());
        // PUT names the URL again; the key may be left out to keep it (Waldur's serializer)
        const patch = settingsBody(b, { apiUrlRequired: method === 'PUT', apiKeyRequired: false });
        b.done();
        return { status: 200, body: settingsJson(await updateSettings(deps.prisma, deps.arrow, r.params.uuid!, patch), r.links) };
      },
    }),
  ),
  {
    method: 'DELETE',
    path: `${BASE}/:uuid/`,
    async handle(r, deps) {
      await deleteSettings(deps.prisma, deps.arrow, r.params.uuid!);
      return { status: 204 };
    },
  },
];
