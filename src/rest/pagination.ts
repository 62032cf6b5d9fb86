import { RestError } from './http.js';
import type { RestAnswer, RestRequest } from './router.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 300;
export const MAX_PAGE_NUMBER = 1_000_000;

function positiveInt(value: string | null, fallback: number): number | null {
  if (value === null || value === '') return fallback;
  return /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** DRF's page-number pagination, as every Waldur list answers: a JSON array, X-Result-Count and a Link header. */
export async function paginated<T>(r: RestRequest, read: (window: { offset: number; limit: number }) => Promise<{ total: number; items: T[] }>, toJson: (item: T) => unknown): Promise<RestAnswer> {
  const pageSize = Math.min(MAX_PAGE_SIZE, positiveInt(r.query.get('page_size'), DEFAULT_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE);
  const page = positiveInt(r.query.get('page'), 1);
  if (page === null) throw new RestError(404, { detail: 'Invalid page.' });
  // past any list this gateway could hold: bad input, not a page to look for (the offset would overflow)
  if (page > MAX_PAGE_NUMBER) throw new RestError(400, { page: [`Ensure this value is less than or equal to ${MAX_PAGE_NUMBER}.`] });
  const { total, items } = await read({ offset: (page - 1) * pageSize, limit: pageSize });
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (page > last) throw new RestError(404, { detail: 'Invalid page.' });
  const pageUrl = (n: number) => {
    const u = new URL(r.url);
    u.searchParams.set('page', String(n));
    u.searchParams.set('page_size', String(pageSize));
    return u.toString();
  };
  const links = [`<${pageUrl(1)}>; rel="first"`];
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
  links.push(`<${pageUrl(last)}>; rel="last"`);
  return {
    status: 200,
    body: items.map(toJson),
    headers: { 'x-result-count': String(total), link: links.join(', '), 'access-control-expose-headers': 'Link, X-Result-Count' },
  };
}
