import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphiQLOptions } from 'graphql-yoga';

export const DEFAULT_GRAPHIQL_QUERY = `# The whole mappings screen in one request.
# Your staff token goes in the Headers tab below.
query MappingsScreen($period: String) {
  viewer { username isStaff }
  customerMappings(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        uuid arrowReference arrowCompanyName isActive created
        settings { uuid partnerName apiUrl }
        waldurCustomer { uuid name abbreviation }
        waldurResources { uuid name backendId state project { name } offering { name } }
        arrowCustomer { reference companyName city countryCode }
        arrowLicenses { licenseReference friendlyName offerName vendorName }
        suggestions { resourceName licenseReference licenseName confidence }
        licenseDiscoveryError
        billingSummary {
          totalConsumptionRecords totalConsumedSell totalFinalSell pendingRecords
          totalBillingSyncs totalBillingSell
          recentBillingSyncs { reportPeriod state sellTotal itemsCount }
        }
        arrowData(period: $period) {
          period billingAvailable billingTotalSell consumptionSyncedAt consumptionTotalSell matchedResources error
          consumptionLines { licenseReference resourceName sellPrice buyPrice recordedAt error }
        }
      }
    }
  }
}
`;

/** The Headers tab GraphiQL opens with: the one header every request needs, to fill in. */
export const GRAPHIQL_HEADERS_TEMPLATE = JSON.stringify({ Authorization: 'Token <paste your staff token here>' }, null, 2);

export const GRAPHIQL_TITLE = 'Arrow–Waldur gateway';

/** GraphiQL's options: open on the screen query, with the Authorization header to fill in. */
export const graphiqlOptions: GraphiQLOptions = {
  title: GRAPHIQL_TITLE,
  // Yoga's GraphiQL opens its tabs from defaultTabs; defaultQuery alone shows GraphiQL's welcome text
  defaultTabs: [{ query: DEFAULT_GRAPHIQL_QUERY, headers: GRAPHIQL_HEADERS_TEMPLATE }],
  defaultQuery: DEFAULT_GRAPHIQL_QUERY,
  headers: GRAPHIQL_HEADERS_TEMPLATE,
  defaultEditorToolsVisibility: 'headers',
};

/**
 * The page as the build rendered it (scripts/build-gateway.mjs runs this module's bundle): the
 * gateway streams it from disk, so neither the 9 MB page nor the 27 MB of strings of the module
 * that renders it ever enter the gateway's heap. Two folders below the root, as
 * dist/gateway/main.js is, so the path resolves alike from the source and from the bundle.
 */
export const GRAPHIQL_PAGE = fileURLToPath(new URL('../../dist/graphiql.html', import.meta.url));

export function builtGraphiQLPage(): string | null {
  return fs.existsSync(GRAPHIQL_PAGE) ? GRAPHIQL_PAGE : null;
}
