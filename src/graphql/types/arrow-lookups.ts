import { builder } from '../builder.js';
import { fetchBillingExport, fetchConsumption, fetchLicenseInfo } from '../../domain/arrow-lookups.js';
import { ArrowLicenseRef } from './arrow-license.js';
import { DOMAIN_ERRORS } from './errors.js';

// Asking Arrow directly through the active settings (Waldur's fetch_consumption,
// fetch_billing_export, fetch_license_info); nothing is stored.

const ArrowRowsRef = builder.objectRef<{ rowCount: number; rows: Record<string, string>[] }>('ArrowRows').implement({
  description: 'Rows fresh from Arrow, each an object keyed by column; at most 100 are given.',
  fields: (t) => ({
    rowCount: t.exposeInt('rowCount', { description: 'All rows; at most 100 are given.' }),
    rows: t.field({ type: ['JSON'], description: 'Each row as an object, keyed by column.', resolve: (r) => r.rows }),
  }),
});

builder.queryField('arrowLicenceConsumption', (t) =>
  t.field({
    type: ArrowRowsRef,
    description: "A licence's consumption lines for one month, fresh from Arrow.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { licenseReference: t.arg.string({ required: true }), period: t.arg.string({ required: true, description: 'YYYY-MM' }) },
    resolve: (_r, a, ctx) => fetchConsumption(ctx.prisma, ctx.arrow, a.licenseReference, a.period),
  }),
);

builder.queryField('arrowBillingExport', (t) =>
  t.field({
    type: ArrowRowsRef,
    description: "The billing export for a range of months, narrowed to a classification (the settings' by default).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { periodFrom: t.arg.string({ required: true }), periodTo: t.arg.string({ required: true }), classification: t.arg.string({ required: false }) },
    resolve: (_r, a, ctx) => fetchBillingExport(ctx.prisma, ctx.arrow, a),
  }),
);

builder.queryField('arrowLicence', (t) =>
  t.field({
    type: ArrowLicenseRef,
    description: 'What Arrow knows of one licence.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'licence' } },
    args: { licenseReference: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => fetchLicenseInfo(ctx.prisma, ctx.arrow, a.licenseReference),
  }),
);
