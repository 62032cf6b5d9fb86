import { DateResolver, DateTimeResolver, JSONResolver, URLResolver, UUIDResolver } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { builder } from '../builder.js';
import { Decimal, decimalText } from '../../domain/money.js';

// graphql-scalars' UUID builds its regular expression anew for every value it serializes (a
// screen sends some 2,500; even a prebuilt one takes 130 ns each): canonical UUIDs, as uuid
// columns give them, are checked character by character; anything else is left to
// graphql-scalars, so what is sent or refused is the same
function isCanonicalUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false; // 0-9, a-f
  }
  return true;
}
builder.addScalarType(
  'UUID',
  new GraphQLScalarType({
    ...UUIDResolver.toConfig(),
    serialize: (value) => (typeof value === 'string' && isCanonicalUuid(value) ? value : UUIDResolver.serialize(value)),
  }),
);
// graphql-scalars' DateTime serializes to the Date itself, which JSON.stringify then turns to
// text through Date's toJSON, one call out of its fast path per date (a third of the screen's
// serialization time): the same ISO text, made here
builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...DateTimeResolver.toConfig(),
    serialize: (value) => {
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString(); // nearly every value
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
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return DateResolver.serialize(value);
      const iso = value.toISOString();
      return iso.slice(0, iso.indexOf('T'));
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
