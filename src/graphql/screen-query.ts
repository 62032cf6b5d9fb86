/**
 * The whole mappings screen, every nested field a front end shows: the query the query-count
 * tests and the benchmarks measure.
 */
export const FULL_SCREEN_QUERY = /* GraphQL */ `
  query Screen($first: Int!, $period: String) {
    customerMappings(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node {
        id uuid arrowReference arrowCompanyName isActive created modified settingsUuid waldurCustomerUuid waldurCustomerName
        settings { uuid apiUrl hasApiKey partnerName partnerReference exportTypeReference isActive }
        waldurCustomer { uuid name abbreviation }
        waldurResources { uuid name backendId state project { uuid name } offering { uuid name } }
        arrowCustomer { reference companyName email city countryCode internalReference }
        arrowLicenses { licenseReference friendlyName offerName offerSku vendorName state seats }
        suggestions { resourceUuid resourceName licenseReference licenseName confidence resource { uuid name } license { licenseReference } }
        licenseDiscoveryError arrowListingFetchedAt arrowListingStale
        billingSummary {
          totalConsumptionRecords totalConsumedSell totalFinalSell pendingRecords finalizedRecords reconciledRecords
          totalBillingSyncs totalBillingSell
          recentConsumptionRecords { uuid licenseReference resourceName billingPeriod consumedSell finalSell isFinalized isReconciled }
          recentBillingSyncs { uuid reportPeriod state sellTotal itemsCount created }
        }
        arrowData(period: $period) {
          period billingAvailable billingTotalSell billingTotalBuy consumptionSource consumptionSyncedAt consumptionTotalSell consumptionTotalBuy
          totalCustomerResources resourcesWithBackendId matchedResources error
          billingLines { vendorName subscriptionReference licenseReference offerSku classification quantity sellPrice buyPrice }
          consumptionLines { licenseReference resourceUuid resourceName period sellPrice buyPrice recordedAt error }
        }
      } }
    }
  }
`;

/** The same screen with each licence's consumption asked of Arrow now: one Arrow call per licence. */
export const FULL_SCREEN_QUERY_LIVE = FULL_SCREEN_QUERY.replace('arrowData(period: $period)', 'arrowData(period: $period, consumption: LIVE)');
