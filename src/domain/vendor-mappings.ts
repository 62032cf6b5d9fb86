import { containsText } from './text-filter.js';
import type { Prisma } from '../db/database.js';
import { Prisma as P } from '../generated/prisma/client.js';
import type { ArrowSource } from './arrow-source.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { isUuid } from './mappings.js';
import { activeSettings, getSettings } from './settings.js';

/**
 * Vendor-offering mappings: which Waldur offering and plan an Arrow vendor's subscriptions become
 * when sync_resources imports them (ARROW-MODULE.md §3). One per settings and vendor name.
 */

export const vendorMappingInclude = { offering: true, plan: true } as const;
export type VendorMapping = NonNullable<Awaited<ReturnType<Prisma['vendorOfferingMapping']['findUnique']>>> & {
  offering: { uuid: string; name: string; type: string };
  plan: { uuid: string; name: string };
};

export interface VendorMappingInput {
  settingsUuid: string;
  arrowVendorName: string;
  offeringUuid: string;
  planUuid: string;
  isActive?: boolean | null;
}

export interface VendorMappingFilters {
  settingsUuid?: string;
  arrowVendorName?: string;
  offeringUuid?: string;
  isActive?: boolean;
}

const DUPLICATE = 'The fields settings, arrow_vendor_name must make a unique set.';

export class DuplicateVendorMappingError extends ConflictError {
  readonly fields = { non_field_errors: [DUPLICATE] };
  constructor() {
    super(DUPLICATE);
  }
}

/** The filters as a query (REST's and GraphQL's lists alike). */
export const vendorMappingWhere = (f: VendorMappingFilters): P.VendorOfferingMappingWhereInput => ({
  ...(f.settingsUuid ? { settingsUuid: f.settingsUuid } : {}),
  ...(f.arrowVendorName ? { arrowVendorName: containsText(f.arrowVendorName) } : {}),
  ...(f.offeringUuid ? { offeringUuid: f.offeringUuid } : {}),
  ...(f.isActive !== undefined ? { isActive: f.isActive } : {}),
});

/** A page of mappings, newest first (Waldur's fixed order), and how many match. */
export async function listVendorMappings(prisma: Prisma, filters: VendorMappingFilters, window: { offset: number; limit: number }) {
  const [total, items] = await Promise.all([
    prisma.vendorOfferingMapping.count({ where: vendorMappingWhere(filters) }),
    prisma.vendorOfferingMapping.findMany({ where: vendorMappingWhere(filters), include: vendorMappingInclude, orderBy: [{ created: 'desc' }, { uuid: 'desc' }], skip: window.offset, take: window.limit }),
  ]);
  return { total, items };
}

export async function getVendorMapping(prisma: Prisma, uuid: string): Promise<VendorMapping> {
  const found = isUuid(uuid) ? await prisma.vendorOfferingMapping.findUnique({ where: { uuid }, include: vendorMappingInclude }) : null;
  if (!found) throw new NotFoundError(`Vendor-offering mapping ${uuid} not found`);
  return found;
}

/** The settings, offering and plan named exist, and the plan is the offering's; every problem named at once. */
async function validate(prisma: Prisma, input: Partial<VendorMappingInput>, current?: VendorMapping) {
  const errors: Record<string, string[]> = {};
  if (input.arrowVendorName !== undefined && !input.arrowVendorName.trim()) errors.arrow_vendor_name = ['This field may not be blank.'];
  if (input.settingsUuid !== undefined && !(await prisma.arrowSettings.findUnique({ where: { uuid: input.settingsUuid }, select: { uuid: true } }))) {
    errors.settings = [`Invalid pk "${input.settingsUuid}" - object does not exist.`];
  }
  const offeringUuid = input.offeringUuid ?? current?.offeringUuid;
  if (input.offeringUuid !== undefined && !(await prisma.offering.findUnique({ where: { uuid: input.offeringUuid }, select: { uuid: true } }))) {
    errors.offering = [`Invalid pk "${input.offeringUuid}" - object does not exist.`];
  }
  const planUuid = input.planUuid ?? current?.planUuid;
  if (planUuid && !errors.offering) {
    const plan = await prisma.offeringPlan.findUnique({ where: { uuid: planUuid }, select: { offeringUuid: true } });
    if (!plan) errors.plan = [`Invalid pk "${planUuid}" - object does not exist.`];
    else if (plan.offeringUuid !== offeringUuid) errors.plan = ['Plan must belong to the selected offering.'];
  }
  if (Object.keys(errors).length) throw new ValidationError(Object.values(errors)[0]![0]!, errors);
}

function duplicateGuard(err: unknown): never {
  if (err instanceof P.PrismaClientKnownRequestError && err.code === 'P2002') throw new DuplicateVendorMappingError();
  throw err;
}

export async function createVendorMapping(prisma: Prisma, input: VendorMappingInput): Promise<VendorMapping> {
  await validate(prisma, input);
  return prisma.vendorOfferingMapping
    .create({
      data: { settingsUuid: input.settingsUuid, arrowVendorName: input.arrowVendorName.trim(), offeringUuid: input.offeringUuid, planUuid: input.planUuid, isActive: input.isActive ?? true },
      include: vendorMappingInclude,
    })
    .catch(duplicateGuard);
}

/** PUT (every required field given) and PATCH (any subset) alike; a plan is checked against the offering it ends up with. */
export async function updateVendorMapping(prisma: Prisma, uuid: string, patch: Partial<VendorMappingInput>): Promise<VendorMapping> {
  const current = await getVendorMapping(prisma, uuid);
  await validate(prisma, patch, current);
  return prisma.vendorOfferingMapping
    .update({
      where: { uuid },
      data: {
        ...(patch.settingsUuid !== undefined ? { settingsUuid: patch.settingsUuid } : {}),
        ...(patch.arrowVendorName !== undefined ? { arrowVendorName: patch.arrowVendorName.trim() } : {}),
        ...(patch.offeringUuid !== undefined ? { offeringUuid: patch.offeringUuid } : {}),
        ...(patch.planUuid !== undefined ? { planUuid: patch.planUuid } : {}),
        ...(patch.isActive != null ? { isActive: patch.isActive } : {}),
      },
      include: vendorMappingInclude,
    })
    .catch(duplicateGuard);
}

export async function deleteVendorMapping(prisma: Prisma, uuid: string): Promise<VendorMapping> {
  const mapping = await getVendorMapping(prisma, uuid);
  await prisma.vendorOfferingMapping.delete({ where: { uuid } });
  return mapping;
}

/**
 * The vendor names staff can choose from, sorted: Arrow's IAAS programs for the settings (the
 * active ones by default); when Arrow names none (or cannot be asked), the vendors of billing lines
 * already synced. Waldur's vendor_choices, as {value, label}.
 */
export async function vendorChoices(prisma: Prisma, arrow: ArrowSource, settingsUuid?: string | null): Promise<{ value: string; label: string }[]> {
  const settings = settingsUuid ? await getSettings(prisma, settingsUuid) : await activeSettings(prisma);
  const fromArrow = settings ? await arrow.client(settings).programs('IAAS').catch(() => []) : [];
  let names = fromArrow.map((p) => p.name).filter(Boolean);
  if (!names.length) {
    const lines = await prisma.billingSyncItem.findMany({
      where: { vendorName: { not: '' }, ...(settingsUuid ? { billingSync: { customerMapping: { settingsUuid } } } : {}) },
      select: { vendorName: true },
      distinct: ['vendorName'],
    });
    names = lines.map((l) => l.vendorName);
  }
  return [...new Set(names)].sort((a, b) => a.localeCompare(b)).map((name) => ({ value: name, label: name }));
}
