import { createVendorMapping, deleteVendorMapping, getVendorMapping, listVendorMappings, updateVendorMapping, vendorChoices, type VendorMappingFilters, type VendorMappingInput } from '../domain/vendor-mappings.js';
import { BodyReader, QueryReader } from './input.js';
import { paginated } from './pagination.js';
import type { Route } from './router.js';
import { vendorMappingJson } from './serializers.js';

const BASE = '/api/admin/arrow/vendor-offering-mappings';

function listFilters(q: URLSearchParams): VendorMappingFilters {
  const r = new QueryReader(q);
  return r.done({
    settingsUuid: r.uuid('settings_uuid', 'settings'),
    offeringUuid: r.uuid('offering_uuid', 'offering'),
    arrowVendorName: r.text('arrow_vendor_name'),
    isActive: r.boolean('is_active'),
  });
}

/**
 * The body as Waldur's serializer takes it: settings (a uuid, or a hyperlink on PUT), the vendor's
 * name, offering and plan uuids. The plan is required on create (see README: Waldur's SDK models
 * plan_uuid as a non-null UUID, so a mapping without one could not be parsed by Waldur's own client).
 */
function vendorMappingBody(body: Record<string, unknown>, mode: 'create' | 'put' | 'patch') {
  const b = new BodyReader(body);
  const required = mode !== 'patch';
  const input = {
    settingsUuid: b.reference('settings', { required }),
    arrowVendorName: b.string('arrow_vendor_name', { required }),
    offeringUuid: b.reference('offering', { required }),
    planUuid: b.reference('plan', { required: mode === 'create' }),
    isActive: b.boolean('is_active'),
  };
  b.done();
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<VendorMappingInput>;
}

export const vendorMappingRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/`,
    handle: (r, deps) => {
      const filters = listFilters(r.query);
      return paginated(r, (window) => listVendorMappings(deps.prisma, filters, window), (m) => vendorMappingJson(m, r.links));
    },
  },
  {
    method: 'POST',
    path: `${BASE}/`,
    async handle(r, deps) {
      const m = await createVendorMapping(deps.prisma, vendorMappingBody(await r.body(), 'create') as VendorMappingInput);
      return { status: 201, body: vendorMappingJson(m, r.links, 'uuids') };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/vendor_choices/`,
    async handle(r, deps) {
      const q = new QueryReader(r.query);
      const settingsUuid = q.done(q.uuid('settings_uuid'));
      // a plain list, not paged (Waldur's action answers the whole list)
      return { status: 200, body: await vendorChoices(deps.prisma, deps.arrow, settingsUuid) };
    },
  },
  { method: 'GET', path: `${BASE}/:uuid/`, handle: async (r, deps) => ({ status: 200, body: vendorMappingJson(await getVendorMapping(deps.prisma, r.params.uuid!), r.links) }) },
  ...(['PUT', 'PATCH'] as const).map(
    (method): Route => ({
      method,
      path: `${BASE}/:uuid/`,
      async handle(r, deps) {
        await getVendorMapping(deps.prisma, r.params.uuid!);
        const m = await updateVendorMapping(deps.prisma, r.params.uuid!, vendorMappingBody(await r.body(), method === 'PUT' ? 'put' : 'patch'));
        return { status: 200, body: vendorMappingJson(m, r.links) };
      },
    }),
  ),
  {
    method: 'DELETE',
    path: `${BASE}/:uuid/`,
    async handle(r, deps) {
      await deleteVendorMapping(deps.prisma, r.params.uuid!);
      return { status: 204 };
    },
  },
];
