import { builder } from '../builder.js';
import { ArrowUnavailableError, BackendIdRuleError, ConflictError, NotFoundError, ValidationError, WaldurUnavailableError } from '../../domain/errors.js';

/** The failures a mutation (or a fallible query) reports in its payload, rather than as a top-level error. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: "A failure reported in a payload, typed by its cause (fragment on each type, or on Error for its message; ship possible-types.json to a client's cache so the fragment matches).",
  fields: (t) => ({ message: t.exposeString('message', { description: 'What went wrong and, where there is one, what to do about it, in the words of the GraphQL API.' }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'Something named in the input does not exist (or is not visible from here).',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof NotFoundError,
});

/** REST's field names that are not GraphQL's input names made camelCase. */
const GRAPHQL_INPUT_NAMES: Record<string, string> = { settings: 'settingsUuid', waldur_customer: 'waldurCustomerUuid' };

/** The domain names fields as Waldur's REST does (snake_case); GraphQL clients see their input's names. */
export function graphqlFieldName(field: string): string {
  return GRAPHQL_INPUT_NAMES[field] ?? field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const FieldErrorRef = builder.objectRef<{ field: string; messages: string[] }>('FieldError').implement({
  description: 'One input refused by a ValidationError, with why.',
  fields: (t) => ({ field: t.exposeString('field'), messages: t.exposeStringList('messages') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused; `fields` says which inputs and why. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ValidationError,
  fields: (t) => ({
    fields: t.field({
      type: [FieldErrorRef],
      description: "The inputs refused, by the GraphQL input field's name.",
      resolve: (e) => Object.entries(e.fields).map(([field, messages]) => ({ field: graphqlFieldName(field), messages })),
    }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change contradicts the current state (e.g. a licence already linked). Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ConflictError && !(e instanceof BackendIdRuleError),
});

builder.objectType(BackendIdRuleError, {
  name: 'BackendIdRuleError',
  description: "The offering's backend_id_rules in Waldur (a format, or uniqueness within a scope) refuse this licence reference; nothing was sent to Waldur or changed here.",
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof BackendIdRuleError,
  fields: (t) => ({
    rule: t.exposeString('rule', { description: 'FORMAT or UNIQUENESS.' }),
    waldurErrors: t.exposeStringList('waldurErrors', { description: "Waldur's own words for each refusal." }),
  }),
});

builder.objectType(ArrowUnavailableError, {
  name: 'ArrowUnavailableError',
  description: 'ArrowSphere failed, refused or did not answer in time.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ArrowUnavailableError,
});

builder.objectType(WaldurUnavailableError, {
  name: 'WaldurUnavailableError',
  description: 'Waldur failed, refused or did not answer in time. Nothing was changed, in Waldur or here; try again in retryAfterSeconds.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof WaldurUnavailableError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

export const DOMAIN_ERRORS = [NotFoundError, ValidationError, BackendIdRuleError, ConflictError, ArrowUnavailableError, WaldurUnavailableError];
