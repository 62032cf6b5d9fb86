import { DateResolver, DateTimeResolver, JSONResolver, URLResolver, UUIDResolver } from 'graphql-scalars';
import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder.js';
import { Decimal, decimalText } from '../../domain/money.js';

builder.addScalarType('UUID', UUIDResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('URL', URLResolver);
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
