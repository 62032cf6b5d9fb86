import { builder } from '../builder.js';
import { unbilledCharges, type UnbilledCharges } from '../../domain/unbilled-charges.js';
import { DOMAIN_ERRORS } from './errors.js';

const UnbilledCauseEnum = builder.enumType('UnbilledCause', {
  description: 'Why an Arrow line billed to the partner is on no Waldur invoice.',
  values: {
    CUSTOMER_NOT_MAPPED: { description: "The line's Arrow customer has no active mapping: no Waldur customer to bill." },
    WALDUR_BILLING_OFF: { description: "The settings put no Arrow charges on Waldur invoices (waldurBilling OFF)." },
    NOT_PUSHED_YET: { description: 'Synced but not yet confirmed on an invoice; the next invoice push sends it.' },
    NO_STABLE_IDENTITY: { description: 'The export gives the line no Sequence or Order Id, so it is not pushed (it could be billed twice).' },
    NO_RESOURCE: { description: "COMPONENT_USAGE: the line's licence backs no linked Waldur resource of the month, so no usage carries it." },
    REFUSED_BY_WALDUR: { description: 'Waldur refused the item (see the line’s waldurError).' },
  } as const,
});

const UnbilledCauseTotalRef = builder.objectRef<UnbilledCharges['causes'][number]>('UnbilledCauseTotal').implement({
  description: 'The lines of one cause and the money at stake.',
  fields: (t) => ({
    cause: t.field({ type: UnbilledCauseEnum, resolve: (c) => c.cause }),
    lines: t.exposeInt('lines'),
    amount: t.expose('amount', { type: 'Decimal', description: "In the settings' price source." }),
    examples: t.exposeStringList('examples', { description: 'Up to five: Arrow line references, or company names for unmapped customers.' }),
  }),
});

const UnbilledChargesRef = builder.objectRef<UnbilledCharges>('UnbilledArrowCharges').implement({
  description: "A month's Arrow lines billed to the partner that reach no Waldur invoice, by cause: money no other tool shows.",
  fields: (t) => ({
    period: t.exposeString('period'),
    settingsUuid: t.expose('settingsUuid', { type: 'UUID' }),
    exportLines: t.exposeInt('exportLines', { description: "Priced lines in Arrow's export of the month." }),
    exportTotal: t.expose('exportTotal', { type: 'Decimal' }),
    invoicedTotal: t.expose('invoicedTotal', { type: 'Decimal', description: "What of it is on Waldur's invoices." }),
    causes: t.expose('causes', { type: [UnbilledCauseTotalRef] }),
    unbilledTotal: t.expose('unbilledTotal', { type: 'Decimal' }),
  }),
});

builder.queryField('unbilledArrowCharges', (t) =>
  t.field({
    type: UnbilledChargesRef,
    description: "Per month, the Arrow lines billed to the partner that reach no Waldur invoice, by cause (one billing export read, as cached).",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'charges' } },
    args: { period: t.arg.string({ required: true, description: 'YYYY-MM' }), settingsUuid: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => unbilledCharges({ db: ctx.db, arrow: ctx.arrow }, args.settingsUuid, args.period),
  }),
);
