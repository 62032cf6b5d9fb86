import fs from 'node:fs';

/** A field as Waldur's generated SDK parses it (test/fixtures/waldur-sdk/ names the source). */
export interface SdkField {
  required: boolean;
  nullable: boolean;
  type: 'uuid' | 'string' | 'datetime' | 'date' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | string;
  items?: string;
  model?: string;
  enum?: (string | number)[];
}
export type SdkModels = Record<string, Record<string, SdkField>>;

export function loadSdk<T extends { models: SdkModels }>(file: string): T & { source: string } {
  return JSON.parse(fs.readFileSync(`test/fixtures/waldur-sdk/${file}`, 'utf8')) as T & { source: string };
}

const SCALARS: Record<string, (v: unknown) => boolean> = {
  // Python's UUID() takes the 32-hex form Waldur sends and the dashed one
  uuid: (v) => typeof v === 'string' && /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(v),
  string: (v) => typeof v === 'string',
  // dateutil's isoparse: an ISO 8601 date-time
  datetime: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
};

/** Every way `value` would make the SDK model's from_dict fail, as paths and reasons. */
export function sdkViolations(models: SdkModels, model: string, value: unknown, at: string): string[] {
  const fields = models[model];
  if (!fields) return [`${at}: unknown model ${model}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
  const out: string[] = [];
  for (const [key, f] of Object.entries(fields)) {
    const v = (value as Record<string, unknown>)[key];
    const where = `${at}.${key}`;
    if (v === undefined) {
      if (f.required) out.push(`${where}: required by ${model}, missing`);
      continue;
    }
    if (v === null) {
      if (!f.nullable) out.push(`${where}: null, but ${model} does not allow null`);
      continue;
    }
    if (f.type === 'array') {
      if (!Array.isArray(v)) out.push(`${where}: not an array`);
      else v.forEach((item, i) => out.push(...(models[f.items!] ? sdkViolations(models, f.items!, item, `${where}[${i}]`) : SCALARS[f.items!]?.(item) === false ? [`${where}[${i}]: not ${f.items}`] : [])));
    } else if (f.type === 'object') out.push(...sdkViolations(models, f.model!, v, where));
    else if (SCALARS[f.type] && !SCALARS[f.type]!(v)) out.push(`${where}: ${JSON.stringify(v)} is not ${f.type}`);
    else if (f.enum && !f.enum.includes(v as string | number)) out.push(`${where}: ${JSON.stringify(v)} is none of ${f.enum.join(', ')}`);
  }
  return out;
}
