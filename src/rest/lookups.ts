import { foundOr404 } from './http.js';
import type { Route } from './router.js';
import { customerJson } from './serializers.js';

/** Read-only endpoints, so that every hyperlink in a mapping resolves. */
export const lookupRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/customers/:uuid/',
    async handle(r, deps) {
      const c = await foundOr404(r.params.uuid!, (uuid) => deps.prisma.waldurCustomer.findUnique({ where: { uuid } }));
      return { status: 200, body: customerJson(c, r.links) };
    },
  },
  {
    method: 'GET',
    path: '/api/marketplace-resources/:uuid/',
    async handle(r, deps) {
      const x = await foundOr404(r.params.uuid!, (uuid) => deps.prisma.resource.findUnique({ where: { uuid } }));
      return {
        status: 200,
        body: { uuid: x.uuid, url: r.links.resource(x.uuid), name: x.name, backend_id: x.backendId, state: x.state, project_uuid: x.projectUuid, offering_uuid: x.offeringUuid, created: x.created.toISOString(), modified: x.modified.toISOString() },
      };
    },
  },
];
