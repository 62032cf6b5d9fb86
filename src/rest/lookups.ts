import { isUuid } from '../domain/mappings.js';
import { RestError } from './http.js';
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
      const s = isUuid(r.params.uuid!) ? await deps.prisma.arrowSettings.findUnique({ where: { uuid: r.params.uuid! } }) : null;
      if (!s) throw new RestError(404, { detail: 'Not found.' });
      return { status: 200, body: settingsJson(s, r.links) };
    },
  },
  {
    method: 'GET',
    path: '/api/customers/:uuid/',
    async handle(r, deps) {
      const c = isUuid(r.params.uuid!) ? await deps.prisma.waldurCustomer.findUnique({ where: { uuid: r.params.uuid! } }) : null;
      if (!c) throw new RestError(404, { detail: 'Not found.' });
      return { status: 200, body: customerJson(c, r.links) };
    },
  },
];
