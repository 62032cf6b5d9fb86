import { graphql } from './gql';

// Every document the console sends; each screen loads with ONE of the *Screen queries. These
// are the gateway's trusted documents (codegen writes gql/persisted-documents.json from them).

export const ViewerQuery = graphql(`
  query Viewer {
    viewer { username isStaff isSupport source }
  }
`);

// A mapping's row of the mappings screen; a write to its resources answers with the same fields
// (its result's `mapping`), so a normalized client cache shows the new state with no second request
export const MappingRowFields = graphql(`
  fragment MappingRowFields on CustomerMapping {
    id uuid arrowReference arrowCompanyName isActive
    settings { id uuid partnerName }
    waldurCustomer { id uuid name abbreviation projects { id uuid name } }
    waldurResources { id uuid name backendId licenseReference state project { id uuid name } offering { id uuid name } }
    arrowCustomer { id reference companyName city countryCode email }
    arrowLicenses { id licenseReference friendlyName offerName vendorName state seats }
    suggestions { id resourceUuid resourceName licenseReference licenseName confidence }
    licenseDiscoveryError
    billingSummary { id totalConsumptionRecords totalConsumedSell totalFinalSell pendingRecords totalBillingSyncs totalBillingSell }
    arrowData(period: $period) { id period billingAvailable billingTotalSell consumptionTotalSell matchedResources error }
  }
`);

export const MappingsScreenQuery = graphql(`
  query MappingsScreen($first: Int!, $after: String, $filter: CustomerMappingFilter, $period: String) {
    customerMappings(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...MappingRowFields } }
    }
    offerings(first: 100) { edges { node { id uuid name } } }
    recentWork { ...WorkFields }
  }
`);

export const WorkFields = graphql(`
  fragment WorkFields on Work {
    id uuid kind label state done total message startedAt
    flowRun { id uuid status created updated unchanged skipped failed message }
  }
`);

export const WorkProgressSubscription = graphql(`
  subscription WorkProgress($uuid: UUID!) {
    workProgress(uuid: $uuid) { ...WorkFields }
  }
`);

export const LinkResourceMutation = graphql(`
  mutation LinkResource($mappingUuid: UUID!, $resourceUuid: UUID!, $licenseReference: String!, $move: Boolean, $period: String) {
    linkResource(mappingUuid: $mappingUuid, resourceUuid: $resourceUuid, licenseReference: $licenseReference, move: $move) {
      __typename
      ... on MutationLinkResourceSuccess { result { resourceName licenseReference movedFrom { id name backendId licenseReference } mapping { ...MappingRowFields } } }
      ... on Error { message }
    }
  }
`);

export const UnlinkResourceMutation = graphql(`
  mutation UnlinkResource($mappingUuid: UUID!, $resourceUuid: UUID!, $period: String) {
    unlinkResource(mappingUuid: $mappingUuid, resourceUuid: $resourceUuid) {
      __typename
      ... on MutationUnlinkResourceSuccess { result { resource { id name } mapping { ...MappingRowFields } } }
      ... on Error { message }
    }
  }
`);

export const ImportLicenseMutation = graphql(`
  mutation ImportLicense($mappingUuid: UUID!, $licenseReference: String!, $projectUuid: UUID!, $offeringUuid: UUID!, $licenseName: String, $period: String) {
    importLicense(mappingUuid: $mappingUuid, licenseReference: $licenseReference, projectUuid: $projectUuid, offeringUuid: $offeringUuid, licenseName: $licenseName) {
      __typename
      ... on MutationImportLicenseSuccess { result { resourceName licenseReference mapping { ...MappingRowFields } } }
      ... on Error { message }
    }
  }
`);

export const ApplySuggestionsMutation = graphql(`
  mutation ApplySuggestions($mappingUuid: UUID!, $minConfidence: Float!, $period: String) {
    applyLicenseSuggestions(mappingUuid: $mappingUuid, minConfidence: $minConfidence) {
      __typename
      ... on MutationApplyLicenseSuggestionsSuccess { result { linked { id uuid name backendId } mapping { ...MappingRowFields } } }
      ... on Error { message }
    }
  }
`);

export const UnmappedScreenQuery = graphql(`
  query UnmappedScreen {
    availableArrowCustomers {
      __typename
      ... on QueryAvailableArrowCustomersSuccess {
        result {
          settingsUuid
          settings { id partnerName }
          suggestions { confidence existingMapping arrowCustomer { id reference companyName city countryCode } suggestedWaldurCustomer { id uuid name } }
          waldurCustomers { id uuid name abbreviation }
        }
      }
      ... on Error { message }
    }
  }
`);

export const CreateMappingMutation = graphql(`
  mutation CreateMapping($input: CreateCustomerMappingInput!, $period: String) {
    createCustomerMapping(input: $input) {
      __typename
      ... on MutationCreateCustomerMappingSuccess { mapping { ...MappingRowFields } }
      ... on Error { message }
    }
  }
`);

export const UnbilledChargesQuery = graphql(`
  query UnbilledCharges($period: String!, $settingsUuid: UUID!) {
    unbilledArrowCharges(period: $period, settingsUuid: $settingsUuid) {
      __typename
      ... on QueryUnbilledArrowChargesSuccess { charges { period exportLines exportTotal invoicedTotal unbilledTotal causes { cause lines amount examples } } }
      ... on Error { message }
    }
  }
`);

export const BillingScreenQuery = graphql(`
  query BillingScreen($mappingUuid: UUID) {
    customerMappings(first: 300) { edges { node { id uuid arrowCompanyName waldurCustomer { id name } settings { id uuid partnerName } } } }
    billingSyncs(first: 300, mappingUuid: $mappingUuid) {
      edges { node { id uuid reportPeriod sellTotal state statementReference customerMapping { id uuid arrowCompanyName } items { id uuid arrowLineReference description originalPrice waldurState waldurError waldurInvoicePeriod } } }
    }
    consumptionRecords(first: 300, mappingUuid: $mappingUuid) { edges { node { id uuid billingPeriod consumedSell finalSell licenseReference resource { id name } adjustment { id amount description } } } }
    adjustedItems: billingSyncItems(first: 100, hasCompensation: true) { edges { node { id arrowLineReference description adjustment { id amount description created } billingSync { id reportPeriod customerMapping { id uuid arrowCompanyName } } } } }
    flowRuns(first: 20) { edges { node { id uuid kind period status message created updated unchanged skipped failed startedAt errors { reference message } } } }
    recentWork { ...WorkFields }
  }
`);

export const StartFlowMutation = graphql(`
  mutation StartFlow($flow: StartableFlow!, $period: String!) {
    startFlow(flow: $flow, period: $period) {
      __typename
      ... on MutationStartFlowSuccess { work { ...WorkFields } }
      ... on Error { message }
    }
  }
`);

export const StartWaldurSyncMutation = graphql(`
  mutation StartWaldurSync {
    startWaldurSync {
      __typename
      ... on MutationStartWaldurSyncSuccess { work { ...WorkFields } }
      ... on Error { message }
    }
  }
`);

export const StartHistoricalSyncMutation = graphql(`
  mutation StartHistoricalSync($resourceUuid: UUID!) {
    startHistoricalConsumptionSync(resourceUuid: $resourceUuid) {
      __typename
      ... on MutationStartHistoricalConsumptionSyncSuccess { work { ...WorkFields } }
      ... on Error { message }
    }
  }
`);

export const SettingsScreenQuery = graphql(`
  query SettingsScreen {
    arrowSettings { id uuid apiUrl hasApiKey partnerName partnerReference exportTypeReference isActive syncEnabled created }
  }
`);

export const ValidateCredentialsMutation = graphql(`
  mutation ValidateCredentials($input: ArrowCredentialsInput!) {
    validateArrowCredentials(input: $input) {
      __typename
      ... on MutationValidateArrowCredentialsSuccess { result { valid error partner { companyName reference } exportTypes { reference name } } }
      ... on Error { message }
    }
  }
`);

export const CreateSettingsMutation = graphql(`
  mutation CreateSettings($input: CreateArrowSettingsInput!) {
    createArrowSettings(input: $input) {
      __typename
      ... on MutationCreateArrowSettingsSuccess { settings { id uuid partnerName } }
      ... on Error { message }
    }
  }
`);

export const AuditScreenQuery = graphql(`
  query AuditScreen($first: Int!, $after: String, $target: String) {
    auditLog(first: $first, after: $after, target: $target) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id uuid at actorUsername actorSource operation target outcome } }
    }
  }
`);
