import { describe, expect, it } from 'vitest';
import { isScalarType } from 'graphql';
import { DateResolver, DateTimeResolver, URLResolver, UUIDResolver } from 'graphql-scalars';
import { schema } from '../../src/graphql/schema.js';

/** What a scalar's serialize gives, or the message it refuses with. */
function outcome(serialize: (value: unknown) => unknown, value: unknown) {
  try {
    return { sent: serialize(value) };
  } catch (err) {
    return { refused: (err as Error).message };
  }
}

function ours(name: string) {
  const type = schema.getType(name);
  if (!isScalarType(type)) throw new Error(`${name} is not a scalar`);
  return (value: unknown) => type.serialize(value);
}

// Our UUID, Date and DateTime serialize the common case without graphql-scalars' per-value
// regular expressions; what they send or refuse must be what graphql-scalars' would.
describe('scalars send what graphql-scalars would', () => {
  it('UUID: canonical, upper case, braced and invalid values', () => {
    const values = ['3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f60718', '3F1C2B4A-9D8E-4F70-A1B2-C3D4E5F60718', '{3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f60718}', '3f1c2b4a9d8e4f70a1b2c3d4e5f60718', '3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f6071g', '3f1c2b4a-9d8e-4f70-a1b2c-3d4e5f60718', '3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f6071', '3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f607189', 'not-a-uuid', '', '00000000-0000-0000-0000-000000000000', '', 42, null, undefined, { uuid: 'x' }];
    for (const value of values) expect(outcome(ours('UUID'), value), String(value)).toEqual(outcome((v) => UUIDResolver.serialize(v), value));
    expect(ours('UUID')('3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f60718')).toBe('3f1c2b4a-9d8e-4f70-a1b2-c3d4e5f60718');
  });

  it('Date: dates across the calendar, date strings and invalid values', () => {
    const values: unknown[] = [new Date('2026-11-28T00:00:00Z'), new Date('2026-11-28T23:59:59.999Z'), new Date('1970-01-01T00:00:00Z'), new Date('0001-01-01T00:00:00Z'), new Date(8.64e15), new Date('invalid'), '2026-11-28', '2026-13-01', 'yesterday', 20261128, null];
    for (let day = 0; day < 800; day += 7) values.push(new Date(Date.UTC(2024, 0, 1 + day, day % 24, day % 60)));
    for (const value of values) expect(outcome(ours('Date'), value), String(value)).toEqual(outcome((v) => DateResolver.serialize(v), value));
    expect(ours('Date')(new Date('2026-11-28T12:00:00Z'))).toBe('2026-11-28');
  });

  it('DateTime: the same instant, as ISO text', () => {
    const values: unknown[] = [new Date('2026-11-28T10:03:00.123Z'), new Date(0), new Date('2026-11-28T10:03:00+02:00'), '2026-11-28T10:03:00Z', '2026-11-28T10:03:00+02:00', new Date('invalid'), 'later', 1764324180000];
    // instants across the calendar (years before 1000 and after 9999 included), each twice
    // running (the last instant's text is kept), and one Date changed after it was sent
    for (let i = 0; i < 400; i++) {
      const date = new Date(Math.round((i % 2 ? -1 : 1) * (i * 7.919e11 + (i % 1000))));
      values.push(date, date);
    }
    values.push(new Date(-62198755200000), new Date(253402300799999), new Date(253402300800000), new Date(-1));
    for (const value of values) {
      const expected = outcome((v) => DateTimeResolver.serialize(v), value);
      // graphql-scalars gives a Date, which JSON then writes as its ISO text
      if ('sent' in expected && expected.sent instanceof Date) expected.sent = expected.sent.toISOString();
      expect(outcome(ours('DateTime'), value), String(value)).toEqual(expected);
    }
    const changed = new Date('2026-11-28T10:03:00.123Z');
    expect(ours('DateTime')(changed)).toBe('2026-11-28T10:03:00.123Z');
    changed.setTime(Date.UTC(2025, 0, 2));
    expect(ours('DateTime')(changed)).toBe('2025-01-02T00:00:00.000Z');
    expect(ours('Date')(changed)).toBe('2025-01-02');
  });

  it('URL: the same normalised text, the last value asked again included', () => {
    const values: unknown[] = ['https://xsp.arrow.com/index.php/api/', 'https://xsp.arrow.com/index.php/api/', 'HTTPS://Example.COM/a b', 'HTTPS://Example.COM/a b', 'not a url', 'https://xsp.arrow.com/index.php/api/', new URL('http://sim.local:8080/x'), 'not a url', null];
    for (const value of values) expect(outcome(ours('URL'), value), String(value)).toEqual(outcome((v) => URLResolver.serialize(v), value));
  });
});
