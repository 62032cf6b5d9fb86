/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Credentials to try before any settings are saved. */
export type ArrowCredentialsInput = {
  /** The ArrowSphere API key: write-only, never answered or logged. */
  apiKey: string;
  /** ArrowSphere's API root, e.g. https://xsp.arrow.com/index.php/api. */
  apiUrl: string;
};

/** Where a billing statement is in its life: synced, validated against Arrow's statement, reconciled with the final figures. */
export type BillingSyncState =
  /** Read from Arrow, not yet complete. */
  | 'PENDING'
  /** Compared with the final figures; adjustments made. */
  | 'RECONCILED'
  /** Its lines are stored. */
  | 'SYNCED'
  /** Checked against Arrow's validated statement. */
  | 'VALIDATED';

/** New Arrow settings: where Arrow is, the key, and how its billing is read and pushed to Waldur. */
export type CreateArrowSettingsInput = {
  /** The ArrowSphere API key: write-only, never answered or logged. */
  apiKey: string;
  /** e.g. https://xsp.arrow.com/index.php/api/ */
  apiUrl: string;
  /** Only billing lines of this classification are synced (IAAS, SAAS, …; empty: all). */
  classificationFilter?: string | null | undefined;
  /** The billing export type Arrow's billing syncs read (one of arrowExportTypes). */
  exportTypeReference?: string | null | undefined;
  /** What Waldur invoice items' names begin with. */
  invoiceItemPrefix?: string | null | undefined;
  /** Which of Arrow's prices is billed. */
  invoicePriceSource?: InvoicePriceSource | null | undefined;
  /** Active or not (inactive ones are kept but take no part in syncs). */
  isActive?: boolean | null | undefined;
  /** Whether the scheduled flows run for these settings. */
  syncEnabled?: boolean | null | undefined;
  /** How Arrow's charges reach Waldur's invoices (OFF, INVOICE_ITEMS or COMPONENT_USAGE). */
  waldurBilling?: WaldurBillingMode | null | undefined;
};

/** A new mapping of an Arrow customer (by reference, under a settings) to a Waldur customer. */
export type CreateCustomerMappingInput = {
  /** Default: Arrow's company name for the customer. */
  arrowCompanyName?: string | null | undefined;
  /** The Arrow customer's reference, e.g. XSP500004 (surrounding spaces are ignored). */
  arrowReference: string;
  /** Default true. */
  isActive?: boolean | null | undefined;
  /** The Arrow settings (their UUID). */
  settingsUuid: string;
  /** The Waldur customer (its UUID). */
  waldurCustomerUuid: string;
};

/** Which customer mappings to list; every filter given must hold. */
export type CustomerMappingFilter = {
  /** Contains, ignoring case. */
  arrowCompanyName?: string | null | undefined;
  /** Contains, ignoring case. */
  arrowReference?: string | null | undefined;
  /** Active or not (inactive ones are kept but take no part in syncs). */
  isActive?: boolean | null | undefined;
  /** The Arrow settings (their UUID). */
  settingsUuid?: string | null | undefined;
  /** The Waldur customer (its UUID). */
  waldurCustomerUuid?: string | null | undefined;
};

/** A flow of the billing cycle. */
export type FlowKind =
  /** Reads Arrow's billing export into billing syncs. */
  | 'BILLING_SYNC'
  /** Reads the month's consumption of each linked licence. */
  | 'CONSUMPTION_SYNC'
  /** Puts the charges on Waldur's invoices (or reports usage). */
  | 'INVOICE_PUSH'
  /** Compares billed and consumed with the final figures; makes adjustments. */
  | 'RECONCILIATION'
  /** Checks statements against Arrow's validated ones. */
  | 'VALIDATION';

/** How a flow run ended (or that it is running). */
export type FlowRunStatus =
  /** Stopped by a failure. */
  | 'FAILED'
  /** Done, some items failed (see errors). */
  | 'PARTIAL'
  /** Under way. */
  | 'RUNNING'
  /** Nothing to do (off, paused, or already done). */
  | 'SKIPPED'
  /** Done, nothing failed. */
  | 'SUCCEEDED';

/** Which of Arrow's prices is billed to the customer. */
export type InvoicePriceSource =
  /** Arrow's buy price (the wholesale price). */
  | 'buy'
  /** Arrow's sell price (the customer price). */
  | 'sell';

/** A Waldur resource's state, as Waldur has it. */
export type ResourceState =
  /** Being created. */
  | 'CREATING'
  /** Failed in Waldur. */
  | 'ERRED'
  /** In service. */
  | 'OK'
  /** Terminated (kept while billing data names it). */
  | 'TERMINATED'
  /** Being terminated. */
  | 'TERMINATING'
  /** Being changed. */
  | 'UPDATING';

/** A flow that can be started for a month. */
export type StartableFlow =
  /** Reads Arrow's billing export into billing syncs. */
  | 'BILLING_SYNC'
  /** Reads the month's consumption of each linked licence. */
  | 'CONSUMPTION_SYNC'
  /** Puts the charges on Waldur's invoices (or reports usage). */
  | 'INVOICE_PUSH'
  /** Compares billed and consumed with the final figures; makes adjustments. */
  | 'RECONCILIATION'
  /** Checks statements against Arrow's validated ones. */
  | 'VALIDATION';

/** Why an Arrow line billed to the partner is on no Waldur invoice. */
export type UnbilledCause =
  /** The line's Arrow customer has no active mapping: no Waldur customer to bill. */
  | 'CUSTOMER_NOT_MAPPED'
  /** Synced but not yet confirmed on an invoice; the next invoice push sends it. */
  | 'NOT_PUSHED_YET'
  /** COMPONENT_USAGE: the line's licence backs no linked Waldur resource of the month, so no usage carries it. */
  | 'NO_RESOURCE'
  /** The export gives the line no Sequence or Order Id, so it is not pushed (it could be billed twice). */
  | 'NO_STABLE_IDENTITY'
  /** Waldur refused the item (see the line’s waldurError). */
  | 'REFUSED_BY_WALDUR'
  /** The settings put no Arrow charges on Waldur invoices (waldurBilling OFF). */
  | 'WALDUR_BILLING_OFF';

/** How Arrow's charges reach Waldur's invoices (README "Billing in Waldur"). */
export type WaldurBillingMode =
  /** Each linked licence's consumption of the month as its resource's cloud_cost usage (set_usage); the month's final figures settled by reconciliation. */
  | 'COMPONENT_USAGE'
  /** Each billing line as an item on its customer's invoice (import_usage; staff token). */
  | 'INVOICE_ITEMS'
  /** Not at all: the gateway only keeps the figures. */
  | 'OFF';

/** A billing line's (or a consumption record's) place in Waldur's invoices. */
export type WaldurItemState =
  /** Waldur refused it (see waldurError). */
  | 'FAILED'
  /** On Waldur's invoice. */
  | 'INVOICED'
  /** Waldur billing is off, or the push has not run yet. */
  | 'NOT_PUSHED'
  /** Named, sent or about to be: the next push completes it. */
  | 'PENDING'
  /** Nothing to bill, or no stable identity in the export. */
  | 'SKIPPED';

/** Where long work stands. */
export type WorkState =
  /** Stopped by a failure (see message). */
  | 'FAILED'
  /** Under way. */
  | 'RUNNING'
  /** Done. */
  | 'SUCCEEDED';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { username: string, isStaff: boolean, isSupport: boolean, source: string } | null };

export type MappingsScreenQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: CustomerMappingFilter | null | undefined;
  period?: string | null | undefined;
}>;


export type MappingsScreenQuery = { customerMappings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { uuid: string, arrowReference: string, arrowCompanyName: string, isActive: boolean, licenseDiscoveryError: string | null, settings: { uuid: string, partnerName: string }, waldurCustomer: { uuid: string, name: string, abbreviation: string, projects: Array<{ uuid: string, name: string }> }, waldurResources: Array<{ uuid: string, name: string, backendId: string, state: ResourceState, project: { uuid: string, name: string }, offering: { uuid: string, name: string } }>, arrowCustomer: { reference: string, companyName: string, city: string, countryCode: string, email: string } | null, arrowLicenses: Array<{ licenseReference: string, friendlyName: string, offerName: string, vendorName: string, state: string, seats: number | null }> | null, suggestions: Array<{ resourceUuid: string, resourceName: string, licenseReference: string, licenseName: string, confidence: number }> | null, billingSummary: { totalConsumptionRecords: number, totalConsumedSell: string, totalFinalSell: string | null, pendingRecords: number, totalBillingSyncs: number, totalBillingSell: string | null }, arrowData: { period: string, billingAvailable: boolean, billingTotalSell: string | null, consumptionTotalSell: string | null, matchedResources: number, error: string | null } } }> }, offerings: { edges: Array<{ node: { uuid: string, name: string } }> }, recentWork: Array<{ uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null }> };

export type WorkFieldsFragment = { uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null };

export type WorkProgressSubscriptionVariables = Exact<{
  uuid: string;
}>;


export type WorkProgressSubscription = { workProgress: { uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null } };

export type LinkResourceMutationVariables = Exact<{
  mappingUuid: string;
  resourceUuid: string;
  licenseReference: string;
  move?: boolean | null | undefined;
}>;


export type LinkResourceMutation = { linkResource:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationLinkResourceSuccess', result: { resourceName: string, licenseReference: string, movedFrom: { name: string } | null } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type UnlinkResourceMutationVariables = Exact<{
  mappingUuid: string;
  resourceUuid: string;
}>;


export type UnlinkResourceMutation = { unlinkResource:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationUnlinkResourceSuccess', result: { resource: { name: string } } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type ImportLicenseMutationVariables = Exact<{
  mappingUuid: string;
  licenseReference: string;
  projectUuid: string;
  offeringUuid: string;
}>;


export type ImportLicenseMutation = { importLicense:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationImportLicenseSuccess', result: { resourceName: string, licenseReference: string } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type ApplySuggestionsMutationVariables = Exact<{
  mappingUuid: string;
  minConfidence: number;
}>;


export type ApplySuggestionsMutation = { applyLicenseSuggestions:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationApplyLicenseSuggestionsSuccess', result: { linked: Array<{ uuid: string, name: string, backendId: string }> } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type UnmappedScreenQueryVariables = Exact<{ [key: string]: never; }>;


export type UnmappedScreenQuery = { availableArrowCustomers:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'QueryAvailableArrowCustomersSuccess', result: { settingsUuid: string, settings: { partnerName: string }, suggestions: Array<{ confidence: number, existingMapping: boolean, arrowCustomer: { reference: string, companyName: string, city: string, countryCode: string }, suggestedWaldurCustomer: { uuid: string, name: string } | null }>, waldurCustomers: Array<{ uuid: string, name: string, abbreviation: string }> } }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type CreateMappingMutationVariables = Exact<{
  input: CreateCustomerMappingInput;
}>;


export type CreateMappingMutation = { createCustomerMapping:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationCreateCustomerMappingSuccess', mapping: { uuid: string, arrowReference: string, waldurCustomer: { name: string } } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type UnbilledChargesQueryVariables = Exact<{
  period: string;
  settingsUuid: string;
}>;


export type UnbilledChargesQuery = { unbilledArrowCharges:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'QueryUnbilledArrowChargesSuccess', charges: { period: string, exportLines: number, exportTotal: string, invoicedTotal: string, unbilledTotal: string, causes: Array<{ cause: UnbilledCause, lines: number, amount: string, examples: Array<string> }> } }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type BillingScreenQueryVariables = Exact<{
  mappingUuid?: string | null | undefined;
}>;


export type BillingScreenQuery = { customerMappings: { edges: Array<{ node: { uuid: string, arrowCompanyName: string, waldurCustomer: { name: string }, settings: { uuid: string, partnerName: string } } }> }, billingSyncs: { edges: Array<{ node: { uuid: string, reportPeriod: string, sellTotal: string, state: BillingSyncState, statementReference: string, customerMapping: { uuid: string, arrowCompanyName: string }, items: Array<{ uuid: string, arrowLineReference: string, description: string, originalPrice: string, waldurState: WaldurItemState, waldurError: string, waldurInvoicePeriod: string }> } }> }, consumptionRecords: { edges: Array<{ node: { uuid: string, billingPeriod: string, consumedSell: string, finalSell: string | null, licenseReference: string, resource: { name: string }, adjustment: { amount: string, description: string } | null } }> }, adjustedItems: { edges: Array<{ node: { arrowLineReference: string, description: string, adjustment: { amount: string, description: string, created: string } | null, billingSync: { reportPeriod: string, customerMapping: { uuid: string, arrowCompanyName: string } } } }> }, flowRuns: { edges: Array<{ node: { uuid: string, kind: FlowKind, period: string, status: FlowRunStatus, message: string, created: number, updated: number, unchanged: number, skipped: number, failed: number, startedAt: string, errors: Array<{ reference: string, message: string }> } }> }, recentWork: Array<{ uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null }> };

export type StartFlowMutationVariables = Exact<{
  flow: StartableFlow;
  period: string;
}>;


export type StartFlowMutation = { startFlow:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationStartFlowSuccess', work: { uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type StartWaldurSyncMutationVariables = Exact<{ [key: string]: never; }>;


export type StartWaldurSyncMutation = { startWaldurSync:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationStartWaldurSyncSuccess', work: { uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type StartHistoricalSyncMutationVariables = Exact<{
  resourceUuid: string;
}>;


export type StartHistoricalSyncMutation = { startHistoricalConsumptionSync:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationStartHistoricalConsumptionSyncSuccess', work: { uuid: string, kind: string, label: string, state: WorkState, done: number, total: number, message: string, startedAt: string, flowRun: { uuid: string, status: FlowRunStatus, created: number, updated: number, unchanged: number, skipped: number, failed: number, message: string } | null } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type SettingsScreenQueryVariables = Exact<{ [key: string]: never; }>;


export type SettingsScreenQuery = { arrowSettings: Array<{ uuid: string, apiUrl: string, hasApiKey: boolean, partnerName: string, partnerReference: string, exportTypeReference: string, isActive: boolean, syncEnabled: boolean, created: string }> };

export type ValidateCredentialsMutationVariables = Exact<{
  input: ArrowCredentialsInput;
}>;


export type ValidateCredentialsMutation = { validateArrowCredentials:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationValidateArrowCredentialsSuccess', result: { valid: boolean, error: string | null, partner: { companyName: string, reference: string } | null, exportTypes: Array<{ reference: string, name: string }> } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type CreateSettingsMutationVariables = Exact<{
  input: CreateArrowSettingsInput;
}>;


export type CreateSettingsMutation = { createArrowSettings:
    | { __typename: 'ArrowUnavailableError', message: string }
    | { __typename: 'BackendIdRuleError', message: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MutationCreateArrowSettingsSuccess', settings: { uuid: string, partnerName: string } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'WaldurUnavailableError', message: string }
   };

export type AuditScreenQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  target?: string | null | undefined;
}>;


export type AuditScreenQuery = { auditLog: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { uuid: string, at: string, actorUsername: string, actorSource: string, operation: string, target: string, outcome: string } }> } };

export const WorkFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<WorkFieldsFragment, unknown>;
export const ViewerDocument = {"__meta__":{"hash":"sha256:1947142ecdb3786ccb9716ebb27f3c7895ae423409ea2903fa9895a55e0fb668"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"isStaff"}},{"kind":"Field","name":{"kind":"Name","value":"isSupport"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const MappingsScreenDocument = {"__meta__":{"hash":"sha256:be6fb3df5ad40786353a131a1983f5264f229733c3b01736bd87b090205efc22"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MappingsScreen"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerMappingFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerMappings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowReference"}},{"kind":"Field","name":{"kind":"Name","value":"arrowCompanyName"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"partnerName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"waldurCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"projects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"waldurResources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"backendId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offering"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"arrowCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"countryCode"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"arrowLicenses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseReference"}},{"kind":"Field","name":{"kind":"Name","value":"friendlyName"}},{"kind":"Field","name":{"kind":"Name","value":"offerName"}},{"kind":"Field","name":{"kind":"Name","value":"vendorName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}},{"kind":"Field","name":{"kind":"Name","value":"suggestions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resourceUuid"}},{"kind":"Field","name":{"kind":"Name","value":"resourceName"}},{"kind":"Field","name":{"kind":"Name","value":"licenseReference"}},{"kind":"Field","name":{"kind":"Name","value":"licenseName"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}}]}},{"kind":"Field","name":{"kind":"Name","value":"licenseDiscoveryError"}},{"kind":"Field","name":{"kind":"Name","value":"billingSummary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalConsumptionRecords"}},{"kind":"Field","name":{"kind":"Name","value":"totalConsumedSell"}},{"kind":"Field","name":{"kind":"Name","value":"totalFinalSell"}},{"kind":"Field","name":{"kind":"Name","value":"pendingRecords"}},{"kind":"Field","name":{"kind":"Name","value":"totalBillingSyncs"}},{"kind":"Field","name":{"kind":"Name","value":"totalBillingSell"}}]}},{"kind":"Field","name":{"kind":"Name","value":"arrowData"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"billingAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"billingTotalSell"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionTotalSell"}},{"kind":"Field","name":{"kind":"Name","value":"matchedResources"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"offerings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"recentWork"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<MappingsScreenQuery, MappingsScreenQueryVariables>;
export const WorkProgressDocument = {"__meta__":{"hash":"sha256:78e3c7b85a3a24bb937fcd4ac0fb7d5dec669e5e2dfd219ac5b4afe4dd5635e6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"uuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"uuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"uuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<WorkProgressSubscription, WorkProgressSubscriptionVariables>;
export const LinkResourceDocument = {"__meta__":{"hash":"sha256:270d11c1e64d940d469778a7482cb4daa1c44ba7f4dcca79d3e2dcb1cb206f20"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LinkResource"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"licenseReference"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"move"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"linkResource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"resourceUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"licenseReference"},"value":{"kind":"Variable","name":{"kind":"Name","value":"licenseReference"}}},{"kind":"Argument","name":{"kind":"Name","value":"move"},"value":{"kind":"Variable","name":{"kind":"Name","value":"move"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationLinkResourceSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resourceName"}},{"kind":"Field","name":{"kind":"Name","value":"licenseReference"}},{"kind":"Field","name":{"kind":"Name","value":"movedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LinkResourceMutation, LinkResourceMutationVariables>;
export const UnlinkResourceDocument = {"__meta__":{"hash":"sha256:5cbe992c855b7a36db470169948caad58255b2346f76b161c5e699201080985a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnlinkResource"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unlinkResource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"resourceUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationUnlinkResourceSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<UnlinkResourceMutation, UnlinkResourceMutationVariables>;
export const ImportLicenseDocument = {"__meta__":{"hash":"sha256:507bedccbc81371a78b3fdba42e30c4d571fce8008f363354683684d7e6c2586"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ImportLicense"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"licenseReference"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"projectUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offeringUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importLicense"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"licenseReference"},"value":{"kind":"Variable","name":{"kind":"Name","value":"licenseReference"}}},{"kind":"Argument","name":{"kind":"Name","value":"projectUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"projectUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"offeringUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offeringUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationImportLicenseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resourceName"}},{"kind":"Field","name":{"kind":"Name","value":"licenseReference"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ImportLicenseMutation, ImportLicenseMutationVariables>;
export const ApplySuggestionsDocument = {"__meta__":{"hash":"sha256:12520ac64cbaa105f506b17ea4490c05c30b99b1cd0c6eb3e39506143f007fc4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApplySuggestions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"minConfidence"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applyLicenseSuggestions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}},{"kind":"Argument","name":{"kind":"Name","value":"minConfidence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"minConfidence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationApplyLicenseSuggestionsSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"linked"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"backendId"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ApplySuggestionsMutation, ApplySuggestionsMutationVariables>;
export const UnmappedScreenDocument = {"__meta__":{"hash":"sha256:d28e8e3ac29f3d9395e14cdb3717dce56c997653c53b00aef286f4567f16cafe"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnmappedScreen"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"availableArrowCustomers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryAvailableArrowCustomersSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settingsUuid"}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partnerName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"suggestions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"existingMapping"}},{"kind":"Field","name":{"kind":"Name","value":"arrowCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"countryCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"suggestedWaldurCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"waldurCustomers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<UnmappedScreenQuery, UnmappedScreenQueryVariables>;
export const CreateMappingDocument = {"__meta__":{"hash":"sha256:a0a343bc1c7914f7796b869bc0289f892fe5f265b09223f2ff5821a25f7d08fa"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMapping"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCustomerMappingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCustomerMapping"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationCreateCustomerMappingSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mapping"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowReference"}},{"kind":"Field","name":{"kind":"Name","value":"waldurCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateMappingMutation, CreateMappingMutationVariables>;
export const UnbilledChargesDocument = {"__meta__":{"hash":"sha256:5b6c9d8d2eb7ae20bf471fdf0c574c78bde6ca700551a0c7ba801c412017b94b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnbilledCharges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"settingsUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unbilledArrowCharges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"settingsUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"settingsUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"QueryUnbilledArrowChargesSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"charges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"exportLines"}},{"kind":"Field","name":{"kind":"Name","value":"exportTotal"}},{"kind":"Field","name":{"kind":"Name","value":"invoicedTotal"}},{"kind":"Field","name":{"kind":"Name","value":"unbilledTotal"}},{"kind":"Field","name":{"kind":"Name","value":"causes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"lines"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"examples"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<UnbilledChargesQuery, UnbilledChargesQueryVariables>;
export const BillingScreenDocument = {"__meta__":{"hash":"sha256:8cf2c959ba8360811ab8339a6ce0859a7f7cb71e9bdbac484428621b964d1462"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BillingScreen"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerMappings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"300"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowCompanyName"}},{"kind":"Field","name":{"kind":"Name","value":"waldurCustomer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"partnerName"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"billingSyncs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"300"}},{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"reportPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"sellTotal"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"statementReference"}},{"kind":"Field","name":{"kind":"Name","value":"customerMapping"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowCompanyName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowLineReference"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"originalPrice"}},{"kind":"Field","name":{"kind":"Name","value":"waldurState"}},{"kind":"Field","name":{"kind":"Name","value":"waldurError"}},{"kind":"Field","name":{"kind":"Name","value":"waldurInvoicePeriod"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"consumptionRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"300"}},{"kind":"Argument","name":{"kind":"Name","value":"mappingUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mappingUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"billingPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"consumedSell"}},{"kind":"Field","name":{"kind":"Name","value":"finalSell"}},{"kind":"Field","name":{"kind":"Name","value":"licenseReference"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"adjustedItems"},"name":{"kind":"Name","value":"billingSyncItems"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"hasCompensation"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"arrowLineReference"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}},{"kind":"Field","name":{"kind":"Name","value":"billingSync"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportPeriod"}},{"kind":"Field","name":{"kind":"Name","value":"customerMapping"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"arrowCompanyName"}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"flowRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"recentWork"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<BillingScreenQuery, BillingScreenQueryVariables>;
export const StartFlowDocument = {"__meta__":{"hash":"sha256:55f41c048cf8b6dced6dcff21a006b7049e3c1b19b2046e9b60052864dd2fcf2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartFlow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"flow"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartableFlow"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startFlow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"flow"},"value":{"kind":"Variable","name":{"kind":"Name","value":"flow"}}},{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationStartFlowSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"work"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<StartFlowMutation, StartFlowMutationVariables>;
export const StartWaldurSyncDocument = {"__meta__":{"hash":"sha256:cc35c23a205cd8ff939151b2da4375174e4bfd1397035ac7188e71d0d2a7b07d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartWaldurSync"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startWaldurSync"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationStartWaldurSyncSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"work"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<StartWaldurSyncMutation, StartWaldurSyncMutationVariables>;
export const StartHistoricalSyncDocument = {"__meta__":{"hash":"sha256:5f15bba6c682be86c6a398990026f19bb05b4f7c89b0dd3320b2b9a66fc85a0d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartHistoricalSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UUID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startHistoricalConsumptionSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceUuid"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceUuid"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationStartHistoricalConsumptionSyncSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"work"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Work"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"flowRun"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<StartHistoricalSyncMutation, StartHistoricalSyncMutationVariables>;
export const SettingsScreenDocument = {"__meta__":{"hash":"sha256:c27e1120abcf1727d7cdeaabd9d31542a465d91ad4b9ccb92b1b56b51b6d5a34"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SettingsScreen"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"arrowSettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"apiUrl"}},{"kind":"Field","name":{"kind":"Name","value":"hasApiKey"}},{"kind":"Field","name":{"kind":"Name","value":"partnerName"}},{"kind":"Field","name":{"kind":"Name","value":"partnerReference"}},{"kind":"Field","name":{"kind":"Name","value":"exportTypeReference"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"syncEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}}]}}]} as unknown as DocumentNode<SettingsScreenQuery, SettingsScreenQueryVariables>;
export const ValidateCredentialsDocument = {"__meta__":{"hash":"sha256:4cae8e353f39be013487f7edc6cc2ed0f076048ac38567c88788f46d5019bde3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ValidateCredentials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ArrowCredentialsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validateArrowCredentials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationValidateArrowCredentialsSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}}]}},{"kind":"Field","name":{"kind":"Name","value":"exportTypes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ValidateCredentialsMutation, ValidateCredentialsMutationVariables>;
export const CreateSettingsDocument = {"__meta__":{"hash":"sha256:ba2ee488433ea265b4250e404472c476196953f9b2f043e89604ac7b19ea9c0a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSettings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateArrowSettingsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createArrowSettings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MutationCreateArrowSettingsSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"partnerName"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateSettingsMutation, CreateSettingsMutationVariables>;
export const AuditScreenDocument = {"__meta__":{"hash":"sha256:207065eef7a5ca3a1386c76a824ad9cf5213e0092367a1f3eeb6483430738ece"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditScreen"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"target"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"target"},"value":{"kind":"Variable","name":{"kind":"Name","value":"target"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uuid"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actorUsername"}},{"kind":"Field","name":{"kind":"Name","value":"actorSource"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AuditScreenQuery, AuditScreenQueryVariables>;