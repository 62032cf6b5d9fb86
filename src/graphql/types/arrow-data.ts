import { builder } from '../builder.js';
import type { ArrowData, BillingLine, ConsumptionLine } from '../../domain/arrow-data.js';

const BillingLineRef = builder.objectRef<BillingLine>('ArrowBillingLine').implement({
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
  fields: (t) => ({
    licenseReference: t.exposeString('licenseReference'),
    resourceUuid: t.expose('resourceUuid', { type: 'UUID' }),
    resourceName: t.exposeString('resourceName'),
    period: t.exposeString('period'),
    sellPrice: t.expose('sellPrice', { type: 'Decimal', nullable: true }),
    buyPrice: t.expose('buyPrice', { type: 'Decimal', nullable: true }),
    error: t.exposeString('error', { nullable: true, description: 'Why this licence could not be read; the other lines are unaffected.' }),
  }),
});

export const ArrowDataRef = builder.objectRef<ArrowData>('ArrowData').implement({
  description: "Fresh billing lines and per-licence consumption from Arrow for one period (fetch_arrow_data).",
  fields: (t) => ({
    period: t.exposeString('period'),
    billingAvailable: t.exposeBoolean('billingAvailable'),
    billingLines: t.expose('billingLines', { type: [BillingLineRef] }),
    billingTotalSell: t.expose('billingTotalSell', { type: 'Decimal', nullable: true }),
    billingTotalBuy: t.expose('billingTotalBuy', { type: 'Decimal', nullable: true }),
    consumptionLines: t.expose('consumptionLines', { type: [ConsumptionLineRef] }),
    consumptionTotalSell: t.expose('consumptionTotalSell', { type: 'Decimal', nullable: true }),
    consumptionTotalBuy: t.expose('consumptionTotalBuy', { type: 'Decimal', nullable: true }),
    totalCustomerResources: t.exposeInt('totalCustomerResources'),
    resourcesWithBackendId: t.exposeInt('resourcesWithBackendId'),
    matchedResources: t.exposeInt('matchedResources', { description: 'Resources whose consumption was read.' }),
    error: t.exposeString('error', { nullable: true }),
  }),
});
