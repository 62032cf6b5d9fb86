import DataLoader from 'dataloader';
import type { DomainDeps } from '../domain/licenses.js';
import { discoverLicenses } from '../domain/licenses.js';
import { billingSummaries } from '../domain/billing-summary.js';
import { fetchArrowData } from '../domain/arrow-data.js';
import { resourcesOfCustomers } from '../domain/resources.js';
import type { MappingWithCustomer } from '../domain/mappings.js';

/**
 * Per-request loaders: every nested field of a mappings page is answered by one batch for the
 * whole page, so a page of 100 costs what a page of 1 does.
 */
export function createLoaders(deps: DomainDeps) {
  const byMapping = { cacheKeyFn: (m: MappingWithCustomer) => m.uuid };
  return {
    discovery: new DataLoader((mappings: readonly MappingWithCustomer[]) => discoverLicenses(deps, mappings), byMapping),
    billingSummary: new DataLoader((mappings: readonly MappingWithCustomer[]) => billingSummaries(deps.prisma, mappings), byMapping),
    arrowData: new DataLoader(
      async (keys: readonly { mapping: MappingWithCustomer; period: string }[]) => {
        // one batch per period asked for (usually one)
        const periods = [...new Set(keys.map((k) => k.period))];
        const results = await Promise.all(periods.map((p) => fetchArrowData(deps, keys.filter((k) => k.period === p).map((k) => k.mapping), p)));
        const found = new Map(results.flat().map((r) => [`${r.mapping.uuid}|${r.period}`, r]));
        return keys.map((k) => found.get(`${k.mapping.uuid}|${k.period}`)!);
      },
      { cacheKeyFn: (k) => `${k.mapping.uuid}|${k.period}` },
    ),
    resourcesOfCustomer: new DataLoader(async (customerUuids: readonly string[]) => {
      const byCustomer = await resourcesOfCustomers(deps.prisma, customerUuids);
      return customerUuids.map((uuid) => byCustomer.get(uuid) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
