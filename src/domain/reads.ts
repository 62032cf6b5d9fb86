import type { Prisma } from '../db/database.js';
import type { ArrowSource } from './arrow-source.js';
import type { WaldurClient } from '../waldur/client.js';
import { resourcesOfCustomers, type ResourceRow } from './resources.js';
import type { Settings } from './settings.js';

/**
 * Reads that several operations need for the same mappings (resources, settings). GraphQL
 * passes per-request DataLoaders here, so a screen reads each once; alone, they query directly.
 */
export interface SharedReads {
  resourcesOfCustomers(customerUuids: readonly string[]): Promise<Map<string, ResourceRow[]>>;
  settings(uuids: readonly string[]): Promise<Map<string, Settings>>;
}

export interface DomainDeps {
  prisma: Prisma;
  arrow: ArrowSource;
  /** Waldur, where the writes go first (the gateway's Waldur tables mirror it). */
  waldur: WaldurClient;
  reads?: SharedReads;
}

export function directReads(prisma: Prisma): SharedReads {
  return {
    resourcesOfCustomers: (uuids) => resourcesOfCustomers(prisma, uuids),
    settings: async (uuids) => {
      const rows = await prisma.arrowSettings.findMany({ where: { uuid: { in: [...new Set(uuids)] } } });
      return new Map(rows.map((s) => [s.uuid, s]));
    },
  };
}

export function readsOf(deps: DomainDeps): SharedReads {
  return deps.reads ?? directReads(deps.prisma);
}
