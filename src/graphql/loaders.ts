import DataLoader from 'dataloader';
import { groupBy } from '../domain/collections.js';
import { discoverLicenses, type Discovery } from '../domain/licenses.js';
import { billingSummaries } from '../domain/billing-summary.js';
import { fetchArrowData, type ConsumptionSource } from '../domain/arrow-data.js';
import { directReads, type DomainDeps, type SharedReads } from '../domain/reads.js';
import type { MappingWithCustomer } from '../domain/mappings.js';
import type { ResourceRow } from '../domain/resources.js';
import type { Settings } from '../domain/settings.js';

interface ArrowDataKey {
  mapping: MappingWithCustomer;
  period: string;
  source: ConsumptionSource;
}
const arrowDataKey = (k: ArrowDataKey) => `${k.mapping.uuid}|${k.period}|${k.source}`;

/**
 * Per-request loaders: every nested field of a mappings page is answered by one batch for the
 * whole page, so a page of 100 costs what a page of 1 does. The shared reads (resources,
 * settings) are loaders too, so discovery, Arrow data and the resources field read them once.
 */
export function createLoaders(base: Omit<DomainDeps, 'reads'>) {
  const direct = directReads(base.prisma);
  const resourcesOfCustomer = new DataLoader(async (uuids: readonly string[]) => {
    const byCustomer = await direct.resourcesOfCustomers(uuids);
    return uuids.map((uuid) => byCustomer.get(uuid) ?? []);
  });
  const settings = new DataLoader(async (uuids: readonly string[]) => {
    const found = await direct.settings(uuids);
    return uuids.map((uuid) => found.get(uuid) ?? new Error(`Arrow settings ${uuid} not found`));
  });
  const reads: SharedReads = {
    resourcesOfCustomers: async (uuids) => {
      const lists = await resourcesOfCustomer.loadMany(uuids);
      return new Map(uuids.map((u, i) => [u, lists[i] as ResourceRow[]]));
    },
    settings: async (uuids) => {
      const rows = await settings.loadMany(uuids);
      return new Map(rows.filter((s): s is Settings => !(s instanceof Error)).map((s) => [s.uuid, s]));
    },
  };
  const deps: DomainDeps = { ...base, reads };
  const byUuid = <T extends { uuid: string }>(what: string, find: (uuids: string[]) => Promise<T[]>) =>
    new DataLoader(async (uuids: readonly string[]) => {
      const rows = new Map((await find([...uuids])).map((r) => [r.uuid, r]));
      return uuids.map((uuid) => rows.get(uuid) ?? new Error(`${what} ${uuid} not found`));
    });
  const byMapping = { cacheKeyFn: (m: MappingWithCustomer) => m.uuid };
  const discovery = new DataLoader((mappings: readonly MappingWithCustomer[]) => discoverLicenses(deps, mappings), byMapping);
  // Six fields of each mapping read its discovery. DataLoader answers a key asked again with a new
  // promise settled through its next batch; the promise itself, kept here, costs nothing.
  const discoveries = new Map<string, Promise<Discovery>>();
  const discoveryOf = (m: MappingWithCustomer) => {
    let found = discoveries.get(m.uuid);
    if (!found) discoveries.set(m.uuid, (found = discovery.load(m)));
    return found;
  };
  return {
    resourcesOfCustomer,
    settings,
    project: byUuid('Project', (uuids) => base.prisma.project.findMany({ where: { uuid: { in: uuids } } })),
    offering: byUuid('Offering', (uuids) => base.prisma.offering.findMany({ where: { uuid: { in: uuids } } })),
    discoveryOf,
    billingSummary: new DataLoader((mappings: readonly MappingWithCustomer[]) => billingSummaries(deps.prisma, mappings), byMapping),
    arrowData: new DataLoader(
      async (keys: readonly ArrowDataKey[]) => {
        // one batch per period and consumption source asked for (usually one)
        const groups = groupBy(keys, (k) => `${k.period}|${k.source}`);
        const results = await Promise.all(
          [...groups.values()].map((group) => fetchArrowData(deps, group.map((k) => k.mapping), group[0]!.period, group[0]!.source)),
        );
        const found = new Map(results.flat().map((r) => [arrowDataKey({ mapping: r.mapping, period: r.period, source: r.consumptionSource }), r]));
        return keys.map((k) => found.get(arrowDataKey(k))!);
      },
      { cacheKeyFn: arrowDataKey },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
