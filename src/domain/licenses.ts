import type { Prisma, Transaction } from '../db/database.js';
import type { ArrowCustomer, ArrowLicense } from '../arrow/client.js';
import { bestMatch, candidates } from '../matching/best-match.js';
import { readsOf, type DomainDeps } from './reads.js';
import { groupBy } from './collections.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { getMapping, isUuid, resolveMapping, type MappingRef, type MappingWithCustomer } from './mappings.js';
import { resourceInclude, type ResourceRow } from './resources.js';
import type { Settings } from './settings.js';

/** A licence is suggested for a resource only above this similarity. */
export const LICENSE_MATCH_THRESHOLD = 0.4;

export interface LicenseSuggestion {
  resource: ResourceRow;
  license: ArrowLicense;
  licenseName: string;
  confidence: number;
}

export interface Discovery {
  mapping: MappingWithCustomer;
  arrowCustomer: ArrowCustomer | null;
  arrowLicenses: ArrowLicense[];
  waldurResources: ResourceRow[];
  suggestions: LicenseSuggestion[];
  /** Why Arrow's side is missing or partial; the Waldur side is there regardless. */
  error: string | null;
  /** Arrow itself failed (rather than not knowing the customer). */
  arrowFailed: boolean;
  /** When Arrow gave the listings used; stale when Arrow failed and older ones stood in. */
  listingFetchedAt: Date | null;
  listingStale: boolean;
}

/**
 * The Arrow customer a mapping means: the same reference, or `XSP` + the reference, or the same
 * InternalReference ignoring case, or a CompanyName equal to the Waldur customer's name ignoring case.
 */
export function findArrowCustomer(customers: ArrowCustomer[], arrowReference: string, waldurCustomerName: string): ArrowCustomer | null {
  const ref = arrowReference.trim();
  const lower = ref.toLowerCase();
  const name = waldurCustomerName.trim().toLowerCase();
  return (
    customers.find((c) => c.reference === ref) ??
    customers.find((c) => c.reference === `XSP${ref}`) ??
    customers.find((c) => c.internalReference && c.internalReference.toLowerCase() === lower) ??
    customers.find((c) => name && c.companyName.toLowerCase() === name) ??
    null
  );
}

const licenceIndexes = new WeakMap<ArrowLicense[], Map<string, ArrowLicense[]>>();

/** Licences by customer reference, built once per listing (listings are shared through the cache). */
function licencesByCustomer(licenses: ArrowLicense[]): Map<string, ArrowLicense[]> {
  let index = licenceIndexes.get(licenses);
  if (!index) {
    index = groupBy(licenses, (l) => l.customerReference);
    licenceIndexes.set(licenses, index);
  }
  return index;
}

/** For each resource without a backend_id, the best not-yet-linked licence by name (> 0.4). */
export function suggestLicenses(resources: ResourceRow[], licenses: ArrowLicense[]): LicenseSuggestion[] {
  const linked = new Set(resources.map((r) => r.backendId).filter(Boolean));
  const pool = candidates(
    licenses.filter((l) => !linked.has(l.licenseReference)),
    (l) => [l.friendlyName, l.offerName].filter(Boolean),
  );
  const suggestions: LicenseSuggestion[] = [];
  for (const resource of resources) {
    if (resource.backendId) continue;
    const match = bestMatch(resource.name, pool, LICENSE_MATCH_THRESHOLD);
    if (match) {
      suggestions.push({ resource, license: match.item, licenseName: match.item.friendlyName || match.item.offerName, confidence: match.confidence });
    }
  }
  return suggestions;
}

/**
 * discover_licenses for many mappings at once: one query for settings, one for resources, and
 * one Arrow listing of customers and of licences per settings (shared through the Arrow cache).
 */
export async function discoverLicenses(deps: DomainDeps, mappings: readonly MappingWithCustomer[]): Promise<Discovery[]> {
  const reads = readsOf(deps);
  const [settingsByUuid, resources] = await Promise.all([
    reads.settings(mappings.map((m) => m.settingsUuid)),
    reads.resourcesOfCustomers(mappings.map((m) => m.waldurCustomerUuid)),
  ]);
  type ArrowSide = { customers: ArrowCustomer[]; licenses: ArrowLicense[]; fetchedAt: Date; stale: boolean } | { error: string };
  const arrowBySettings = new Map<string, Promise<ArrowSide>>();
  const arrowOf = (settings: Settings) => {
    let pending = arrowBySettings.get(settings.uuid);
    if (!pending) {
      pending = Promise.all([deps.arrow.customersListing(settings), deps.arrow.licensesListing(settings)]).then(
        ([customers, licenses]): ArrowSide => ({
          customers: customers.items,
          licenses: licenses.items,
          fetchedAt: customers.fetchedAt < licenses.fetchedAt ? customers.fetchedAt : licenses.fetchedAt,
          stale: customers.stale || licenses.stale,
        }),
        (err: unknown): ArrowSide => ({ error: err instanceof Error ? err.message : String(err) }),
      );
      arrowBySettings.set(settings.uuid, pending);
    }
    return pending;
  };
  return Promise.all(
    mappings.map(async (mapping): Promise<Discovery> => {
      const waldurResources = resources.get(mapping.waldurCustomerUuid) ?? [];
      const base = { mapping, waldurResources, arrowCustomer: null, arrowLicenses: [], suggestions: [], arrowFailed: false, listingFetchedAt: null, listingStale: false };
      const arrow = await arrowOf(settingsByUuid.get(mapping.settingsUuid)!);
      if ('error' in arrow) return { ...base, error: arrow.error, arrowFailed: true };
      const listing = { listingFetchedAt: arrow.fetchedAt, listingStale: arrow.stale };
      const arrowCustomer = findArrowCustomer(arrow.customers, mapping.arrowReference, mapping.waldurCustomer.name);
      if (!arrowCustomer) return { ...base, ...listing, error: `Arrow customer ${mapping.arrowReference} not found` };
      const arrowLicenses = licencesByCustomer(arrow.licenses).get(arrowCustomer.reference) ?? [];
      return { ...base, ...listing, arrowCustomer, arrowLicenses, suggestions: suggestLicenses(waldurResources, arrowLicenses), error: null };
    }),
  );
}

export interface LinkInput {
  resourceUuid: string;
  licenseReference: string;
  /** Take the licence from another resource of the same offering that holds it. */
  move?: boolean | null;
}

export interface LinkResult {
  resource: ResourceRow;
  licenseReference: string;
  previousBackendId: string;
  /** The resource the licence was taken from, when moved. */
  movedFrom: ResourceRow | null;
}

/**
 * Takes the licence reference in an offering for this transaction (writers of one licence are
 * serialised by a PostgreSQL advisory xact lock), then finds the resource there that holds it,
 * other than `exceptUuid`.
 */
async function lockLicenseHolder(tx: Transaction, offeringUuid: string, licenseReference: string, exceptUuid?: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`license:${offeringUuid}:${licenseReference}`}))`;
  return tx.resource.findFirst({
    where: { offeringUuid, backendId: licenseReference, ...(exceptUuid ? { uuid: { not: exceptUuid } } : {}) },
    include: resourceInclude,
  });
}

/** A licence reference as given, trimmed; blank or over 255 characters is refused. */
function licenseReferenceOf(given: string): string {
  const licenseReference = given.trim();
  if (!licenseReference) throw ValidationError.field('license_reference', 'This field may not be blank.');
  if (licenseReference.length > 255) throw ValidationError.field('license_reference', 'Ensure this field has no more than 255 characters.');
  return licenseReference;
}

/**
 * Sets a resource's backend_id to a licence reference. The resource must belong to the mapping's
 * Waldur customer. A licence already linked to another resource of the same offering is a
 * conflict unless `move` says to take it over (the other resource's backend_id is then cleared).
 */
export async function linkResource(prisma: Prisma, mappingRef: MappingRef, input: LinkInput): Promise<LinkResult> {
  const mapping = await resolveMapping(prisma, mappingRef);
  const licenseReference = licenseReferenceOf(input.licenseReference);
  return prisma.$transaction(async (tx) => {
    const resource = isUuid(input.resourceUuid)
      ? await tx.resource.findFirst({ where: { uuid: input.resourceUuid, project: { customerUuid: mapping.waldurCustomerUuid } }, include: resourceInclude })
      : null;
    if (!resource) throw new NotFoundError(`Resource ${input.resourceUuid} not found for this customer`);
    const holder = await lockLicenseHolder(tx, resource.offeringUuid, licenseReference, resource.uuid);
    if (holder && !input.move) {
      throw new ConflictError(`License ${licenseReference} is already linked to resource ${holder.uuid} (${holder.name}) in offering ${resource.offering.name}; pass move to take it over`);
    }
    if (holder) await tx.resource.update({ where: { uuid: holder.uuid }, data: { backendId: '' } });
    const updated = await tx.resource.update({ where: { uuid: resource.uuid }, data: { backendId: licenseReference }, include: resourceInclude });
    return { resource: updated, licenseReference, previousBackendId: resource.backendId, movedFrom: holder ? { ...holder, backendId: '' } : null };
  });
}

export interface ImportInput {
  licenseReference: string;
  licenseName?: string | null;
  offeringUuid: string;
  projectUuid: string;
}

export class AlreadyImportedError extends ConflictError {}

/**
 * Creates a resource (state OK, backend_id = the licence) for an Arrow licence, with a DONE
 * create-order for the audit trail, in one transaction. The project must belong to the mapping's
 * customer, and the offering may not already hold a resource for this licence.
 */
export async function importLicense(prisma: Prisma, mappingRef: MappingRef, input: ImportInput, createdByUuid?: string) {
  const mapping = await resolveMapping(prisma, mappingRef);
  const licenseReference = licenseReferenceOf(input.licenseReference);
  const name = (input.licenseName ?? '').trim() || licenseReference;
  if (name.length > 150) throw ValidationError.field('license_name', 'Ensure this field has no more than 150 characters.');
  return prisma.$transaction(async (tx) => {
    const offering = isUuid(input.offeringUuid) ? await tx.offering.findUnique({ where: { uuid: input.offeringUuid } }) : null;
    if (!offering) throw new NotFoundError(`Offering ${input.offeringUuid} not found`);
    const project = isUuid(input.projectUuid)
      ? await tx.project.findFirst({ where: { uuid: input.projectUuid, customerUuid: mapping.waldurCustomerUuid } })
      : null;
    if (!project) throw new NotFoundError(`Project ${input.projectUuid} not found for this customer`);
    const existing = await lockLicenseHolder(tx, offering.uuid, licenseReference);
    if (existing) throw new AlreadyImportedError(`License ${licenseReference} has already been imported`);
    const resource = await tx.resource.create({
      data: { name, backendId: licenseReference, state: 'OK', projectUuid: project.uuid, offeringUuid: offering.uuid },
      include: resourceInclude,
    });
    const order = await tx.order.create({
      data: { type: 'CREATE', state: 'DONE', resourceUuid: resource.uuid, offeringUuid: offering.uuid, projectUuid: project.uuid, createdByUuid: createdByUuid ?? null },
    });
    return { resource, order, licenseReference };
  });
}

/**
 * Links every suggestion of discover_licenses whose confidence is at least `minConfidence`, in
 * one transaction: all of them or none. A licence suggested for two resources goes to the one
 * with the higher confidence (the first on ties).
 */
export async function applyLicenseSuggestions(deps: DomainDeps, mappingUuid: string, minConfidence: number) {
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw ValidationError.field('min_confidence', 'Must be between 0 and 1.');
  const mapping = await getMapping(deps.prisma, mappingUuid);
  const [discovery] = await discoverLicenses(deps, [mapping]);
  if (discovery!.error) throw new ValidationError(`Cannot discover licences: ${discovery!.error}`);
  const chosen = new Map<string, LicenseSuggestion>();
  for (const s of discovery!.suggestions) {
    if (s.confidence < minConfidence) continue;
    const key = `${s.resource.offeringUuid}|${s.license.licenseReference}`;
    const current = chosen.get(key);
    if (!current || s.confidence > current.confidence) chosen.set(key, s);
  }
  const picked = [...chosen.values()];
  const linked = await deps.prisma.$transaction(async (tx) => {
    const out: ResourceRow[] = [];
    for (const s of picked) {
      const holder = await lockLicenseHolder(tx, s.resource.offeringUuid, s.license.licenseReference, s.resource.uuid);
      if (holder) throw new ConflictError(`License ${s.license.licenseReference} is already linked to resource ${holder.uuid}`);
      const current = await tx.resource.findUniqueOrThrow({ where: { uuid: s.resource.uuid }, select: { backendId: true } });
      if (current.backendId) throw new ConflictError(`Resource ${s.resource.uuid} was linked meanwhile (to ${current.backendId})`);
      out.push(await tx.resource.update({ where: { uuid: s.resource.uuid }, data: { backendId: s.license.licenseReference }, include: resourceInclude }));
    }
    return out;
  });
  return { mapping, linked, suggestions: picked };
}
