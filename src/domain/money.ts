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

const PLAIN_DECIMAL = /^(-?)0*(\d+?)(?:\.(\d*?)0*)?$/;

/**
 * A decimal as GraphQL sends it: at least two places ("31.00"), more only when the value has
 * them, no leading or trailing zeros beyond those. The same text as
 * `new Decimal(v)` then `toFixed(2)` or `toFixed()`, but read off the digits: a screen sends
 * thousands, and a Decimal per value was a tenth of GraphQL's cost over the domain's.
 */
export function decimalText(value: { toFixed(): string } | string): string {
  const text = typeof value === 'string' ? value : value.toFixed();
  // Most values already read as they are sent ("12.50", "3.125") or lack only zeros ("12.5",
  // "7"): those are said without a regex or a copy. Signs and stray zeros take the long way.
  const end = text.length;
  let i = 0;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === 0 || (i > 1 && text.charCodeAt(0) === 48 /* a leading 0 */)) return normalisedDecimalText(text);
  if (i === end) return `${text}.00`;
  if (text.charCodeAt(i) !== 46 /* . */) return normalisedDecimalText(text);
  let j = i + 1;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  const places = j - i - 1;
  if (j < end || places === 0 || (places > 2 && text.charCodeAt(end - 1) === 48 /* a trailing 0 */)) return normalisedDecimalText(text);
  return places === 1 ? `${text}0` : text;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The rest: signs, leading or trailing zeros, exponents. */
function normalisedDecimalText(text: string): string {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) {
    const d = new Decimal(text); // exponents and the like
    return d.decimalPlaces() < 2 ? d.toFixed(2) : d.toFixed();
  }
  const [, sign, whole, fraction = ''] = m;
  const places = fraction.length < 2 ? fraction.padEnd(2, '0') : fraction;
  return `${sign && (whole !== '0' || /[1-9]/.test(fraction)) ? '-' : ''}${whole}.${places}`;
}

/** Decimals in REST answers: a string with two places, as Waldur's serializers give them. */
export function twoPlaces(value: Decimal | null | undefined): string | null {
  return value === null || value === undefined ? null : value.toFixed(2);
}
