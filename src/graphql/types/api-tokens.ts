import { builder } from '../builder.js';
import { DOMAIN_ERRORS } from './errors.js';
import { deleteUser, revokeToken } from '../../domain/users.js';

const RevokedTokenRef = builder.objectRef<{ username: string }>('RevokedApiToken').implement({
  description: 'A token of the gateway\'s own, revoked: it is refused from now on.',
  fields: (t) => ({ username: t.exposeString('username', { description: 'Whose it was.' }) }),
});

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: RevokedTokenRef,
    description: "Revokes a token of the gateway's own users at once, named by its uuid (`npm run cli -- list-tokens <user>`). Waldur users' tokens are revoked in Waldur.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'revoked' } },
    args: { uuid: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, { uuid }, ctx) => revokeToken(ctx.prisma, uuid),
  }),
);

const DeletedUserRef = builder.objectRef<{ username: string }>('DeletedGatewayUser').implement({
  description: "A user of the gateway's own, deleted with their tokens.",
  fields: (t) => ({ username: t.exposeString('username') }),
});

builder.mutationField('deleteGatewayUser', (t) =>
  t.field({
    type: DeletedUserRef,
    description: "Deletes a user of the gateway's own (a service account) and their tokens. Waldur users are managed in Waldur.",
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'deleted' } },
    args: { username: t.arg.string({ required: true }) },
    resolve: async (_root, { username }, ctx) => (await deleteUser(ctx.prisma, username), { username }),
  }),
);
