import { Prisma as P } from '../generated/prisma/client.js';

export const Decimal = P.Decimal;
export type Decimal = P.Decimal;

/** Arrow sends prices as strings or JSON numbers; both become exact decimals (blank is 0). */
export function toDecimal(value: string | number | null | undefined): Decimal {
  const text = String(value ?? '').trim().replace(/,/g, '');
  if (!text) return new Decimal(0);
  try {
    return new Decimal(text);
  } catch {
    return new Decimal(0);
  }
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce((a, b) => a.plus(b), new Decimal(0));
}

/** Decimals in REST answers: a string with two places, as Waldur's serializers give them. */
export function twoPlaces(value: Decimal | null | undefined): string | null {
  return value === null || value === undefined ? null : value.toFixed(2);
}
