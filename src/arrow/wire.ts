import { z } from 'zod';

/** ArrowSphere's wire shapes, validated at runtime; everything else about them is ignored. */
const money = z.union([z.string(), z.number()]).transform((v) => String(v));
const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v)));

export const pagination = z
  .object({
    total_page: z.coerce.number().int().optional(),
    totalPages: z.coerce.number().int().optional(),
    total_pages: z.coerce.number().int().optional(),
  })
  .passthrough()
  .nullish()
  .transform((p) => p?.total_page ?? p?.totalPages ?? p?.total_pages ?? 1);

export const whoami = z.object({
  data: z.object({ reference: text, companyName: text }).passthrough(),
});

export const customer = z
  .object({
    Reference: z.string().min(1),
    CompanyName: text,
    InternalReference: text,
    Ref: text,
    EmailContact: text,
    City: text,
    CountryCode: text,
    Contact: z.object({ Email: text }).passthrough().nullish(),
  })
  .passthrough()
  .transform((c) => ({
    reference: c.Reference,
    companyName: c.CompanyName,
    internalReference: c.InternalReference || c.Ref,
    email: c.EmailContact || c.Contact?.Email || '',
    city: c.City,
    countryCode: c.CountryCode,
  }));
export type ArrowCustomer = z.output<typeof customer>;

export const customersPage = z.object({
  data: z.object({ customers: z.array(customer) }),
  pagination,
});

export const license = z
  .object({
    license_id: z.union([z.string().min(1), z.number()]).transform(String),
    friendlyName: text,
    customer_ref: text,
    service_ref: text,
    name: text,
    sku: text,
    state: text,
    seats: z.coerce.number().nullish(),
  })
  .passthrough()
  .transform((l) => ({
    licenseReference: l.license_id,
    friendlyName: l.friendlyName,
    customerReference: l.customer_ref,
    vendorName: l.service_ref,
    offerName: l.name,
    offerSku: l.sku,
    state: l.state,
    seats: l.seats ?? null,
  }));
export type ArrowLicense = z.output<typeof license>;

export const licensesPage = z.object({
  data: z.object({ licenses: z.array(license) }),
  pagination,
});

export const exportTypes = z.object({
  data: z.object({ exportTypes: z.array(z.object({ reference: text, name: text }).passthrough()) }),
});

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));

export const billingPage = z.object({
  data: z.object({ headers: z.array(z.string()), values: z.array(z.array(cell)) }),
  pagination,
});

export const consumption = z.object({
  data: z.object({ headers: z.array(z.string()), lines: z.array(z.array(cell)) }),
});

export const prediction = z.object({
  data: z.object({
    values: z.array(z.object({ consumed: z.object({ sell: money, buy: money }) }).passthrough()),
  }),
});

export const errorBody = z
  .object({ error: z.string().optional(), message: z.string().optional(), messages: z.array(z.string()).optional() })
  .passthrough();

/** Rows as objects keyed by header, the shape the domain reads. */
export function rowsByHeader(headers: string[], rows: string[][]): Record<string, string>[] {
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
}
