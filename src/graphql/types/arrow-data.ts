import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import type { ArrowData, BillingLine, ConsumptionLine, ConsumptionSource } from '../../domain/arrow-data.js';

export const ConsumptionSourceRef = builder.enumType('ConsumptionSource', {
  description: 'Where a month\'s consumption figures come from.',
  values: {
    SYNCED: {
      description:
        'The consumption records the consumption sync keeps (every FLOW_INTERVAL_MINUTES, or runConsumptionSync): no Arrow call, the same cost for any number of mappings.',
    },
    LIVE: { description: "Ask Arrow now, as Waldur's fetch_arrow_data does: one Arrow call per linked licence." },
  } as const satisfies Record<ConsumptionSource, unknown>,
});

const BillingLineRef = builder.objectRef<BillingLine>('ArrowBillingLine').implement({
  description: 'One line of Arrow\'s billing export for the mapping\'s customer and month.',
  fields: (t) => ({
    vendorName: t.exposeString('vendorName'),
    subscriptionReference: t.exposeString('subscriptionReference'),
    licenseReference: t.exposeString('licenseReference'),
    offerSku: t.exposeString('offerSku'),
    classification: t.exposeString('classification'),
    quantity: t.expose('quantity', { type: 'Decimal' }),
    sellPrice: t.expose('sellPrice', { type: 'Decimal' }),
    buyPrice: t.expose('buyPrice', { type: 'Decimal' }),
  }),
});

const ConsumptionLineRef = builder.objectRef<ConsumptionLine>('ArrowConsumptionLine').implement({
  description: 'One linked licence\'s consumption for the month: figures, or why there are none.',
  fields: (t) => ({
    licenseReference: t.exposeString('licenseReference'),
    resourceUuid: t.expose('resourceUuid', { type: 'UUID' }),
    resourceName: t.exposeString('resourceName'),
    period: t.exposeString('period'),
    sellPrice: t.expose('sellPrice', { type: 'Decimal', nullable: true }),
    buyPrice: t.expose('buyPrice', { type: 'Decimal', nullable: true }),
    error: t.exposeString('error', { nullable: true, description: 'Why this licence could not be read; the other lines are unaffected.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', nullable: true, description: 'SYNCED: when consumption sync last wrote these figures.' }),
    note: t.string({
      nullable: true,
      description: "Set when the figures are Arrow's prediction rather than the month's own (Arrow has not aggregated the month yet, or could not read it), and why.",
      resolve: (l) => l.note ?? null,
    }),
  }),
});

export const ArrowDataRef = builder.objectRef<ArrowData>('ArrowData').implement({
  description: "Arrow's billing lines and per-licence consumption for one period (fetch_arrow_data).",
  fields: (t) => ({
    id: t.id({ description: 'A cache key: the mapping, the month and where consumption comes from. Not a Node: read it again through its mapping.', resolve: (d) => encodeGlobalID('ArrowData', `${d.mapping.uuid}/${d.period}/${d.consumptionSource}`) }),
    period: t.exposeString('period'),
    billingAvailable: t.exposeBoolean('billingAvailable'),
    billingLines: t.expose('billingLines', { type: [BillingLineRef] }),
    billingTotalSell: t.expose('billingTotalSell', { type: 'Decimal', nullable: true }),
    billingTotalBuy: t.expose('billingTotalBuy', { type: 'Decimal', nullable: true }),
    consumptionSource: t.expose('consumptionSource', { type: ConsumptionSourceRef }),
    consumptionSyncedAt: t.expose('consumptionSyncedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'SYNCED: when the last consumption sync of these settings for this period finished.',
    }),
    consumptionLines: t.expose('consumptionLines', { type: [ConsumptionLineRef] }),
    consumptionTotalSell: t.expose('consumptionTotalSell', { type: 'Decimal', nullable: true }),
    consumptionTotalBuy: t.expose('consumptionTotalBuy', { type: 'Decimal', nullable: true }),
    totalCustomerResources: t.exposeInt('totalCustomerResources'),
    resourcesWithBackendId: t.exposeInt('resourcesWithBackendId'),
    matchedResources: t.exposeInt('matchedResources', { description: 'Resources whose consumption was read.' }),
    error: t.exposeString('error', { nullable: true }),
  }),
});
