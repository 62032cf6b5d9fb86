import DataLoader from 'dataloader';
import { groupBy } from '../domain/collections.js';
import { discoverLicenses } from '../domain/licenses.js';
import { billingSummaries } from '../domain/billing-summary.js';
import { fetchArrowData, type ConsumptionSource } from '../domain/arrow-data.js';
import { directReads, type DomainDeps, type SharedReads } from '../domain/reads.js';
import type { MappingWithCustomer } from '../domain/mappings.js';
import { projectsOfCustomers, type ResourceRow } from '../domain/resources.js';
import type { Settings } from '../domain/settings.js';

interface ArrowDataKey {
  mapping: MappingWithCustomer;
  period: string;
  source: ConsumptionSource;
}
const arrowDataKey = (k: ArrowDataKey) => `${k.mapping.uuid}|${k.period}|${k.source}`;
const mappingKey = (m: MappingWithCustomer) => m.uuid;
const itself = (key: string) => key;

/**
 * A batch loader whose promise for a key is kept for the request and handed out again. A
 * DataLoader's own cache answers a key asked again with a new promise settled through its next
 * batch; a screen asks the same keys hundreds of times (six fields of each mapping read its
 * discovery, every mapping its settings, discovery and Arrow data the page's resources). Each key
 * reaches the DataLoader once, so it keeps no cache of its own.
 */
function sharedLoads<K, V>(batch: DataLoader.BatchLoadFn<K, V>, keyOf: (key: K) => string) {
  const loader = new DataLoader(batch, { cache: false });
  const promises = new Map<string, Promise<V>>();
  return (key: K): Promise<V> => {
    const k = keyOf(key);
    let found = promises.get(k);
    if (!found) promises.set(k, (found = loader.load(key)));
    return found;
  };
}

/**
 * Per-request loaders: every nested field of a mappings page is answered by one batch for the
 * whole page, so a page of 100 costs what a page of 1 does. The shared reads (resources,
 * settings) are loaders too, so discovery, Arrow data and the resources field read them once.
 */
export function createLoaders(base: Omit<DomainDeps, 'reads'>) {
  const direct = directReads(base.prisma);
  const resourcesOfCustomer = sharedLoads(async (uuids: readonly string[]) => {
    const byCustomer = await direct.resourcesOfCustomers(uuids);
    return uuids.map((uuid) => byCustomer.get(uuid) ?? []);
  }, itself);
  const settings = sharedLoads(async (uuids: readonly string[]) => {
    const found = await direct.settings(uuids);
    return uuids.map((uuid) => found.get(uuid) ?? new Error(`Arrow settings ${uuid} not found`));
  }, itself);
  const reads: SharedReads = {
    resourcesOfCustomers: async (uuids) => {
      const unique = [...new Set(uuids)];
      const lists = await Promise.all(unique.map(resourcesOfCustomer));
      return new Map(unique.map((u, i) => [u, lists[i]!]));
    },
    settings: async (uuids) => {
      // settings not found are left out, as a direct read leaves them out
      const rows = await Promise.all([...new Set(uuids)].map((u) => settings(u).catch(() => null)));
      return new Map(rows.filter((s): s is Settings => s !== null).map((s) => [s.uuid, s]));
    },
  };
  const deps: DomainDeps = { ...base, reads };
  const byUuid = <T extends { uuid: string }>(what: string, find: (uuids: string[]) => Promise<T[]>) =>
    sharedLoads(async (uuids: readonly string[]) => {
      const rows = new Map((await find([...uuids])).map((r) => [r.uuid, r]));
      return uuids.map((uuid) => rows.get(uuid) ?? new Error(`${what} ${uuid} not found`));
    }, itself);
  return {
    resourcesOfCustomer: resourcesOfCustomer as (customerUuid: string) => Promise<ResourceRow[]>,
    settings,
    project: byUuid('Project', (uuids) => base.prisma.project.findMany({ where: { uuid: { in: uuids } } })),
    offering: byUuid('Offering', (uuids) => base.prisma.offering.findMany({ where: { uuid: { in: uuids } } })),
    // a customer's projects by name: one read for a page of customers, whoever read the customers
    projectsOfCustomer: sharedLoads(async (uuids: readonly string[]) => {
      const byCustomer = await projectsOfCustomers(base.prisma, uuids);
      return uuids.map((uuid) => byCustomer.get(uuid)!);
    }, itself),
    discovery: sharedLoads((mappings: readonly MappingWithCustomer[]) => discoverLicenses(deps, mappings), mappingKey),
    billingSummary: sharedLoads((mappings: readonly MappingWithCustomer[]) => billingSummaries(deps.prisma, mappings), mappingKey),
    arrowData: sharedLoads(async (keys: readonly ArrowDataKey[]) => {
      // one batch per period and consumption source asked for (usually one)
      const groups = groupBy(keys, (k) => `${k.period}|${k.source}`);
      const results = await Promise.all(
        [...groups.values()].map((group) => fetchArrowData(deps, group.map((k) => k.mapping), group[0]!.period, group[0]!.source)),
      );
      const found = new Map(results.flat().map((r) => [arrowDataKey({ mapping: r.mapping, period: r.period, source: r.consumptionSource }), r]));
      return keys.map((k) => found.get(arrowDataKey(k))!);
    }, arrowDataKey),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
