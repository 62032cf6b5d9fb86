/**
 * The Waldur simulator's data: Waldur's own objects, as a connector reads them through Waldur's
 * REST API (../shared/design/WALDUR.md). UUIDs may be given dashed or as 32 hex digits; the
 * simulator answers them as Waldur does, 32 hex digits.
 */
export interface WaldurFixture {
  /** The staff token the simulator accepts (`Authorization: Token <token>`). */
  token: string;
  /** Further users' tokens: not staff unless said (staff-only actions answer them 403). */
  users?: {
    token: string;
    username: string;
    isStaff?: boolean;
    /** Offerings (or their service providers' customers) this user may report usage for: an offering manager's SET_RESOURCE_USAGE. */
    manages?: string[];
    uuid?: string;
    isSupport?: boolean;
    /** False: Waldur answers 401 "User inactive or deleted." */
    isActive?: boolean;
    /** Idle expiry in seconds (Waldur's token_lifetime): unused longer, the token answers 401 "Token has expired." */
    tokenLifetime?: number | null;
    /** Granted MANAGE_OFFERING_BACKEND_RESOURCES (owner, offering or service manager): may create backend resources of the offerings in `manages`. */
    managesBackendResources?: boolean;
    /** An OIDC access token this user may send as `Authorization: Bearer <it>`. */
    bearer?: string;
  }[];
  customers: { uuid?: string; name: string; abbreviation?: string }[];
  projects: { uuid?: string; name: string; customer: string }[];
  offerings: {
    uuid?: string;
    name: string;
    type?: string;
    state?: OfferingState;
    customer?: string;
    /** OfferingComponent: billing_type usage, fixed, one, few or limit. */
    components?: { type: string; name?: string; billing_type?: 'usage' | 'fixed' | 'one' | 'few' | 'limit'; measured_unit?: string; article_code?: string }[];
    /** prices: a plan component's unit price, by component type. */
    plans?: { uuid?: string; name: string; prices?: Record<string, string | number> }[];
    /** The offering's own backend_id (offerings sharing it form an offering group) and its category. */
    backend_id?: string;
    category?: string;
    /** Since Waldur 8.0.3 (WALDUR-BILLING-IDENTITY.md §5): checked on set_backend_id and import_resource. */
    backend_id_rules?: BackendIdRules;
  }[];
  /** attributes: the order's attributes; Waldur's Arrow plugin keeps `arrow_license_reference` there. */
  resources: { uuid?: string; name: string; project: string; offering: string; backend_id?: string; state?: ResourceState; plan?: string; attributes?: Record<string, unknown> }[];
  orders?: { uuid?: string; resource: string; type?: OrderType; state?: OrderState }[];
}

/** An offering's backend_id_rules (WM docs/core-concepts/offering.md §backend_id_rules). */
export interface BackendIdRules {
  format?: { regex?: string | null; description?: string | null };
  uniqueness?: { scope?: 'offering' | 'offering_group' | 'service_provider' | 'service_provider_category' | null; include_terminated?: boolean };
}

export type ResourceState = 'Creating' | 'OK' | 'Erred' | 'Updating' | 'Terminating' | 'Terminated';
export type OfferingState = 'Active' | 'Paused' | 'Archived' | 'Draft' | 'Unavailable';
export type OrderType = 'Create' | 'Update' | 'Terminate' | 'Restore';
export type OrderState = 'pending-consumer' | 'pending-provider' | 'pending-project' | 'pending-start-date' | 'executing' | 'done' | 'erred' | 'canceled' | 'rejected';

/** A UUID as Waldur writes it: 32 lower-case hex digits. */
export function hexUuid(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}
