/**
 * A "contains" text filter, as Prisma writes it: `ILIKE '%' || $1 || '%'`, where the value's own
 * `%`, `_` and `\` would be wildcards and escapes. Escaped here, so a search for "a_c" finds
 * "a_c" and not "abc", and "%" finds only names with a percent sign.
 */
export function containsText(value: string) {
  return { contains: value.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' as const };
}

/** Whether a text holds a NUL character, which PostgreSQL text cannot (it answers error 22021). */
export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

/** Any string inside a JSON value holding a NUL character; its path, or null. */
export function nulPath(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return hasNul(value) ? at : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, `${at}[${i}]`);
      if (found !== null) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (hasNul(k)) return at ? `${at}.${k}` : k;
      const found = nulPath(v, at ? `${at}.${k}` : k);
      if (found !== null) return found;
    }
  }
  return null;
}

export const NUL_MESSAGE = 'Null characters are not allowed.';
