import type { Prisma } from '../db/database.js';
import { Prisma as P } from '../generated/prisma/client.js';
import { epochMs } from '../db/sql-fragments.js';

/** Whole project and offering rows, so the GraphQL types can show any of their fields without another read. */
export const resourceInclude = { project: true, offering: true } satisfies P.ResourceInclude;

export type ResourceRow = P.ResourceGetPayload<{ include: typeof resourceInclude }>;

/** A project as a JSON array (`p` is the projects table), read back by projectsFromJson. */
const projectJson = P.sql`json_build_array(p.uuid, p.name, p.customer_uuid, p.is_removed, ${epochMs('p.created')}, ${epochMs('p.modified')})`;

function projectsFromJson(json: string | null): ResourceRow['project'][] {
  return (JSON.parse(json ?? '[]') as [string, string, string, boolean, number, number][]).map(([uuid, name, customerUuid, isRemoved, created, modified]) => ({
    uuid, name, customerUuid, isRemoved, created: new Date(created), modified: new Date(modified),
  }));
}

/**
 * Every resource of each customer (through its projects), by name, with its project and offering,
 * in one statement whose answer is three JSON texts (resources, their projects, their offerings).
 * - Asked per customer (a lateral join kept apart by OFFSET 0): the planner then follows the
 *   customer's projects and their resources by index, where a join over the list of customers
 *   makes it scan every resource (2–9 ms of a 100-mapping screen on 20,000 resources, not 1 ms).
 * - JSON, not rows: the embedded database and Prisma cost some microseconds per value they hand
 *   over (22 ms for a screen's 400 resources with their projects and offerings as rows, against 5
 *   ms as three texts), and a project or offering comes once, not once per resource.
 * - Projects and offerings by their keys (`= ANY(ARRAY(…))`): as `IN (SELECT …)` the planner,
 *   guessing 200 rows, hashed the whole projects table (PostgreSQL 5.3 → 4.1 ms, PGlite about 1 ms less).
 */
export async function resourcesOfCustomers(prisma: Prisma, customerUuids: readonly string[]): Promise<Map<string, ResourceRow[]>> {
  const customers = [...new Set(customerUuids)];
  const byCustomer = new Map<string, ResourceRow[]>(customerUuids.map((uuid) => [uuid, []]));
  if (!customers.length) return byCustomer;
  const [found] = await prisma.$queryRaw<{ resources: string | null; projects: string | null; offerings: string | null }[]>`
    WITH r AS (
      SELECT r.* FROM unnest(${customers}::uuid[]) AS c(uuid)
       CROSS JOIN LATERAL (
         SELECT r.* FROM projects p JOIN resources r ON r.project_uuid = p.uuid WHERE p.customer_uuid = c.uuid OFFSET 0
       ) r
    )
    SELECT (SELECT json_agg(json_build_array(uuid, name, project_uuid, offering_uuid, state, backend_id, license_reference,
                                             license_in_attributes, plan_uuid, ${epochMs('created')}, ${epochMs('modified')}) ORDER BY name, uuid) FROM r)::text AS resources,
           (SELECT json_agg(${projectJson}) FROM projects p WHERE p.uuid = ANY(ARRAY(SELECT DISTINCT project_uuid FROM r)))::text AS projects,
           (SELECT json_agg(json_build_array(o.uuid, o.name, o.type, o.state, o.backend_id_rules, ${epochMs('o.created')}, ${epochMs('o.modified')}))
              FROM offerings o WHERE o.uuid = ANY(ARRAY(SELECT DISTINCT offering_uuid FROM r)))::text AS offerings`;
  const projects = new Map<string, ResourceRow['project']>();
  for (const project of projectsFromJson(found?.projects ?? null)) projects.set(project.uuid, project);
  const offerings = new Map<string, ResourceRow['offering']>();
  for (const [uuid, name, type, state, backendIdRules, created, modified] of JSON.parse(found?.offerings ?? '[]')) {
    offerings.set(uuid, { uuid, name, type, state, backendIdRules, created: new Date(created), modified: new Date(modified) });
  }
  for (const [uuid, name, projectUuid, offeringUuid, state, backendId, licenseReference, licenseInAttributes, planUuid, created, modified] of JSON.parse(found?.resources ?? '[]')) {
    const project = projects.get(projectUuid)!;
    byCustomer.get(project.customerUuid)!.push({
      uuid, name, projectUuid, offeringUuid, state, backendId, licenseReference, licenseInAttributes, planUuid,
      created: new Date(created), modified: new Date(modified), project, offering: offerings.get(offeringUuid)!,
    });
  }
  return byCustomer;
}

/**
 * Every project of each customer, by name, in one statement (as resourcesOfCustomers, and for its
 * reasons: one JSON text, and the customers as one array, so the statement's text is the same for
 * any page and PostgreSQL keeps it parsed).
 */
export async function projectsOfCustomers(prisma: Prisma, customerUuids: readonly string[]): Promise<Map<string, ResourceRow['project'][]>> {
  const byCustomer = new Map<string, ResourceRow['project'][]>(customerUuids.map((uuid) => [uuid, []]));
  if (!customerUuids.length) return byCustomer;
  const [found] = await prisma.$queryRaw<{ projects: string | null }[]>`
    SELECT json_agg(${projectJson} ORDER BY p.name, p.uuid)::text AS projects
      FROM projects p WHERE p.customer_uuid = ANY(${[...new Set(customerUuids)]}::uuid[])`;
  for (const project of projectsFromJson(found?.projects ?? null)) byCustomer.get(project.customerUuid)!.push(project);
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
