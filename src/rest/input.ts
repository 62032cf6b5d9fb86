import { RestError } from './http.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Collects per-field problems so one 400 names them all, as DRF does. */
export class BodyReader {
  readonly errors: Record<string, string[]> = {};
  constructor(private readonly body: Record<string, unknown>) {}

  private fail(field: string, message: string) {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  has(field: string) {
    return this.body[field] !== undefined;
  }

  string(field: string, { required = false } = {}): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return required ? this.fail(field, v === null ? 'This field may not be null.' : 'This field is required.') : undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return this.fail(field, 'Not a valid string.');
    return String(v);
  }

  boolean(field: string): boolean | undefined {
    const v = this.body[field];
    if (v === undefined) return undefined;
    const parsed = parseBoolean(v);
    return parsed === undefined ? this.fail(field, 'Must be a valid boolean.') : parsed;
  }

  /** A bare UUID, or a hyperlink ending in one (Waldur's update takes hyperlinks; we take either). */
  reference(field: string, { required = false } = {}): string | undefined {
    const v = this.string(field, { required });
    if (v === undefined) return undefined;
    const uuid = uuidIn(v);
    return uuid ?? this.fail(field, v.includes('/') ? 'Invalid hyperlink - No URL match.' : 'Must be a valid UUID.');
  }

  /** Throws the collected 400, if any. */
  done() {
    if (Object.keys(this.errors).length) throw new RestError(400, this.errors);
  }
}

export function uuidIn(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-f-]{36}$/i.test(trimmed)) return UUID.test(trimmed) ? trimmed.toLowerCase() : undefined;
  try {
    const segments = new URL(trimmed).pathname.split('/').filter(Boolean);
    const last = segments.at(-1) ?? '';
    return UUID.test(last) && last.length === 36 ? last.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function parseBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === '1' || v === 1) return true;
  if (v === 'false' || v === 'False' || v === '0' || v === 0) return false;
  return undefined;
}

/** Reads Waldur's query filters, collecting every problem into one 400. */
export class QueryReader {
  readonly errors: Record<string, string[]> = {};
  constructor(readonly q: URLSearchParams) {}
  text = (name: string) => this.q.get(name) || undefined;
  /** A uuid filter, given bare (`…_uuid`) or as the hyperlink Waldur's filter of the same name takes. */
  uuid(...names: string[]) {
    for (const name of names) {
      const v = this.q.get(name);
      if (!v) continue;
      const uuid = uuidIn(v);
      if (!uuid) this.errors[name] = [name.endsWith('_uuid') ? 'Enter a valid UUID.' : 'Invalid hyperlink - No URL match.'];
      return uuid;
    }
    return undefined;
  }
  boolean(name: string): boolean | undefined {
    const v = this.q.get(name);
    if (!v) return undefined;
    const parsed = parseBoolean(v);
    if (parsed === undefined) this.errors[name] = ['Must be a valid boolean.'];
    return parsed;
  }
  done<T>(filters: T): T {
    if (Object.keys(this.errors).length) throw new RestError(400, this.errors);
    return filters;
  }
}

/** A request body as `read` takes it, or the one 400 naming every bad field. */
export async function readBody<T>(r: { body(): Promise<Record<string, unknown>> }, read: (b: BodyReader) => T): Promise<T> {
  const b = new BodyReader(await r.body());
  const value = read(b);
  b.done();
  return value;
}
