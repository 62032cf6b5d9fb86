import { builder } from '../builder.js';
import { mirrorState, syncFromWaldur, type MirrorResult, type MirrorState } from '../../waldur/mirror.js';
import { waldurFailure } from '../../domain/waldur-writes.js';
import { DOMAIN_ERRORS } from './errors.js';

const CustomerFollowingEnum = builder.enumType('CustomerFollowing', {
  description: "How the mirror follows Waldur's customers between full syncs.",
  values: {
    EVENT_FEED: { description: "Waldur's event log (customer created, updated, deleted), read at each sync; every customer is read again hourly for bulk edits the log misses." },
    SCANS: { description: 'Every customer is read at each sync: the event log cannot be read with the gateway\'s token (only staff and support see it) or ignores its filter. Costs a full customer listing per sync.' },
  },
});

const WaldurSyncRef = builder.objectRef<MirrorState>('WaldurSync').implement({
  description: "How fresh the gateway's mirror of Waldur (customers, projects, offerings, resources, orders) is.",
  fields: (t) => ({
    lastFullAt: t.expose('lastFullAt', { type: 'DateTime', nullable: true, description: 'When the last full sync (which also notices deletions) began.' }),
    lastIncrementalAt: t.expose('lastIncrementalAt', { type: 'DateTime', nullable: true, description: 'When the last successful sync of any kind began.' }),
    lagSeconds: t.exposeInt('lagSeconds', { nullable: true, description: 'Seconds since then: how much older than Waldur the mirror may be. Null before the first sync.' }),
    running: t.exposeBoolean('running', { description: 'A sync is under way (in any replica).' }),
    error: t.string({ nullable: true, description: 'Why the last sync failed; null when it succeeded. The mirror is kept as it was.', resolve: (s) => s.error || null }),
    customersFollowedBy: t.field({
      type: CustomerFollowingEnum,
      nullable: true,
      description: "How customers' renames and deletions reach the mirror (Waldur has no `modified` filter for customers). Null before the first full sync.",
      resolve: (s) => s.customersFollowedBy,
    }),
    customersFollowedWhy: t.exposeString('customersFollowedWhy', { nullable: true, description: 'Why they are followed that way, as the last full sync found.' }),
  }),
});

builder.queryField('waldurSync', (t) =>
  t.field({
    type: WaldurSyncRef,
    description: "The Waldur mirror's state.",
    resolve: (_root, _args, ctx) => mirrorState(ctx.prisma),
  }),
);

const WaldurSyncChangeRef = builder.objectRef<{ entity: string; created: number; updated: number; deleted: number }>('WaldurSyncChange').implement({
  description: 'How many objects of one kind a sync from Waldur created, updated and deleted in the mirror.',
  fields: (t) => ({
    entity: t.exposeString('entity', { description: 'customers, projects, offerings, resources or orders' }),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    deleted: t.exposeInt('deleted'),
  }),
});

const WaldurSyncResultRef = builder.objectRef<MirrorResult>('WaldurSyncResult').implement({
  description: 'A sync from Waldur\'s outcome: full or incremental, when, how long, and what changed.',
  fields: (t) => ({
    full: t.exposeBoolean('full'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    milliseconds: t.int({ resolve: (r) => Math.round(r.ms) }),
    changes: t.field({ type: [WaldurSyncChangeRef], resolve: (r) => Object.entries(r.changes).map(([entity, c]) => ({ entity, ...c })) }),
    kept: t.exposeStringList('kept', { description: 'Objects gone from Waldur that billing data still needs, kept (and why).' }),
  }),
});

builder.mutationField('syncFromWaldur', (t) =>
  t.field({
    type: WaldurSyncResultRef,
    description: 'Brings the mirror up to Waldur now: what changed since the last sync, or everything (noticing deletions) with `full`. Waits for a sync under way elsewhere.',
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'result' } },
    args: { full: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_root, args, ctx) =>
      syncFromWaldur(ctx.db, ctx.waldur, { full: args.full ?? false }).catch((err: unknown) => {
        // said at warn like the scheduled syncs' failures (the mirror is kept as it was)
        ctx.logger?.warn({ reqId: ctx.requestId, error: err instanceof Error ? err.message : String(err) }, 'waldur: sync failed (the mirror is kept as it was)');
        throw waldurFailure(err, 'sync from Waldur');
      }),
  }),
);
