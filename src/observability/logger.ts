import pino from 'pino';

/**
 * JSON logs. Request lines carry an id, method, path, status and duration, never headers or
 * bodies, so no token or key can reach a log; the redaction list is a second guard.
 */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: { service: 'arrow-waldur-gateway' },
      redact: { paths: ['*.authorization', '*.apiKey', '*.api_key', '*.token', 'headers'], censor: '[redacted]' },
    },
    destination,
  );
}

export type Logger = pino.Logger;
