import { activeSettings, getSettings } from './settings.js';
import { col, exportRowCustomer, mappingCustomerKeys } from './arrow-data.js';
import { ArrowUnavailableError, ValidationError } from './errors.js';
import { importLicense } from './licenses.js';
import { parsePeriod, periodOf } from './periods.js';
import type { DomainDeps } from './reads.js';

export interface ResourceSyncOptions {
  periodFrom?: string | null;
  periodTo?: string | null;
  settingsUuid?: string | null;
  /** The offering of subscriptions whose vendor has no vendor-offering mapping. */
  offeringUuid?: string | null;
  /** The project of every new resource; by default its customer's first project. */
  projectUuid?: string | null;
}

/**
 * Waldur's sync_resources: each IAAS subscription in the billing export of a range of months
 * (default: the last six) becomes a Waldur resource unless one holds it already. New ones are
 * made through the same write as importLicense (Waldur's backend-resources import, under the
 * licence's lock), in the offering and plan of the vendor's mapping, else the offering asked for,
 * in the project asked for, else the customer's first. The subscription's licence reference (ARS
 * Subscription ID) is the resource's backend_id, as for every other link (see README).
 */
export async function syncResourcesFromArrow(deps: DomainDeps, o: ResourceSyncOptions, createdByUuid?: string) {
  const prisma = deps.prisma;
  const settings = o.settingsUuid ? await getSettings(prisma, o.settingsUuid) : await activeSettings(prisma);
  if (!settings) throw new ValidationError('No active Arrow settings found');
  if (!settings.exportTypeReference) throw ValidationError.field('export_type_reference', 'The settings name no billing export type');
  const to = o.periodTo ? parsePeriod(o.periodTo, 'period_to') : periodOf(new Date());
  const from = o.periodFrom ? parsePeriod(o.periodFrom, 'period_from') : periodOf(new Date(`${to}-15T00:00:00Z`), 5);
  if (from > to) throw ValidationError.field('period_from', 'The first month must not be after the last month');
  const { rows } = await deps.arrow
    .client(settings)
    .billingExport({ exportTypeReference: settings.exportTypeReference, from, to })
    .catch((err: unknown) => {
      throw new ArrowUnavailableError(`Cannot read the billing export: ${err instanceof Error ? err.message : String(err)}`);
    });
  const subscriptions = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const licence = col(row, 'ARS Subscription ID').trim();
    if (licence && col(row, 'Classification') === 'IAAS' && !subscriptions.has(licence)) subscriptions.set(licence, row);
  }
  const [mappings, vendorMappings] = await Promise.all([
    prisma.customerMapping.findMany({ where: { settingsUuid: settings.uuid, isActive: true }, include: { waldurCustomer: { include: { projects: { where: { isRemoved: false }, orderBy: [{ created: 'asc' }, { uuid: 'asc' }] } } } } }),
    prisma.vendorOfferingMapping.findMany({ where: { settingsUuid: settings.uuid, isActive: true } }),
  ]);
  const mappingOf = new Map(mappings.flatMap((m) => mappingCustomerKeys(m).map((k) => [k, m] as const)));
  const vendorOf = new Map(vendorMappings.map((v) => [v.arrowVendorName.toLowerCase(), v]));
  const held = new Set((await prisma.resource.findMany({ where: { licenseReference: { in: [...subscriptions.keys()] }, state: { not: 'TERMINATED' } }, select: { licenseReference: true } })).map((r) => r.licenseReference));
  const result = { synced: 0, created: 0, updated: 0, errors: [] as { subscriptionId: string; error: string }[] };
  for (const [licence, row] of subscriptions) {
    result.synced++;
    if (held.has(licence)) {
      result.updated++;
      continue;
    }
    const mapping = mappingOf.get(exportRowCustomer(row));
    const vendor = vendorOf.get(col(row, 'Vendor Name').toLowerCase());
    const offeringUuid = vendor?.offeringUuid ?? o.offeringUuid;
    const projectUuid = o.projectUuid ?? mapping?.waldurCustomer.projects[0]?.uuid;
    const problem = !mapping
      ? `No active mapping for Arrow customer ${col(row, 'End User Company ID', 'End User Company Name')}`
      : !offeringUuid
        ? `No offering: vendor ${col(row, 'Vendor Name') || '(none)'} has no vendor-offering mapping and no offering_uuid was given`
        : !projectUuid
          ? `Waldur customer ${mapping.waldurCustomer.name} has no project`
          : null;
    if (problem) {
      result.errors.push({ subscriptionId: licence, error: problem });
      continue;
    }
    try {
      const name = col(row, 'Friendly Name', 'Offer Name', 'Service Name').trim() || licence;
      await importLicense(deps, mapping!.uuid, { licenseReference: licence, licenseName: name.slice(0, 150), offeringUuid: offeringUuid!, projectUuid: projectUuid!, planUuid: vendor?.planUuid }, createdByUuid);
      result.created++;
    } catch (err) {
      result.errors.push({ subscriptionId: licence, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}
