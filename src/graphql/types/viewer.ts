import { builder } from '../builder.js';

const ViewerRef = builder.objectRef<{ username: string; isStaff: boolean; isSupport?: boolean; source?: 'local' | 'waldur' }>('Viewer').implement({
  description: 'The user whose token came with the request.',
  fields: (t) => ({
    username: t.exposeString('username'),
    isStaff: t.exposeBoolean('isStaff'),
    isSupport: t.boolean({ description: "A Waldur support user: reads everything, changes nothing.", resolve: (v) => v.isSupport === true }),
    source: t.string({ description: '"waldur" for a Waldur user signed in with their own Waldur token, "local" for a user of the gateway\'s own (service accounts, scripts).', resolve: (v) => v.source ?? 'local' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description: 'Who you are; null without a valid token. The only field open to non-staff users.',
    skipTypeScopes: true,
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
);
