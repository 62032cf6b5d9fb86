import { ValidationError } from './errors.js';

/** A billing period, `YYYY-MM`; none given is this month (UTC), an empty one is refused. */
export function parsePeriod(value: string | null | undefined, field = 'period', now = new Date()): string {
  if (value === null || value === undefined) return periodOf(now);
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw ValidationError.field(field, 'Use a month as YYYY-MM, e.g. 2026-11.');
  return value;
}

/** The first day of a period, the date ConsumptionRecord.billing_period holds. */
export function periodStart(period: string): Date {
  return new Date(`${period}-01T00:00:00.000Z`);
}

/** The month (YYYY-MM, UTC) of a date, or of `monthsBack` months before it. */
export function periodOf(date: Date, monthsBack = 0): string {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 7);
}
