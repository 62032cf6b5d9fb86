import { GraphQLError } from 'graphql';

/** A page larger than the limit is refused with a clear error, not silently cut. */
export function checkPageSize(args: { first?: number | null; last?: number | null }, max: number) {
  for (const size of [args.first, args.last]) {
    if (typeof size === 'number' && (size < 0 || size > max)) {
      throw new GraphQLError(`Page size must be between 0 and ${max}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
}
