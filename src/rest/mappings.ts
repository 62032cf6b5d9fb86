import { availableCustomers, syncCustomersFromArrow } from '../domain/customers.js';
import { billingSummaries } from '../domain/billing-summary.js';
import { discoverLicenses, importLicense, linkResource, unlinkResource } from '../domain/licenses.js';
import { fetchArrowData } from '../domain/arrow-data.js';
import { createMapping, deleteMapping, listMappings, mappingInclude, updateMapping, type MappingFilters } from '../domain/mappings.js';
import { parsePeriod } from '../domain/periods.js';
import { foundOr404 } from './http.js';
import { BodyReader, QueryReader } from './input.js';
import { paginated } from './pagination.js';
import type { RestDeps, RestRequest, Route } from './router.js';
import { arrowDataJson, availableCustomersJson, billingSummaryJson, discoveryJson, mappingJson } from './serializers.js';

const BASE = '/api/admin/arrow/customer-mappings';

/** link_resource's answer (LinkResourceResponse in Waldur's SDK), for a link and an unlink alike. */
function linkResourceJson(resource: { uuid: string; name: string }, licenseReference: string, previousBackendId: string) {
  return { resource_uuid: resource.uuid, resource_name: resource.name, license_reference: licenseReference, previous_backend_id: previousBackendId, success: true };
}

/** The mapping named in the path, or DRF's plain 404. */
function mappingOr404(r: RestRequest, deps: RestDeps) {
  return foundOr404(r.params.uuid!, (uuid) => deps.prisma.customerMapping.findUnique({ where: { uuid }, include: mappingInclude }));
}

function listFilters(q: URLSearchParams): MappingFilters {
  const r = new QueryReader(q);
  return r.done({
    settingsUuid: r.uuid('settings_uuid', 'settings'),
    waldurCustomerUuid: r.uuid('waldur_customer_uuid', 'waldur_customer'),
    arrowReference: r.text('arrow_reference'),
    arrowCompanyName: r.text('arrow_company_name'),
    isActive: r.boolean('is_active'),
  });
}

/** The list, Waldur's way (newest first, paged). */
async function list(r: RestRequest, deps: RestDeps) {
  const filters = listFilters(r.query);
  return paginated(r, (window) => listMappings(deps.prisma, filters, window), (m) => mappingJson(m, r.links));
}

function mappingBody(body: Record<string, unknown>, partial: boolean) {
  const b = new BodyReader(body);
  const input = {
    settingsUuid: b.reference('settings', { required: !partial }),
    arrowReference: b.string('arrow_reference', { required: !partial }),
    arrowCompanyName: b.string('arrow_company_name'),
    waldurCustomerUuid: b.reference('waldur_customer', { required: !partial }),
    isActive: b.boolean('is_active'),
  };
  b.done();
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<typeof input>;
}

export const mappingRoutes: Route[] = [
  { method: 'GET', path: `${BASE}/`, handle: list },
  {
    method: 'POST',
    path: `${BASE}/`,
    async handle(r, deps) {
      const input = mappingBody(await r.body(), false);
      const m = await createMapping(deps, input as Required<typeof input>);
      return { status: 201, body: mappingJson(m, r.links, 'uuids') };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/available_customers/`,
    async handle(r, deps) {
      const q = new QueryReader(r.query);
      const settingsUuid = q.done(q.uuid('settings_uuid'));
      return { status: 200, body: availableCustomersJson(await availableCustomers(deps.prisma, deps.arrow, settingsUuid)) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/sync_from_arrow/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const b = new BodyReader(await r.body());
      const settings = b.reference('settings_uuid');
      b.done();
      const { updated } = await syncCustomersFromArrow(deps.prisma, deps.arrow, settings);
      return { status: 200, body: { updated } };
    },
  },
  { method: 'GET', path: `${BASE}/:uuid/`, handle: async (r, deps) => ({ status: 200, body: mappingJson(await mappingOr404(r, deps), r.links) }) },
  ...(['PUT', 'PATCH'] as const).map(
    (method): Route => ({
      method,
      path: `${BASE}/:uuid/`,
      async handle(r, deps) {
        const mapping = await mappingOr404(r, deps);
        const m = await updateMapping(deps.prisma, mapping, mappingBody(await r.body(), method === 'PATCH'));
        return { status: 200, body: mappingJson(m, r.links) };
      },
    }),
  ),
  {
    method: 'DELETE',
    path: `${BASE}/:uuid/`,
    async handle(r, deps) {
      // extensions of the seed API: ?dry_run=true says what would go; ?confirm=true deletes billing history with it
      const flag = (name: string) => r.query.get(name) === 'true';
      const d = await deleteMapping(deps.prisma, await mappingOr404(r, deps), { dryRun: flag('dry_run'), confirmBillingHistoryLoss: flag('confirm') });
      if (!d.deleted) return { status: 200, body: { uuid: d.mapping.uuid, dry_run: true, billing_syncs: d.billingSyncs, billing_periods: d.billingPeriods, linked_resources: d.linkedResources } };
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:uuid/billing_summary/`,
    async handle(r, deps) {
      const [summary] = await billingSummaries(deps.prisma, [await mappingOr404(r, deps)]);
      return { status: 200, body: billingSummaryJson(summary!) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:uuid/discover_licenses/`,
    async handle(r, deps) {
      const [discovery] = await discoverLicenses(deps, [await mappingOr404(r, deps)]);
      return { status: 200, body: discoveryJson(discovery!) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:uuid/fetch_arrow_data/`,
    async handle(r, deps) {
      const mapping = await mappingOr404(r, deps);
      // as Waldur reads it, `?period=` empty is no period: this month
      const [data] = await fetchArrowData(deps, [mapping], parsePeriod(r.query.get('period') || null));
      return { status: 200, body: arrowDataJson(data!) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/:uuid/link_resource/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const mapping = await mappingOr404(r, deps);
      const b = new BodyReader(await r.body());
      const resourceUuid = b.string('resource_uuid', { required: true });
      const licenseReference = b.string('license_reference', { required: true });
      const move = b.boolean('move');
      b.done();
      // an empty licence reference unlinks: the resource's backend_id is cleared
      if (!licenseReference!.trim()) {
        const result = await unlinkResource(deps, mapping, resourceUuid!);
        return { status: 200, body: linkResourceJson(result.resource, '', result.previousBackendId) };
      }
      const result = await linkResource(deps, mapping, { resourceUuid: resourceUuid!, licenseReference: licenseReference!, move });
      return { status: 200, body: linkResourceJson(result.resource, result.licenseReference, result.previousBackendId) };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/:uuid/import_license/`,
    errorStyle: 'error',
    async handle(r, deps) {
      const mapping = await mappingOr404(r, deps);
      const b = new BodyReader(await r.body());
      const input = {
        licenseReference: b.string('license_reference', { required: true })!,
        licenseName: b.string('license_name'),
        offeringUuid: b.string('offering_uuid', { required: true })!,
        projectUuid: b.string('project_uuid', { required: true })!,
        // an extension of the seed API: the offering's only plan is taken when none is named
        planUuid: b.string('plan_uuid'),
      };
      b.done();
      const { resource, licenseReference } = await importLicense(deps, mapping, input, r.viewerUuid);
      return {
        status: 200,
        body: { resource_uuid: resource.uuid, resource_name: resource.name, license_reference: licenseReference, offering_name: resource.offering.name, project_name: resource.project.name, success: true },
      };
    },
  },
];
