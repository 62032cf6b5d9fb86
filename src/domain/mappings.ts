import { containsText } from './text-filter.js';
import type { Prisma } from '../db/database.js';
import { Prisma as P } from '../generated/prisma/client.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import type { ArrowSource } from './arrow-source.js';
import { findArrowCustomer } from './arrow-customers.js';

export interface MappingFilters {
  settingsUuid?: string | null;
  waldurCustomerUuid?: string | null;
  /** Case-insensitive "contains". */
  arrowReference?: string | null;
  /** Case-insensitive "contains". */
  arrowCompanyName?: string | null;
  isActive?: boolean | null;
}

export function mappingWhere(f: MappingFilters = {}): P.CustomerMappingWhereInput {
  return {
    ...(f.settingsUuid ? { settingsUuid: f.settingsUuid } : {}),
    ...(f.waldurCustomerUuid ? { waldurCustomerUuid: f.waldurCustomerUuid } : {}),
    ...(f.arrowReference ? { arrowReference: containsText(f.arrowReference) } : {}),
    ...(f.arrowCompanyName ? { arrowCompanyName: containsText(f.arrowCompanyName) } : {}),
    ...(typeof f.isActive === 'boolean' ? { isActive: f.isActive } : {}),
  };
}

/** Newest first, as Waldur lists them; uuid breaks ties so pages never overlap. */
export const MAPPING_ORDER: P.CustomerMappingOrderByWithRelationInput[] = [{ created: 'desc' }, { uuid: 'desc' }];

// the whole Waldur customer row (five columns): GraphQL shows any of its fields without another read
export const mappingInclude = { waldurCustomer: true } satisfies P.CustomerMappingInclude;
export type MappingWithCustomer = P.CustomerMappingGetPayload<{ include: typeof mappingInclude }>;

export async function getMapping(prisma: Prisma, uuid: string): Promise<MappingWithCustomer> {
  const mapping = isUuid(uuid) ? await prisma.customerMapping.findUnique({ where: { uuid }, include: mappingInclude }) : null;
  if (!mapping) throw new NotFoundError(`Customer mapping ${uuid} not found`);
  return mapping;
}

/** A mapping the caller already read, or its uuid (then read here): each path reads it once. */
export type MappingRef = MappingWithCustomer | string;

export function resolveMapping(prisma: Prisma, mapping: MappingRef): Promise<MappingWithCustomer> {
  return typeof mapping === 'string' ? getMapping(prisma, mapping) : Promise.resolve(mapping);
}

export async function listMappings(prisma: Prisma, filters: MappingFilters, page: { offset: number; limit: number }) {
  const where = mappingWhere(filters);
  const [total, items] = await prisma.$transaction([
    prisma.customerMapping.count({ where }),
    prisma.customerMapping.findMany({ where, include: mappingInclude, orderBy: MAPPING_ORDER, skip: page.offset, take: page.limit }),
  ]);
  return { total, items };
}

export interface MappingInput {
  settingsUuid: string;
  arrowReference: string;
  arrowCompanyName?: string | null;
  waldurCustomerUuid: string;
  isActive?: boolean | null;
}

export const DUPLICATE_MAPPING = 'The fields settings, arrow_reference must make a unique set.';

/** Checks what a create or update would store; every problem is reported, per field. */
async function validate(prisma: Prisma, input: Partial<MappingInput>) {
  const fields: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  if (input.arrowReference !== undefined) {
    const ref = input.arrowReference.trim();
    if (!ref) add('arrow_reference', 'This field may not be blank.');
    else if (ref.length > 255) add('arrow_reference', 'Ensure this field has no more than 255 characters.');
  }
  if (input.arrowCompanyName && input.arrowCompanyName.length > 255) add('arrow_company_name', 'Ensure this field has no more than 255 characters.');
  const [settings, customer] = await Promise.all([
    input.settingsUuid === undefined ? null : isUuid(input.settingsUuid) ? prisma.arrowSettings.findUnique({ where: { uuid: input.settingsUuid }, select: { uuid: true } }) : null,
    input.waldurCustomerUuid === undefined ? null : isUuid(input.waldurCustomerUuid) ? prisma.waldurCustomer.findUnique({ where: { uuid: input.waldurCustomerUuid }, select: { uuid: true } }) : null,
  ]);
  if (input.settingsUuid !== undefined && !settings) add('settings', `Invalid settings "${input.settingsUuid}" - object does not exist.`);
  if (input.waldurCustomerUuid !== undefined && !customer) add('waldur_customer', `Invalid customer "${input.waldurCustomerUuid}" - object does not exist.`);
  if (Object.keys(fields).length) throw new ValidationError(Object.values(fields)[0]![0]!, fields);
}

/** A second mapping of one Arrow customer under the same settings. REST answers Waldur's 400 `non_field_errors`. */
export class DuplicateMappingError extends ConflictError {
  readonly fields = { non_field_errors: [DUPLICATE_MAPPING] };
  constructor() {
    super(DUPLICATE_MAPPING);
  }
}

function duplicateGuard(err: unknown): never {
  if (err instanceof P.PrismaClientKnownRequestError && err.code === 'P2002') throw new DuplicateMappingError();
  throw err;
}

/**
 * The company name Arrow gives the customer, for a mapping created without one; '' when Arrow
 * does not know the customer or cannot be asked (sync_from_arrow fills it in later).
 */
async function arrowCompanyNameOf(deps: { prisma: Prisma; arrow: ArrowSource }, settingsUuid: string, arrowReference: string): Promise<string> {
  const settings = await deps.prisma.arrowSettings.findUnique({ where: { uuid: settingsUuid } });
  if (!settings) return '';
  try {
    return findArrowCustomer((await deps.arrow.customersFor(settings, [arrowReference])).items, arrowReference, '')?.companyName ?? '';
  } catch {
    return '';
  }
}

/** Creates a mapping; without an arrow_company_name, Arrow's name for the customer is taken. */
export async function createMapping(deps: { prisma: Prisma; arrow: ArrowSource }, input: MappingInput): Promise<MappingWithCustomer> {
  const prisma = deps.prisma;
  await validate(prisma, input);
  const arrowCompanyName = input.arrowCompanyName?.trim() ? input.arrowCompanyName : await arrowCompanyNameOf(deps, input.settingsUuid, input.arrowReference.trim());
  return prisma.customerMapping
    .create({
      data: {
        settingsUuid: input.settingsUuid,
        arrowReference: input.arrowReference.trim(),
        arrowCompanyName,
        waldurCustomerUuid: input.waldurCustomerUuid,
        isActive: input.isActive ?? true,
      },
      include: mappingInclude,
    })
    .catch(duplicateGuard);
}

/** PUT (every required field given) and PATCH (any subset) alike. */
export async function updateMapping(prisma: Prisma, mappingRef: MappingRef, patch: Partial<MappingInput>): Promise<MappingWithCustomer> {
  const { uuid } = await resolveMapping(prisma, mappingRef);
  await validate(prisma, patch);
  return prisma.customerMapping
    .update({
      where: { uuid },
      data: {
        ...(patch.settingsUuid !== undefined ? { settingsUuid: patch.settingsUuid } : {}),
        ...(patch.arrowReference !== undefined ? { arrowReference: patch.arrowReference.trim() } : {}),
        ...(patch.arrowCompanyName !== undefined ? { arrowCompanyName: patch.arrowCompanyName ?? '' } : {}),
        ...(patch.waldurCustomerUuid !== undefined ? { waldurCustomerUuid: patch.waldurCustomerUuid } : {}),
        ...(patch.isActive !== undefined && patch.isActive !== null ? { isActive: patch.isActive } : {}),
      },
      include: mappingInclude,
    })
    .catch(duplicateGuard);
}

/** What deleting a mapping takes with it, and whether it was deleted. */
export interface MappingDeletion {
  mapping: MappingWithCustomer;
  deleted: boolean;
  /** Its billing history: the billing syncs (statements with their lines) that go with it. */
  billingSyncs: number;
  billingPeriods: string[];
  /** Resources of its Waldur customer standing for a licence: they stay as they are in Waldur. */
  linkedResources: number;
}

/**
 * Deletes the mapping; its billing syncs and their lines go with it (ON DELETE CASCADE), and no
 * one can make them again for a month Arrow has closed. So a mapping with billing history is
 * deleted only when the caller confirms that loss; a dry run says what would go and changes nothing.
 * Waldur's resources are not touched.
 */
export async function deleteMapping(prisma: Prisma, mappingRef: MappingRef, options: { dryRun?: boolean; confirmBillingHistoryLoss?: boolean } = {}): Promise<MappingDeletion> {
  const mapping = await resolveMapping(prisma, mappingRef);
  return prisma.$transaction(async (tx) => {
    const [syncs, linkedResources] = await Promise.all([
      tx.billingSync.findMany({ where: { customerMappingUuid: mapping.uuid }, select: { reportPeriod: true } }),
      tx.resource.count({ where: { project: { customerUuid: mapping.waldurCustomerUuid }, licenseReference: { not: '' } } }),
    ]);
    const preview = { mapping, deleted: false, billingSyncs: syncs.length, billingPeriods: [...new Set(syncs.map((s) => s.reportPeriod))].sort(), linkedResources };
    if (options.dryRun) return preview;
    if (syncs.length && !options.confirmBillingHistoryLoss) {
      throw new ConflictError(
        `Customer mapping ${mapping.uuid} has ${syncs.length} billing sync${syncs.length === 1 ? '' : 's'} (${preview.billingPeriods.join(', ')}) that would be deleted with it. ` +
          'Confirm the loss to delete it (GraphQL confirmBillingHistoryLoss: true, REST ?confirm=true), or deactivate it instead (isActive: false) to keep the history.',
      );
    }
    await tx.customerMapping.delete({ where: { uuid: mapping.uuid } });
    return { ...preview, deleted: true };
  });
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
