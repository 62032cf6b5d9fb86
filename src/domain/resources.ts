import type { Prisma } from '../db/database.js';
import type { Prisma as P } from '../generated/prisma/client.js';

/** Whole project and offering rows, so the GraphQL types can show any of their fields without another read. */
export const resourceInclude = { project: true, offering: true } satisfies P.ResourceInclude;

export type ResourceRow = P.ResourceGetPayload<{ include: typeof resourceInclude }>;

/** Every resource of each customer (through its projects), by name, in one query. */
export async function resourcesOfCustomers(prisma: Prisma, customerUuids: readonly string[]): Promise<Map<string, ResourceRow[]>> {
  const rows = await prisma.resource.findMany({
    where: { project: { customerUuid: { in: [...new Set(customerUuids)] } } },
    include: resourceInclude,
    orderBy: [{ name: 'asc' }, { uuid: 'asc' }],
  });
  const byCustomer = new Map<string, ResourceRow[]>(customerUuids.map((uuid) => [uuid, []]));
  for (const row of rows) byCustomer.get(row.project.customerUuid)?.push(row);
  return byCustomer;
}

/**
 * The resources whose licences count: one per licence, the oldest holding it, so a licence
 * linked twice (data from before links were checked, or from Waldur) is never counted twice.
 */
export function oneResourcePerLicence<R extends { licenseReference: string; created: Date; uuid: string }>(resources: R[]): { counted: R[]; doubles: R[] } {
  const first = new Map<string, R>();
  for (const r of [...resources].sort((a, b) => a.created.getTime() - b.created.getTime() || a.uuid.localeCompare(b.uuid))) {
    if (!first.has(r.licenseReference)) first.set(r.licenseReference, r);
  }
  const counted = new Set(first.values());
  return { counted: resources.filter((r) => counted.has(r)), doubles: resources.filter((r) => !counted.has(r)) };
}
