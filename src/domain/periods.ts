import { ValidationError } from './errors.js';

/** A billing period, `YYYY-MM`; defaults to this month (UTC). */
export function parsePeriod(value: string | null | undefined, field = 'period', now = new Date()): string {
  if (value === null || value === undefined || value === '') return now.toISOString().slice(0, 7);
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw ValidationError.field(field, 'Use a month as YYYY-MM, e.g. 2026-11.');
  return value;
}

/** The first day of a period, the date ConsumptionRecord.billing_period holds. */
export function periodStart(period: string): Date {
  return new Date(`${period}-01T00:00:00.000Z`);
}

export function periodOfDate(date: Date): string {
  return date.toISOString().slice(0, 7);
}
