import crypto from 'node:crypto';
import { withNamedLocks, type Prisma, type Transaction } from '../db/database.js';
import type { WaldurClient } from '../waldur/client.js';
import { resourceRow } from '../waldur/mirror.js';
import { createOrdersOf, importIntoWaldur, liveHoldersInWaldur, mirrorCreated, waldurFailure, writeThrough } from './waldur-writes.js';
import type { ArrowCustomer, ArrowLicense } from '../arrow/client.js';
import { findArrowCustomer } from './arrow-customers.js';
import { bestMatch, candidates } from '../matching/best-match.js';
import { readsOf, type DomainDeps } from './reads.js';
import { groupBy, settleAll } from './collections.js';
import { ArrowUnavailableError, ConflictError, NotFoundError, ValidationError } from './errors.js';
import { getMapping, isUuid, resolveMapping, type MappingRef, type MappingWithCustomer } from './mappings.js';
import { resourceInclude, type ResourceRow } from './resources.js';
import type { Settings } from './settings.js';

/** A licence is suggested for a resource only above this similarity. */
export const LICENSE_MATCH_THRESHOLD = 0.4;

/** Flat as Waldur's discover_licenses gives it (resource_uuid, resource_name, license_reference, …), with the objects beside. */
export interface LicenseSuggestion {
  resourceUuid: string;
  resourceName: string;
  licenseReference: string;
  licenseName: string;
  confidence: number;
  resource: ResourceRow;
  license: ArrowLicense;
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

/**
 * A customer's suggestions depend only on its resources' uuids, names and licences and on its
 * licences' references and names, in their order: matched once, they are remembered under those
 * (the screen matched the same names on every computation: about a tenth of its time), and any
 * change to one of them is another key (their SHA-256). Kept: [resource's index, licence's index, confidence].
 */
const rememberedSuggestions = new Map<string, [number, number, number][]>();
const REMEMBERED_SUGGESTIONS = 5_000;

/** For each resource without a licence, the best not-yet-linked licence by name (> 0.4). */
export function suggestLicenses(resources: ResourceRow[], licenses: ArrowLicense[]): LicenseSuggestion[] {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([resources.map((r) => [r.uuid, r.name, r.licenseReference]), licenses.map((l) => [l.licenseReference, l.friendlyName, l.offerName])]))
    .digest('base64');
  let found = rememberedSuggestions.get(key);
  if (!found) {
    found = matchLicences(resources, licenses);
    rememberedSuggestions.set(key, found);
    if (rememberedSuggestions.size > REMEMBERED_SUGGESTIONS) rememberedSuggestions.delete(rememberedSuggestions.keys().next().value!);
  }
  return found.map(([r, l, confidence]) => {
    const resource = resources[r]!;
    const license = licenses[l]!;
    return { resourceUuid: resource.uuid, resourceName: resource.name, licenseReference: license.licenseReference, licenseName: license.friendlyName || license.offerName, confidence, resource, license };
  });
}

function matchLicences(resources: ResourceRow[], licenses: ArrowLicense[]): [number, number, number][] {
  const linked = new Set(resources.map((r) => r.licenseReference).filter(Boolean));
  const pool = candidates(
    licenses.map((license, index) => ({ license, index })).filter(({ license }) => !linked.has(license.licenseReference)),
    ({ license }) => [license.friendlyName, license.offerName].filter(Boolean),
  );
  const matches: [number, number, number][] = [];
  resources.forEach((resource, index) => {
    if (resource.licenseReference) return;
    const match = bestMatch(resource.name, pool, LICENSE_MATCH_THRESHOLD);
    if (match) matches.push([index, match.item.index, match.confidence]);
  });
  return matches;
}

/**
 * The Arrow customers these mappings mean and their licences. The licences of the references
 * as given are asked for alongside the customers; a customer found under another reference
 * (XSP prefix, internal reference, name) costs one more request for its licences.
 */
async function arrowSideOf(deps: DomainDeps, settings: Settings, mappings: readonly MappingWithCustomer[]) {
  const given = mappings.map((m) => m.arrowReference.trim());
  // both settle before either's failure is told: no request of ours is still under way when the caller has its answer
  const [customers, licencesOfGiven] = await settleAll([deps.arrow.customersFor(settings, given), deps.arrow.licensesOf(settings, given)] as const);
  const found = new Set(mappings.map((m) => findArrowCustomer(customers.items, m.arrowReference, m.waldurCustomer.name)?.reference).filter((r): r is string => !!r));
  const more = [...found].filter((ref) => !given.includes(ref));
  const licences = more.length ? [licencesOfGiven, await deps.arrow.licensesOf(settings, more)] : [licencesOfGiven];
  return {
    customers: customers.items,
    licenses: licences.flatMap((l) => l.items),
    fetchedAt: new Date(Math.min(customers.fetchedAt.getTime(), ...licences.map((l) => l.fetchedAt.getTime()))),
    stale: customers.stale || licences.some((l) => l.stale),
  };
}

/**
 * discover_licenses for many mappings at once: one query for settings, one for resources, and per
 * settings Arrow is asked only about these mappings' customers (arrowSideOf; shared through the cache).
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
      const own = mappings.filter((m) => m.settingsUuid === settings.uuid);
      pending = arrowSideOf(deps, settings, own).then(
        (side): ArrowSide => side,
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
  /** Take the licence from another resource that holds it (of a customer mapped to the same Arrow customer). */
  move?: boolean | null;
}

export interface LinkResult {
  resource: ResourceRow;
  licenseReference: string;
  previousBackendId: string;
  /** The resource the licence was taken from, when moved. */
  movedFrom: ResourceRow | null;
}

/** A licence backs at most one resource that is not terminated, in any offering. */
const LIVE = { state: { not: 'TERMINATED' as const } };

/** The lock of a licence: one writer of a licence at a time, across replicas (withNamedLocks). */
const licenceLock = (licenseReference: string) => `license:${licenseReference}`;
/** The lock of a resource's backend_id. */
const resourceLock = (resourceUuid: string) => `resource:${resourceUuid}`;

/**
 * The live resource holding the licence besides `exceptUuid`, as Waldur has it now, with the
 * mirror's project and offering (the first created when several do). A holder whose project or
 * offering the mirror has not seen yet is still a holder. Nothing is written: a refused write
 * leaves the mirror as it was. The caller holds the licence's lock.
 */
async function licenseHolder(prisma: Prisma, waldur: WaldurClient, licenseReference: string, exceptUuid?: string): Promise<(ResourceRow & { mirroredBefore: boolean }) | UnmirroredHolder | null> {
  const before = await prisma.resource.findMany({ where: { licenseReference }, select: { uuid: true, name: true, licenseInAttributes: true, state: true } });
  const inWaldur = await liveHoldersInWaldur(waldur, licenseReference);
  // Waldur lists no filter on attributes: a resource holding the licence there (Waldur's Arrow
  // plugin's convention) is known from the mirror
  const byAttribute = before.filter((r) => r.licenseInAttributes && r.state !== 'TERMINATED');
  const holders = [...inWaldur, ...byAttribute.filter((a) => !inWaldur.some((w) => w.uuid === a.uuid))].filter((r) => r.uuid !== exceptUuid);
  if (!holders.length) return null;
  const mirrored = await prisma.resource.findMany({ where: { uuid: { in: holders.map((h) => h.uuid) } }, include: resourceInclude });
  const rows: ResourceRow[] = [...mirrored.filter((m) => !inWaldur.some((w) => w.uuid === m.uuid))];
  const unmirroredParents = inWaldur.filter((w) => w.uuid !== exceptUuid && !mirrored.some((m) => m.uuid === w.uuid && m.projectUuid === w.project_uuid && m.offeringUuid === w.offering_uuid));
  const [projects, offerings] = await Promise.all([
    unmirroredParents.length ? prisma.project.findMany({ where: { uuid: { in: unmirroredParents.map((w) => w.project_uuid) } } }) : [],
    unmirroredParents.length ? prisma.offering.findMany({ where: { uuid: { in: unmirroredParents.map((w) => w.offering_uuid) } } }) : [],
  ]);
  for (const w of inWaldur) {
    if (w.uuid === exceptUuid) continue;
    const m = mirrored.find((r) => r.uuid === w.uuid && r.projectUuid === w.project_uuid && r.offeringUuid === w.offering_uuid);
    const project = m?.project ?? projects.find((p) => p.uuid === w.project_uuid);
    const offering = m?.offering ?? offerings.find((o) => o.uuid === w.offering_uuid);
    if (project && offering) rows.push({ ...resourceRow(w), project, offering });
  }
  const first = rows.sort((a, b) => a.created.getTime() - b.created.getTime())[0];
  if (!first) return { uuid: holders[0]!.uuid, name: holders[0]!.name, unmirrored: true };
  return { ...first, mirroredBefore: before.some((b) => b.uuid === first.uuid) };
}

/**
 * A resource whose licence is in Waldur's attributes (written by Waldur's own Arrow plugin): no
 * Waldur API lets the gateway change attributes, and clearing its backend_id would leave it held.
 */
function attributeHeld(resource: { uuid: string; name: string; licenseReference: string }) {
  return new ConflictError(
    `Resource ${resource.uuid} (${resource.name}) holds licence ${resource.licenseReference} in its Waldur attributes (arrow_license_reference, as Waldur's Arrow plugin keeps it); the gateway cannot change attributes: change it in Waldur, then sync`,
  );
}

/** A holder Waldur has in a project or offering the mirror has not seen yet. */
interface UnmirroredHolder {
  uuid: string;
  name: string;
  unmirrored: true;
}

const holderText = (holder: ResourceRow | UnmirroredHolder) =>
  'unmirrored' in holder ? `resource ${holder.uuid} (${holder.name}) in Waldur` : `resource ${holder.uuid} (${holder.name}) in offering ${holder.offering.name}`;

/** A licence reference as given, trimmed; blank or over 255 characters is refused. */
function licenseReferenceOf(given: string): string {
  const licenseReference = given.trim();
  if (!licenseReference) throw ValidationError.field('license_reference', 'This field may not be blank.');
  if (licenseReference.length > 255) throw ValidationError.field('license_reference', 'Ensure this field has no more than 255 characters.');
  return licenseReference;
}

/**
 * The licence as Arrow lists it for the mapping's own Arrow customer. Arrow not knowing the
 * licence, or listing it under another customer, is refused; Arrow failing is ArrowUnavailable.
 * A licence missing from the customer's cached licences is looked for once more in fresh ones (it may be new).
 */
export async function arrowLicenseOfMapping(deps: DomainDeps, mapping: MappingWithCustomer, licenseReference: string): Promise<ArrowLicense> {
  const settings = (await readsOf(deps).settings([mapping.settingsUuid])).get(mapping.settingsUuid);
  if (!settings) throw new NotFoundError(`Arrow settings ${mapping.settingsUuid} not found`);
  const unavailable = (err: unknown) => new ArrowUnavailableError(`Cannot check licence ${licenseReference} with Arrow: ${err instanceof Error ? err.message : String(err)}`);
  const look = async () => {
    const { customers, licenses } = await arrowSideOf(deps, settings, [mapping]).catch((err: unknown) => {
      throw unavailable(err);
    });
    const customer = findArrowCustomer(customers, mapping.arrowReference, mapping.waldurCustomer.name);
    const license = licenses.find((l) => l.licenseReference === licenseReference);
    return { customer, license };
  };
  let found = await look();
  if (!found.license) {
    // only this customer's licences are asked again; the rest of the cache stays
    await deps.arrow.forgetLicensesOf(settings, [mapping.arrowReference.trim(), ...(found.customer ? [found.customer.reference] : [])]);
    found = await look();
  }
  const { customer, license } = found;
  if (!customer) throw ValidationError.field('license_reference', `Arrow does not know customer ${mapping.arrowReference} of this mapping, so licence ${licenseReference} cannot be checked`);
  if (!license) {
    // not the customer's: one find by the licence's own reference says whose it is, if anyone's
    const elsewhere = await deps.arrow
      .client(settings)
      .findLicensesByReference([licenseReference])
      .catch((err: unknown) => {
        throw unavailable(err);
      });
    const owner = elsewhere.find((l) => l.licenseReference === licenseReference)?.customerReference;
    if (owner) throw ValidationError.field('license_reference', `Licence ${licenseReference} belongs to Arrow customer ${owner}, not to ${customer.reference} of this mapping`);
    throw ValidationError.field('license_reference', `Arrow has no licence ${licenseReference}`);
  }
  return license;
}

/** The mapping's resource named by uuid, or NotFound. */
async function resourceOfMapping(tx: Transaction, mapping: MappingWithCustomer, resourceUuid: string) {
  const resource = isUuid(resourceUuid)
    ? await tx.resource.findFirst({ where: { uuid: resourceUuid, project: { customerUuid: mapping.waldurCustomerUuid } }, include: resourceInclude })
    : null;
  if (!resource) throw new NotFoundError(`Resource ${resourceUuid} not found for this customer`);
  return resource;
}

/**
 * A move takes a licence only from a customer mapped to the same Arrow customer (this mapping's
 * Waldur customer, or another one mapped to the same reference under the same settings).
 */
async function assertMovable(tx: Transaction, mapping: MappingWithCustomer, holder: ResourceRow, licenseReference: string) {
  if (holder.project.customerUuid === mapping.waldurCustomerUuid) return;
  const sameArrowCustomer = await tx.customerMapping.count({
    where: { settingsUuid: mapping.settingsUuid, arrowReference: mapping.arrowReference, waldurCustomerUuid: holder.project.customerUuid },
  });
  if (!sameArrowCustomer) {
    throw new ConflictError(`License ${licenseReference} is linked to ${holderText(holder)} of a customer not mapped to Arrow customer ${mapping.arrowReference}; it cannot be moved from there`);
  }
}

/**
 * Sets a resource's backend_id to a licence reference. The resource must belong to the mapping's
 * Waldur customer, and the licence to the mapping's Arrow customer (asked of Arrow). A licence
 * already backing another live resource, in any offering, is a conflict unless `move` says to take
 * it over from a customer mapped to the same Arrow customer (the other resource's backend_id is
 * then cleared).
 */
export async function linkResource(deps: DomainDeps, mappingRef: MappingRef, input: LinkInput): Promise<LinkResult> {
  const prisma = deps.prisma;
  const mapping = await resolveMapping(prisma, mappingRef);
  const licenseReference = licenseReferenceOf(input.licenseReference);
  await resourceOfMapping(prisma, mapping, input.resourceUuid); // a missing resource is named before Arrow is asked
  await arrowLicenseOfMapping(deps, mapping, licenseReference);
  return withNamedLocks(prisma, [licenceLock(licenseReference), resourceLock(input.resourceUuid)], async () => {
    const resource = await resourceOfMapping(prisma, mapping, input.resourceUuid);
    const holder = await licenseHolder(prisma, deps.waldur, licenseReference, resource.uuid);
    // a licence held in Waldur's attributes cannot be moved by the gateway at all: say so, not "pass move"
    if (resource.licenseInAttributes) throw attributeHeld(resource);
    if (holder && 'licenseInAttributes' in holder && holder.licenseInAttributes) throw attributeHeld(holder);
    if (holder && !input.move) throw new ConflictError(`License ${licenseReference} is already linked to ${holderText(holder)}; pass move to take it over`);
    if (holder && 'unmirrored' in holder) throw new ConflictError(`License ${licenseReference} is linked to ${holderText(holder)}, whose customer the gateway has not mirrored yet; sync from Waldur first`);
    if (holder) await assertMovable(prisma, mapping, holder, licenseReference);
    // the holder gives it up first, so Waldur never has it on two resources; undone if the link fails
    const changes = [
      ...(holder ? [{ resourceUuid: holder.uuid, from: licenseReference, to: '' }] : []),
      { resourceUuid: resource.uuid, from: resource.backendId, to: licenseReference, offering: resource.offering },
    ];
    return writeThrough(prisma, deps.waldur, changes, async (tx) => {
      const updated = await tx.resource.findUniqueOrThrow({ where: { uuid: resource.uuid }, include: resourceInclude });
      const movedFrom = holder ? await tx.resource.findUniqueOrThrow({ where: { uuid: holder.uuid }, include: resourceInclude }) : null;
      return { resource: updated, licenseReference, previousBackendId: resource.backendId, movedFrom };
    });
  });
}

export interface UnlinkResult {
  resource: ResourceRow;
  previousBackendId: string;
}

/** Clears a resource's backend_id (the mapping's customer's resource); unlinking an unlinked one changes nothing. */
export async function unlinkResource(deps: DomainDeps, mappingRef: MappingRef, resourceUuid: string): Promise<UnlinkResult> {
  const prisma = deps.prisma;
  const mapping = await resolveMapping(prisma, mappingRef);
  const before = await resourceOfMapping(prisma, mapping, resourceUuid);
  return withNamedLocks(prisma, [resourceLock(before.uuid), ...(before.backendId ? [licenceLock(before.backendId)] : [])], async () => {
    const resource = await resourceOfMapping(prisma, mapping, resourceUuid);
    if (resource.licenseInAttributes) throw attributeHeld(resource);
    if (!resource.backendId) return { resource, previousBackendId: '' };
    return writeThrough(prisma, deps.waldur, [{ resourceUuid: resource.uuid, from: resource.backendId, to: '' }], async (tx) => ({
      resource: await tx.resource.findUniqueOrThrow({ where: { uuid: resource.uuid }, include: resourceInclude }),
      previousBackendId: resource.backendId,
    }));
  });
}

export interface ImportInput {
  licenseReference: string;
  licenseName?: string | null;
  offeringUuid: string;
  projectUuid: string;
  /**
   * A plan of the offering (resources synced from Arrow take their vendor mapping's). Default: the
   * offering's only plan; an offering with several needs one named, since Waldur bills no usage of
   * a resource without a plan.
   */
  planUuid?: string | null;
}

/**
 * Creates a resource (state OK, backend_id = the licence) for an Arrow licence of the mapping's
 * Arrow customer, with a DONE create-order for the audit trail, in one transaction. The project
 * must belong to the mapping's customer, and no live resource in any offering may hold the licence.
 */
export async function importLicense(deps: DomainDeps, mappingRef: MappingRef, input: ImportInput, createdByUuid?: string) {
  const prisma = deps.prisma;
  const mapping = await resolveMapping(prisma, mappingRef);
  const licenseReference = licenseReferenceOf(input.licenseReference);
  const name = (input.licenseName ?? '').trim() || licenseReference;
  if (name.length > 150) throw ValidationError.field('license_name', 'Ensure this field has no more than 150 characters.');
  const [offering, project] = await Promise.all([
    isUuid(input.offeringUuid) ? prisma.offering.findUnique({ where: { uuid: input.offeringUuid }, include: { plans: { orderBy: [{ name: 'asc' }, { uuid: 'asc' }] } } }) : null,
    isUuid(input.projectUuid) ? prisma.project.findFirst({ where: { uuid: input.projectUuid, customerUuid: mapping.waldurCustomerUuid } }) : null,
  ]);
  if (!offering) throw new NotFoundError(`Offering ${input.offeringUuid} not found`);
  if (!project) throw new NotFoundError(`Project ${input.projectUuid} not found for this customer`);
  const planUuid = planOfImport(offering, input.planUuid);
  await arrowLicenseOfMapping(deps, mapping, licenseReference);
  return withNamedLocks(prisma, [licenceLock(licenseReference)], async () => {
    const existing = await licenseHolder(prisma, deps.waldur, licenseReference);
    // a retry after a lost answer finds its own import done in Waldur but not yet in the mirror: it
    // completes the mirror, once; an import the mirror already had is a repeat, refused as Waldur does
    const earlier = existing && !('unmirrored' in existing) && !existing.mirroredBefore && existing.projectUuid === project.uuid && existing.offeringUuid === offering.uuid ? existing : null;
    if (existing && !earlier) throw new ConflictError(`License ${licenseReference} has already been imported: it backs ${holderText(existing)}`);
    const created = earlier
      ? await deps.waldur.resource(earlier.uuid).catch((err: unknown) => {
          throw waldurFailure(err, `import licence ${licenseReference} into Waldur`);
        })
      : await importIntoWaldur(deps.waldur, { name, projectUuid: project.uuid, offeringUuid: offering.uuid, licenseReference, planUuid, offering });
    const orders = await createOrdersOf(deps.waldur, created);
    // Waldur has the resource: a failure from here on is completed by a retry, which adopts it (above)
    return prisma.$transaction(async (tx) => {
      await mirrorCreated(tx, created, orders);
      const resource = await tx.resource.findUniqueOrThrow({ where: { uuid: created.uuid }, include: resourceInclude });
      let order = await tx.order.findFirst({ where: { resourceUuid: resource.uuid, type: 'CREATE' }, orderBy: { created: 'asc' } });
      if (order && createdByUuid && !order.createdByUuid) order = await tx.order.update({ where: { uuid: order.uuid }, data: { createdByUuid } });
      return { resource, order, licenseReference };
    });
  });
}

/** The plan an import gives its resource: the one named (of this offering), or the offering's only one. */
function planOfImport(offering: { name: string; plans: { uuid: string; name: string }[] }, given: string | null | undefined): string | null {
  if (given) {
    if (!offering.plans.some((p) => p.uuid === given)) throw ValidationError.field('plan_uuid', `Plan ${given} is not a plan of offering ${offering.name}`);
    return given;
  }
  if (offering.plans.length === 1) return offering.plans[0]!.uuid;
  if (offering.plans.length > 1) {
    throw ValidationError.field('plan_uuid', `Offering ${offering.name} has ${offering.plans.length} plans (${offering.plans.map((p) => `${p.name} ${p.uuid}`).join(', ')}): name the one the resource takes; Waldur bills no usage of a resource without a plan`);
  }
  return null;
}

/**
 * Links every suggestion of discover_licenses whose confidence is at least `minConfidence`, in
 * one transaction: all of them or none. A licence suggested for two resources goes to the one
 * with the higher confidence (the first on ties). Suggestions are the Arrow customer's own licences.
 */
export async function applyLicenseSuggestions(deps: DomainDeps, mappingUuid: string, minConfidence: number) {
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw ValidationError.field('min_confidence', 'Must be between 0 and 1.');
  const mapping = await getMapping(deps.prisma, mappingUuid);
  const [discovery] = await discoverLicenses(deps, [mapping]);
  if (discovery!.arrowFailed) throw new ArrowUnavailableError(`Cannot discover licences: ${discovery!.error}`);
  if (discovery!.error) throw new ValidationError(`Cannot discover licences: ${discovery!.error}`);
  const chosen = new Map<string, LicenseSuggestion>();
  for (const s of discovery!.suggestions) {
    if (s.confidence < minConfidence) continue;
    const key = s.license.licenseReference;
    const current = chosen.get(key);
    if (!current || s.confidence > current.confidence) chosen.set(key, s);
  }
  const picked = [...chosen.values()];
  const prisma = deps.prisma;
  const locks = picked.flatMap((s) => [licenceLock(s.license.licenseReference), resourceLock(s.resource.uuid)]);
  const linked = await withNamedLocks(prisma, locks, async () => {
    for (const s of picked) {
      const holder = await licenseHolder(prisma, deps.waldur, s.license.licenseReference, s.resource.uuid);
      if (holder) throw new ConflictError(`License ${s.license.licenseReference} is already linked to ${holderText(holder)}`);
      const current = await prisma.resource.findUniqueOrThrow({ where: { uuid: s.resource.uuid }, select: { licenseReference: true } });
      if (current.licenseReference) throw new ConflictError(`Resource ${s.resource.uuid} was linked meanwhile (to ${current.licenseReference})`);
    }
    // all or none: a failure part-way undoes the links already made in Waldur
    const changes = picked.map((s) => ({ resourceUuid: s.resource.uuid, from: '', to: s.license.licenseReference, offering: s.resource.offering }));
    return writeThrough(prisma, deps.waldur, changes, (tx) =>
      tx.resource.findMany({ where: { uuid: { in: picked.map((s) => s.resource.uuid) } }, include: resourceInclude, orderBy: [{ name: 'asc' }, { uuid: 'asc' }] }),
    );
  });
  return { mapping, linked, suggestions: picked };
}
