import { z } from 'zod';

/** ArrowSphere's wire shapes, validated at runtime; everything else about them is ignored. */
const money = z.union([z.string(), z.number()]).transform((v) => String(v));
const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v)));

/**
 * How many pages there are, in each family's own words: customers `total_page`, billing
 * `totalPages`, licence find `totalPage` (singular; PHP public-api-client FindResult).
 */
export const pagination = z
  .object({
    total_page: z.coerce.number().int().optional(),
    totalPages: z.coerce.number().int().optional(),
    totalPage: z.coerce.number().int().optional(),
    total_pages: z.coerce.number().int().optional(),
  })
  .passthrough()
  .nullish()
  .transform((p) => p?.total_page ?? p?.totalPages ?? p?.totalPage ?? p?.total_pages ?? 1);

// a partner's reference and name are short: a megabyte of either is not ArrowSphere answering
const short = text.pipe(z.string().max(255));
export const whoami = z.object({
  data: z.object({ reference: short, companyName: short }).passthrough(),
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

/**
 * A licence in the single-licence shape (`GET licenses/{ref}` → data.license, the items of
 * `customers/{ref}/licenses`; nodejs-api-client LicenseGetFields). The vendor is `vendor_code`:
 * `service_ref` is a service code (MS-0B-O365-ENTERPRIS), never a vendor.
 */
export const license = z
  .object({
    license_id: z.union([z.string().min(1), z.number()]).transform(String),
    friendlyName: text,
    customer_ref: text,
    vendor_code: text,
    vendorCode: text,
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
    vendorName: l.vendor_code || l.vendorCode,
    offerName: l.name,
    offerSku: l.sku,
    state: l.state,
    seats: l.seats ?? null,
  }));
export type ArrowLicense = z.output<typeof license>;

export const customerLicenses = z.object({
  data: z.object({ licenses: z.array(license) }),
  pagination,
});

/**
 * One result of `POST licenses/v2/find`: `results[].license` in snake_case, `partner_ref` the
 * licence reference, `id` Arrow's internal number (search-after key), `offer` the offer's name
 * (PHP public-api-client tests/Licenses/LicensesClientTest.php testFind).
 */
export const foundLicense = z
  .object({
    license: z
      .object({
        id: z.coerce.number(),
        partner_ref: z.string().min(1),
        friendly_name: text,
        customer_ref: text,
        vendor_name: text,
        vendor_code: text,
        offer: text,
        sku: text,
        status_label: text,
        seat: z.coerce.number().nullish(),
      })
      .passthrough(),
  })
  .passthrough()
  .transform(({ license: l }) => ({
    id: l.id,
    license: {
      licenseReference: l.partner_ref,
      friendlyName: l.friendly_name,
      customerReference: l.customer_ref,
      vendorName: l.vendor_name || l.vendor_code,
      offerName: l.offer,
      offerSku: l.sku,
      state: l.status_label,
      seats: l.seat ?? null,
    } satisfies ArrowLicense,
  }));

/** The find answer has no envelope: `results`, `filters` and `pagination` at the top. */
export const findPage = z.object({ results: z.array(foundLicense), pagination });

/**
 * Export types: Arrow answers a map of reference → name (`{code, message, data: {exportTypes:
 * {"ref": "name"}}}`, PHP public-api-client tests/Billing/ErpExportsClientTest.php); a list of
 * {reference, name} is accepted too (Waldur's backend takes either).
 */
/** A page of catalog programs (PHP ProgramClientTest: data[] of {reference, name, category, …}). */
export const programsPage = z.object({
  data: z.array(z.object({ reference: text, name: text, category: text.optional() }).passthrough()),
  pagination,
});

export const exportTypes = z.object({
  data: z.object({
    exportTypes: z.union([
      z.record(z.string(), text).transform((map) => Object.entries(map).map(([reference, name]) => ({ reference, name }))),
      z.array(z.object({ reference: text, name: text }).passthrough()),
    ]),
  }),
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

/** `messages` is a list (PHP, .NET) or a string (nodejs-api-client's AbstractRestfulClient). */
export const errorBody = z
  .object({
    error: z.string().optional(),
    message: z.string().optional(),
    messages: z.union([z.array(z.string()), z.string().transform((m) => [m])]).optional(),
  })
  .passthrough();

/** Rows as objects keyed by header, the shape the domain reads. */
export function rowsByHeader(headers: string[], rows: string[][]): Record<string, string>[] {
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
}
