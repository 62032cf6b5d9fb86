import { describedValues } from '../enum-values.js';
import { nodeByUuid } from '../node-id.js';
import { builder } from '../builder.js';
import { WorkState } from '../../generated/prisma/enums.js';
import { followWork, getWork, recentWork } from '../../domain/work.js';
import { startFlow, startHistoricalConsumptionSync, startWaldurSync } from '../../domain/long-work.js';
import { DOMAIN_ERRORS } from './errors.js';
import { notStaffError } from '../context.js';
import { FLOW_KINDS, FlowRunRef } from './billing.js';

const WorkStateEnum = builder.enumType('WorkState', {
  description: 'Where long work stands.',
  values: describedValues(WorkState, {
    RUNNING: 'Under way.',
    SUCCEEDED: 'Done.',
    FAILED: 'Stopped by a failure (see message).',
  }),
});
const FlowKindRef = builder.enumType('StartableFlow', {
  description: 'A flow that can be started for a month.',
  values: FLOW_KINDS,
});

export const WorkRef = builder.prismaNode('Work', {
  description: 'Long work under way or just done (a flow, the Waldur sync, a historical consumption sync) and how far it has come.',
  ...nodeByUuid,
  fields: (t) => ({
    uuid: t.expose('uuid', { type: 'UUID' }),
    kind: t.exposeString('kind', { description: "A flow's kind (CONSUMPTION_SYNC, …), WALDUR_SYNC or HISTORICAL_CONSUMPTION_SYNC." }),
    label: t.exposeString('label'),
    state: t.expose('state', { type: WorkStateEnum }),
    done: t.exposeInt('done', { description: 'Steps done (licences, statements, months, mirror steps).' }),
    total: t.exposeInt('total', { description: 'Steps in all; 0 until the work knows.' }),
    message: t.exposeString('message', { description: 'How it ended (or why it failed).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    flowRun: t.field({
      type: FlowRunRef,
      nullable: true,
      description: 'The run a flow recorded, once it has ended.',
      resolve: (w, _a, ctx) => (w.flowRunUuid ? ctx.prisma.flowRun.findUnique({ where: { uuid: w.flowRunUuid } }) : null),
    }),
  }),
});

builder.queryField('recentWork', (t) =>
  t.prismaField({
    type: ['Work'],
    description: 'Work still running and what ended within the hour, newest first (a reloaded console finds its progress bars here).',
    resolve: (_q, _r, _a, ctx) => recentWork(ctx.db),
  }),
);

builder.subscriptionField('workProgress', (t) =>
  t.field({
    type: WorkRef,
    description: 'The work now and at each step until it ends (from any replica). Over SSE: Accept: text/event-stream.',
    args: { uuid: t.arg({ type: 'UUID', required: true }) },
    subscribe: async function* (_root, args, ctx) {
      // scope-auth guards resolvers, not a subscription's source: staff (and support, who read) are checked here
      if (!ctx.viewer?.isStaff && !ctx.viewer?.isSupport) throw notStaffError(ctx);
      await getWork(ctx.db, args.uuid); // an unknown uuid is NOT_FOUND before the stream opens
      yield* followWork(ctx.db, args.uuid);
    },
    resolve: (work) => work,
  }),
);

builder.mutationField('startFlow', (t) =>
  t.field({
    type: WorkRef,
    description: 'Starts a flow for a month in the background and answers its work at once; follow it with workProgress.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'work' } },
    args: {
      flow: t.arg({ type: FlowKindRef, required: true }),
      period: t.arg.string({ required: true, description: 'YYYY-MM' }),
      settingsUuid: t.arg({ type: 'UUID', required: false, description: 'Default: the active settings.' }),
      force: t.arg.boolean({ required: false }),
      resourceUuid: t.arg({ type: 'UUID', required: false, description: "Consumption sync: only this resource's licence." }),
    },
    resolve: (_r, a, ctx) => startFlow(ctx, a.flow, { period: a.period, settingsUuid: a.settingsUuid, force: a.force ?? false, resourceUuid: a.resourceUuid }),
  }),
);

builder.mutationField('startWaldurSync', (t) =>
  t.field({
    type: WorkRef,
    description: 'Starts a sync of the Waldur mirror in the background (everything, noticing deletions, with `full`).',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'work' } },
    args: { full: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_r, a, ctx) => startWaldurSync(ctx, a.full ?? false),
  }),
);

builder.mutationField('startHistoricalConsumptionSync', (t) =>
  t.field({
    type: WorkRef,
    description: "Starts syncing one resource's consumption over a range of months (default: the last 12) in the background.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'work' } },
    args: {
      resourceUuid: t.arg({ type: 'UUID', required: true }),
      periodFrom: t.arg.string({ required: false }),
      periodTo: t.arg.string({ required: false }),
      force: t.arg.boolean({ required: false }),
    },
    resolve: (_r, a, ctx) => startHistoricalConsumptionSync(ctx, { resourceUuid: a.resourceUuid, periodFrom: a.periodFrom, periodTo: a.periodTo, force: a.force ?? false }),
  }),
);
