import { builder } from '../builder.js';

const ViewerRef = builder.objectRef<{ username: string; isStaff: boolean }>('Viewer').implement({
  description: 'The user whose token came with the request.',
  fields: (t) => ({
    username: t.exposeString('username'),
    isStaff: t.exposeBoolean('isStaff'),
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
