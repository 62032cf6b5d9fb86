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
