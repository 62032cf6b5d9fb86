import { describe, expect, it } from 'vitest';
import { Decimal, decimalText } from '../../src/domain/money.js';

/** What the Decimal scalar sent before decimalText: a Decimal made of the value, then toFixed. */
function throughDecimal(value: Decimal | string): string {
  const d = new Decimal(typeof value === 'string' ? value : value.toFixed());
  return d.decimalPlaces() < 2 ? d.toFixed(2) : d.toFixed();
}

describe('decimalText (the Decimal scalar on the wire)', () => {
  it('gives at least two places, more only when the value has them, no extra zeros', () => {
    expect(['31', '31.5', '31.50', '31.500', '0031.25', '0.1', '-0', '-0.00', '-0.001', '-12.3', '1e-7', '-1e+30'].map((v) => decimalText(v))).toEqual([
      '31.00', '31.50', '31.50', '31.50', '31.25', '0.10', '0.00', '0.00', '-0.001', '-12.30', '0.0000001', '-1000000000000000000000000000000.00',
    ]);
  });

  it('is the same text as going through a Decimal, for strings and Decimals alike', () => {
    // a fixed pseudo-random walk over signs, zero-heavy digits and fractions of every length
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const digits = (n: number) => Array.from({ length: n }, () => String(random() < 0.4 ? 0 : Math.floor(random() * 10))).join('');
    for (let i = 0; i < 20_000; i++) {
      const text = `${random() < 0.3 ? '-' : ''}${digits(1 + Math.floor(random() * 6))}${random() < 0.7 ? `.${digits(Math.floor(random() * 6))}` : ''}`;
      const expected = throughDecimal(text);
      expect([decimalText(text), decimalText(new Decimal(text))], text).toEqual([expected, expected]);
    }
  });
});
