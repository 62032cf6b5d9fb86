/**
 * The domain's failures. GraphQL maps them to typed payload errors (graphql/types/errors.ts),
 * REST to status codes (rest/errors.ts): one mapping each, in one place.
 */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** Bad input. `fields` names the offending inputs, as Waldur's 400 bodies do. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
  static field(field: string, message: string) {
    return new ValidationError(message, { [field]: [message] });
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/**
 * Waldur's backend_id_rules of an offering refuse the licence reference (its format, or its
 * uniqueness in the rule's scope): Waldur would answer the write 400, so it is not sent.
 */
export class BackendIdRuleError extends ConflictError {
  override name = 'BackendIdRuleError';
  constructor(
    message: string,
    /** FORMAT or UNIQUENESS: the rule refused. */
    readonly rule: 'FORMAT' | 'UNIQUENESS',
    /** Waldur's own words for each refusal. */
    readonly waldurErrors: string[],
  ) {
    super(message);
  }
}

/** Errors Waldur's answer (or its silence) caused: an operator hears of them at warn. */
const FROM_WALDUR = Symbol('fromWaldur');
export function markFromWaldur<E extends Error>(err: E): E {
  // a property (not a set of errors): GraphQL's errors plugin hands the error on as a proxy, which reads it through
  Object.defineProperty(err, FROM_WALDUR, { value: true });
  return err;
}
export function isFromWaldur(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && (err as { [FROM_WALDUR]?: boolean })[FROM_WALDUR] === true;
}

/** Arrow answered with an error, too slowly, or not at all. */
export class ArrowUnavailableError extends DomainError {
  override name = 'ArrowUnavailableError';
}

/** Waldur answered with an error, too slowly, or not at all; nothing was changed on either side. */
export class WaldurUnavailableError extends DomainError {
  override name = 'WaldurUnavailableError';
  constructor(
    message: string,
    /** Seconds a client may wait before trying again (REST's Retry-After). */
    readonly retryAfterSeconds = 30,
  ) {
    super(message);
  }
}
