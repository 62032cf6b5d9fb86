import { DateResolver, DateTimeResolver, JSONResolver, URLResolver, UUIDResolver } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { builder } from '../builder.js';
import { Decimal, decimalText } from '../../domain/money.js';

// graphql-scalars' UUID builds its regular expression anew for every value it serializes (a
// screen sends some 2,500; even a prebuilt one takes 130 ns each): canonical UUIDs, as uuid
// columns give them, are checked against a table of hex digits; anything else is left to
// graphql-scalars, so what is sent or refused is the same. A screen sends the same uuid
// string several times running (a mapping's settings, its customer), so the last one passed is
// kept.
const LOWER_HEX = new Uint8Array(128);
for (const c of '0123456789abcdef') LOWER_HEX[c.charCodeAt(0)] = 1;
function hexRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (LOWER_HEX[text.charCodeAt(i)] !== 1) return false;
  return true;
}
function isCanonicalUuid(text: string): boolean {
  if (text.length !== 36) return false;
  if (text.charCodeAt(8) !== 45 || text.charCodeAt(13) !== 45 || text.charCodeAt(18) !== 45 || text.charCodeAt(23) !== 45) return false; // -
  return hexRun(text, 0, 8) && hexRun(text, 9, 13) && hexRun(text, 14, 18) && hexRun(text, 19, 23) && hexRun(text, 24, 36);
}
let lastUuid = '00000000-0000-0000-0000-000000000000'; // canonical, so never a wrong answer
builder.addScalarType(
  'UUID',
  new GraphQLScalarType({
    ...UUIDResolver.toConfig(),
    serialize: (value) => {
      if (value === lastUuid) return value;
      if (typeof value === 'string' && isCanonicalUuid(value)) return (lastUuid = value);
      return UUIDResolver.serialize(value);
    },
  }),
);

// Date's toISOString takes some 400 ns; the same text from its UTC fields, a third of that,
// for years 1000–9999 (earlier ones want padding, later ones a sign and six digits: both are left
// to toISOString). A screen sends the same instant many times running (one listing's fetch time
// for every mapping), so the last instant's text is kept.
const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);
function isoText(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  const ms = date.getUTCMilliseconds();
  const millis = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  return `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}.${millis}Z`;
}
let lastInstant = { time: NaN, text: '' };
/** A valid Date's ISO text, or undefined for anything else. */
function isoTextOf(value: unknown): string | undefined {
  if (!(value instanceof Date)) return undefined;
  const time = value.getTime();
  if (time === lastInstant.time) return lastInstant.text;
  if (Number.isNaN(time)) return undefined;
  lastInstant = { time, text: isoText(value) };
  return lastInstant.text;
}

// graphql-scalars' DateTime serializes to the Date itself, which JSON.stringify then turns to
// text through Date's toJSON, one call out of its fast path per date (a third of the screen's
// serialization time): the same ISO text, made here
builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...DateTimeResolver.toConfig(),
    serialize: (value) => {
      const text = isoTextOf(value); // nearly every value
      if (text !== undefined) return text;
      const date = DateTimeResolver.serialize(value) as Date | string;
      return date instanceof Date ? date.toISOString() : date;
    },
  }),
);
// the same YYYY-MM-DD as graphql-scalars' Date, without its validation regexes and split
builder.addScalarType(
  'Date',
  new GraphQLScalarType({
    ...DateResolver.toConfig(),
    serialize: (value) => {
      const text = isoTextOf(value);
      return text === undefined ? DateResolver.serialize(value) : text.slice(0, text.indexOf('T'));
    },
  }),
);
// graphql-scalars' URL parses every value it sends; a page's 100 mappings send their settings'
// one or two URLs, so the last answer is kept
let lastUrl: { value: unknown; sent: unknown } = { value: undefined, sent: undefined };
builder.addScalarType(
  'URL',
  new GraphQLScalarType({
    ...URLResolver.toConfig(),
    serialize: (value) => {
      if (value !== lastUrl.value || typeof value !== 'string') lastUrl = { value, sent: URLResolver.serialize(value) };
      return lastUrl.sent;
    },
  }),
);
builder.addScalarType('JSON', JSONResolver);

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Money: a decimal string on the wire both ways, so no value ever passes through a float. */
builder.scalarType('Decimal', {
  description: 'An exact decimal number as a string, with at least two places (e.g. "300.00"). Never a float.',
  // at least two places ("31.00"), more only when the value has them
  serialize: decimalText,
  parseValue: (value) => {
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw new GraphQLError('Decimal values are strings such as "12.50"');
    return new Decimal(value).toFixed();
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value)) throw new GraphQLError('Decimal values are strings such as "12.50"');
    return new Decimal(ast.value).toFixed();
  },
});
