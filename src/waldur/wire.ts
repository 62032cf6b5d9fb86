import { z } from 'zod';

/**
 * Waldur's objects as the mirror reads them (WALDUR.md §2; the SDK models in
 * test/fixtures/waldur-sdk). UUIDs arrive as 32 hex digits and leave here dashed, as the
 * gateway's tables keep them; everything not named is ignored.
 */
/** A UUID as the gateway's tables keep it, dashed, from Waldur's 32 hex digits (or already dashed). */
export function dashedUuid(uuid: string): string {
  const h = uuid.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const uuid = z
  .string()
  .regex(/^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform(dashedUuid);
const text = z.string().nullish().transform((v) => v ?? '');
const when = z.string().datetime({ offset: true }).transform((v) => new Date(v));

export const customer = z.object({ uuid, name: text, abbreviation: text, created: when.optional() });
export const project = z.object({ uuid, name: text, customer_uuid: uuid, created: when.optional(), is_removed: z.boolean().optional() });
export const offering = z.object({
  uuid,
  name: text,
  type: text,
  state: text,
  created: when.optional(),
  plans: z.array(z.object({ uuid, name: text })).nullish().transform((p) => p ?? []),
  // since Waldur 8.0.3 (absent before): the format and uniqueness set_backend_id and import_resource enforce
  backend_id_rules: z.record(z.string(), z.unknown()).nullish().transform((r) => r ?? {}),
});
export const resource = z.object({
  uuid,
  name: text,
  backend_id: text,
  // Waldur's Arrow plugin keeps the licence here (its syncs select resources by it), not in backend_id
  attributes: z.record(z.string(), z.unknown()).nullish().transform((a) => a ?? {}),
  state: z.enum(['Creating', 'OK', 'Erred', 'Updating', 'Terminating', 'Terminated']),
  offering_uuid: uuid,
  project_uuid: uuid,
  plan_uuid: uuid.nullish(),
  created: when,
  modified: when,
});
export const order = z.object({
  uuid,
  type: z.enum(['Create', 'Update', 'Terminate', 'Restore']),
  state: text,
  marketplace_resource_uuid: uuid.nullish(),
  created: when,
  modified: when,
});
export const backendResource = z.object({ uuid, name: text, project: uuid, offering: uuid });
export const status = z.object({ status: z.string() });
/** An event of Waldur's log (py-client models/event.py: every field optional; the feed needs these). */
export const event = z.object({ created: when, event_type: z.string(), context: z.object({ customer_uuid: uuid.optional() }).passthrough().nullish() });

/** An invoice item as the push reads it back (py-client models/invoice_item.py). */
export const invoiceItem = z.object({
  uuid,
  name: z.string(),
  article_code: z.string().default(''),
  unit_price: z.string(),
  quantity: z.string().default('1'),
  // a usage's item names its resource and component (registrators.py get_component_details)
  resource_uuid: uuid.nullish(),
  details: z.record(z.string(), z.unknown()).nullish().transform((d) => d ?? {}),
});
/** A customer's invoice of a month (py-client models/invoice.py; `items` inline). */
export const invoice = z.object({
  uuid,
  year: z.number().int(),
  month: z.number().int(),
  state: z.enum(['pending', 'pending_finalization', 'created', 'paid', 'canceled']),
  customer: z.string(),
  items: z.array(invoiceItem).default([]),
});
/** POST /api/invoices/import_usage/'s answer (py-client models/import_usage_response.py). */
export const importUsageResult = z.object({ created: z.number().int(), skipped: z.number().int(), errors: z.array(z.object({ customer_name: z.string(), reason: z.string() })) });

/**
 * What billing through component usage needs of an offering (py-client ProviderOfferingDetails:
 * `components` as OfferingComponent, `plans` as BaseProviderPlan with `prices` by component type).
 */
export const offeringBilling = z.object({
  uuid,
  name: text,
  components: z.array(z.object({ type: z.string(), name: text, billing_type: text })).nullish().transform((c) => c ?? []),
  plans: z
    .array(z.object({ uuid, name: text, prices: z.record(z.string(), z.union([z.number(), z.string()])).nullish().transform((p) => p ?? {}) }))
    .nullish()
    .transform((p) => p ?? []),
});
export type WaldurOfferingBilling = z.output<typeof offeringBilling>;

/** POST …/check_unique_backend_id/'s answer (py-client models/check_unique_backend_id_response.py). */
export const backendIdCheck = z.object({ is_unique: z.boolean(), is_valid_format: z.boolean().nullish(), errors: z.array(z.string()).default([]) });

/** GET /api/users/me/: who a Waldur token or access token belongs to (py-client models/user.py). */
export const me = z.object({ uuid, username: z.string(), is_staff: z.boolean().default(false), is_support: z.boolean().default(false), is_active: z.boolean().default(true) });

export type WaldurInvoice = z.output<typeof invoice>;
export type WaldurCustomer = z.output<typeof customer>;
export type WaldurEvent = z.output<typeof event>;
export type WaldurProject = z.output<typeof project>;
export type WaldurOffering = z.output<typeof offering>;
export type WaldurResource = z.output<typeof resource>;

/**
 * The Arrow licence a Waldur resource stands for. Waldur's own Arrow plugin reads it from
 * `attributes.arrow_license_reference` (its sync_resources puts the vendor subscription id in
 * backend_id); the gateway's links, like Waldur's link_resource, write backend_id. The attribute
 * wins where it is set (WALDUR-BILLING-IDENTITY.md §1).
 */
export function licenceOf(r: Pick<WaldurResource, 'attributes' | 'backend_id'>): { licenseReference: string; inAttributes: boolean } {
  const attribute = r.attributes.arrow_license_reference;
  if (typeof attribute === 'string' && attribute.trim()) return { licenseReference: attribute.trim(), inAttributes: true };
  return { licenseReference: r.backend_id, inAttributes: false };
}
export type WaldurOrder = z.output<typeof order>;

/** DRF's error bodies: {detail}, {field: [messages]}, a bare list, or {error}. */
export function describeError(json: unknown): string | undefined {
  if (Array.isArray(json)) return json.map(String).join('; ') || undefined;
  if (!json || typeof json !== 'object') return undefined;
  const body = json as Record<string, unknown>;
  if (typeof body.detail === 'string') return body.detail;
  if (typeof body.error === 'string') return body.error;
  const parts = Object.entries(body).map(([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.join(' ') : String(messages)}`);
  return parts.join('; ') || undefined;
}
