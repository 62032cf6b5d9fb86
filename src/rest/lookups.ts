import { foundOr404 } from './http.js';
import type { Route } from './router.js';
import { customerJson, settingsJson } from './serializers.js';

/** Read-only endpoints, so that every hyperlink in a mapping resolves. */
export const lookupRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/admin/arrow/settings/',
    async handle(r, deps) {
      const rows = await deps.prisma.arrowSettings.findMany({ orderBy: [{ isActive: 'desc' }, { created: 'asc' }, { uuid: 'asc' }] });
      return { status: 200, body: rows.map((s) => settingsJson(s, r.links)) };
    },
  },
  {
    method: 'GET',
    path: '/api/admin/arrow/settings/:uuid/',
    async handle(r, deps) {
      const s = await foundOr404(r.params.uuid!, (uuid) => deps.prisma.arrowSettings.findUnique({ where: { uuid } }));
      return { status: 200, body: settingsJson(s, r.links) };
    },
  },
  {
    method: 'GET',
    path: '/api/customers/:uuid/',
    async handle(r, deps) {
      const c = await foundOr404(r.params.uuid!, (uuid) => deps.prisma.waldurCustomer.findUnique({ where: { uuid } }));
      return { status: 200, body: customerJson(c, r.links) };
    },
  },
];
