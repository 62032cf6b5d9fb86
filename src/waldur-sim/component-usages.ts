import crypto from 'node:crypto';
import { Decimal } from '../domain/money.js';
import type { InvoiceBook } from './invoices.js';
import { hexUuid } from './fixture.js';

/**
 * Waldur's component usages as the simulator keeps them: one usage per resource, component, plan
 * period and month, set (not added) by `POST /api/marketplace-component-usages/set_usage/`, and
 * the invoice item Waldur's registrator keeps beside a usage-billed one. The rules are
 * waldur-mastermind's (marketplace/serializers.py ComponentUsageCreateSerializer, views.py
 * ComponentUsageViewSet.set_usage, registrators.py update_invoice_when_usage_is_reported,
 * utils.py get_plan_period); the shapes py-client's ComponentUsage, ComponentUsageCreateRequest
 * and ComponentUsageItemRequest (test/fixtures/waldur-sdk/component-usages.json names the commit).
 */
export type BillingType = 'usage' | 'fixed' | 'one' | 'few' | 'limit';

export interface SimComponent {
  type: string;
  name: string;
  billingType: BillingType;
  measuredUnit: string;
  articleCode: string;
}

export interface SimPlan {
  uuid: string;
  name: string;
  /** Price per unit, by component type (a plan component). */
  prices: Record<string, string>;
}

/** ResourcePlanPeriod: the plan a resource had from `start` (null: from its beginning) to `end` (open while null). */
export interface SimPlanPeriod {
  uuid: string;
  resource: string;
  plan: string;
  start: Date | null;
  end: Date | null;
}

export interface SimUsage {
  uuid: string;
  created: Date;
  resource: string;
  type: string;
  planPeriod: string | null;
  /** The month's first day, YYYY-MM-01. */
  billingPeriod: string;
  usage: Decimal;
  date: Date;
  description: string;
}

/** What set_usage needs to know of the world around it. */
export interface UsageWorld {
  resource(uuid: string): { uuid: string; name: string; state: string; offering: string; plan: string | null; project: string; created: Date } | undefined;
  offering(uuid: string): { uuid: string; name: string; customer: string | null; components: SimComponent[]; plans: SimPlan[] } | undefined;
  project(uuid: string): { uuid: string; name: string; customer: string } | undefined;
  customerName(uuid: string): string;
  now(): Date;
}

type Answer = [number, unknown];
const newUuid = () => crypto.randomUUID().replace(/-/g, '');
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const monthEnd = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1000);
const day = (d: Date) => d.toISOString().slice(0, 10);
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class UsageBook {
  private readonly usages: SimUsage[] = [];
  private readonly periods = new Map<string, SimPlanPeriod>();

  constructor(
    private readonly world: UsageWorld,
    private readonly invoices: InvoiceBook,
  ) {}

  /**
   * A resource with a plan has a plan period (Waldur opens one with the resource's order), here
   * from the resource's beginning: the simulator's clock may be set before a fixture's stamps.
   */
  planPeriodOf(resource: { uuid: string; plan: string | null; created: Date }): SimPlanPeriod | undefined {
    if (!resource.plan) return undefined;
    let period = [...this.periods.values()].find((p) => p.resource === resource.uuid && p.plan === resource.plan);
    if (!period) {
      period = { uuid: newUuid(), resource: resource.uuid, plan: resource.plan, start: null, end: null };
      this.periods.set(period.uuid, period);
    }
    return period;
  }

  /** Ends a resource's plan period (a plan switched, a resource terminated): later usage of it is refused. */
  closePlanPeriod(uuid: string, end: Date): SimPlanPeriod | undefined {
    const period = this.periods.get(hexUuid(uuid));
    if (period) period.end = end;
    return period;
  }

  /**
   * POST /api/marketplace-component-usages/set_usage/: the serializer's checks in its order (each
   * field, then the resource's state and the components), then the caller's permission, then the
   * usage set for the current month and the registrator's invoice item.
   */
  setUsage(body: Record<string, unknown>, mayReport: (offering: { uuid: string; customer: string | null }) => boolean): Answer {
    const now = this.world.now();
    const errors: Record<string, unknown> = {};
    const items: { type: string; amount: Decimal; description: string }[] = [];
    if (!Array.isArray(body.usages)) errors.usages = [body.usages === undefined ? 'This field is required.' : 'Expected a list of items but got type "' + typeof body.usages + '".'];
    else {
      const itemErrors = body.usages.map((raw: Record<string, unknown>) => {
        const e: Record<string, string[]> = {};
        if (typeof raw?.type !== 'string' || !raw.type) e.type = ['This field is required.'];
        const amount = amountError(raw?.amount);
        if (amount) e.amount = [amount];
        if (!Object.keys(e).length) items.push({ type: String(raw.type), amount: new Decimal(String(raw.amount)), description: String(raw.description ?? '') });
        return e;
      });
      if (itemErrors.some((e) => Object.keys(e).length)) errors.usages = itemErrors;
    }
    let planPeriod: SimPlanPeriod | undefined;
    if (body.plan_period !== undefined) {
      planPeriod = this.periods.get(hexUuid(String(body.plan_period)));
      if (!planPeriod) errors.plan_period = [`Object with uuid=${String(body.plan_period)} does not exist.`];
      else if (planPeriod.end && planPeriod.end < monthStart(now)) errors.plan_period = ['Billing period is closed.'];
    }
    let resource = body.resource !== undefined ? this.world.resource(hexUuid(String(body.resource))) : undefined;
    if (body.resource !== undefined && !resource) errors.resource = [`Object with uuid=${String(body.resource)} does not exist.`];
    if (Object.keys(errors).length) return [400, errors];

    resource = planPeriod ? this.world.resource(planPeriod.resource) : resource;
    if (!resource) return [400, { non_field_errors: ['Either plan_period or resource should be provided.'] }];
    if (!['OK', 'Updating', 'Terminating'].includes(resource.state)) return [400, { resource: ['Resource is not in valid state.'] }];
    const offering = this.world.offering(resource.offering)!;
    // limit-billed components may be reported too, but only usage-billed ones are invoiced
    const reportable = new Map(offering.components.filter((c) => c.billingType === 'usage' || c.billingType === 'limit').map((c) => [c.type, c]));
    const invalid = [...new Set(items.map((i) => i.type).filter((t) => !reportable.has(t)))].sort();
    if (invalid.length) return [400, { non_field_errors: [`These components are invalid: ${invalid.join(', ')}.`] }];
    if (!mayReport(offering)) return [403, { detail: 'You do not have permission to perform this action.' }];

    const billingPeriod = day(monthStart(now));
    planPeriod ??= this.openPlanPeriod(resource, now);
    for (const item of items) {
      let usage = this.usages.find((u) => u.resource === resource.uuid && u.type === item.type && u.planPeriod === (planPeriod?.uuid ?? null) && u.billingPeriod === billingPeriod);
      const changed = !usage || !usage.usage.equals(item.amount);
      if (!usage) {
        usage = { uuid: newUuid(), created: now, resource: resource.uuid, type: item.type, planPeriod: planPeriod?.uuid ?? null, billingPeriod, usage: item.amount, date: now, description: item.description };
        this.usages.push(usage);
      }
      Object.assign(usage, { usage: item.amount, date: now, description: item.description });
      if (changed) this.invoiceUsage(usage, reportable.get(item.type)!, planPeriod, offering, resource);
    }
    return [201, undefined];
  }

  /** utils.get_plan_period: the period holding `date` (a resource without a plan has none). */
  private openPlanPeriod(resource: { uuid: string; plan: string | null; created: Date }, date: Date): SimPlanPeriod | undefined {
    this.planPeriodOf(resource);
    return [...this.periods.values()].filter((p) => p.resource === resource.uuid && (!p.start || p.start <= date) && (!p.end || p.end > date)).sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0)).at(-1);
  }

  /**
   * update_invoice_when_usage_is_reported: a usage-billed component with a plan period and a
   * priced plan component gets one item on the customer's invoice of the usage's month, quantity
   * = usage at the plan's unit price, named "resource / component"; a later usage updates its
   * quantity. Without a plan period or a plan price nothing is invoiced (Waldur logs and skips).
   */
  private invoiceUsage(usage: SimUsage, component: SimComponent, planPeriod: SimPlanPeriod | undefined, offering: NonNullable<ReturnType<UsageWorld['offering']>>, resource: NonNullable<ReturnType<UsageWorld['resource']>>) {
    if (component.billingType !== 'usage' || !planPeriod) return;
    const plan = offering.plans.find((p) => p.uuid === planPeriod.plan);
    const price = plan?.prices[component.type];
    if (!plan || price === undefined) return;
    const project = this.world.project(resource.project)!;
    const invoice = this.invoices.invoiceOf(project.customer, usage.date.getUTCFullYear(), usage.date.getUTCMonth() + 1);
    const existing = invoice.items.find((i) => i.details.resource_uuid === resource.uuid && i.details.offering_component_type === component.type);
    if (existing) {
      existing.quantity = usage.usage;
      return;
    }
    invoice.items.push({
      uuid: newUuid(),
      name: `${resource.name} / ${component.name}`,
      articleCode: component.articleCode,
      unitPrice: new Decimal(price),
      quantity: usage.usage,
      start: planPeriod.start && planPeriod.start > monthStart(usage.date) ? planPeriod.start : monthStart(usage.date),
      end: planPeriod.end && planPeriod.end < monthEnd(usage.date) ? planPeriod.end : monthEnd(usage.date),
      details: {
        resource_name: resource.name,
        resource_uuid: resource.uuid,
        plan_name: plan.name,
        plan_uuid: plan.uuid,
        offering_name: offering.name,
        offering_uuid: offering.uuid,
        offering_component_type: component.type,
        offering_component_name: component.name,
      },
      resource: resource.uuid,
      measuredUnit: component.measuredUnit,
    });
  }

  /** GET /api/marketplace-component-usages/ with Waldur's filters (resource_uuid, offering_uuid, billing_period, type). */
  list(q: URLSearchParams): SimUsage[] {
    const resource = q.get('resource_uuid');
    const offering = q.get('offering_uuid');
    const period = q.get('billing_period');
    const type = q.get('type');
    return this.usages
      .filter((u) => (!resource || u.resource === hexUuid(resource)) && (!offering || this.world.resource(u.resource)?.offering === hexUuid(offering)) && (!period || u.billingPeriod === period) && (!type || u.type === type))
      .sort((a, b) => b.date.getTime() - a.date.getTime() || a.type.localeCompare(b.type));
  }

  /** py-client's ComponentUsage. */
  json(u: SimUsage, base: string) {
    const resource = this.world.resource(u.resource);
    const offering = resource && this.world.offering(resource.offering);
    const project = resource && this.world.project(resource.project);
    const component = offering?.components.find((c) => c.type === u.type);
    return {
      uuid: u.uuid,
      url: `${base}/api/marketplace-component-usages/${u.uuid}/`,
      created: iso(u.created),
      description: u.description,
      type: u.type,
      name: component?.name ?? u.type,
      measured_unit: component?.measuredUnit ?? '',
      // a DecimalField, which Django REST framework writes as a string (py-client annotates it int and keeps what it gets)
      usage: u.usage.toFixed(2),
      date: iso(u.date),
      recurring: false,
      resource_name: resource?.name ?? '',
      resource_uuid: u.resource,
      offering_name: offering?.name ?? '',
      offering_uuid: offering?.uuid ?? '',
      project_name: project?.name ?? '',
      project_uuid: project?.uuid ?? '',
      customer_name: project ? this.world.customerName(project.customer) : '',
      customer_uuid: project?.customer ?? '',
      billing_period: u.billingPeriod,
      modified_by: null,
    };
  }
}

/** ComponentUsageItemSerializer.amount: DecimalField(decimal_places=2, max_digits=20), DRF's messages. */
function amountError(raw: unknown): string | null {
  if (raw === undefined || raw === null) return 'This field is required.';
  const text = String(raw).trim();
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text)) return 'A valid number is required.';
  const [whole = '', fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > 2) return 'Ensure that there are no more than 2 decimal places.';
  if (whole.replace(/^0+/, '').length + fraction.length > 20) return 'Ensure that there are no more than 20 digits in total.';
  return null;
}
