import { z } from 'zod';

/** Every setting the gateway reads, with its default. README's configuration table mirrors this. */
/** A port, said as the CLIs say it: "must be a whole number from 0 to 65535, not "abc"". */
function port(fallback: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
      if (n >= 0 && n <= 65535) return n;
      ctx.addIssue({ code: 'custom', message: `must be a whole number from 0 to 65535, not "${v}"` });
      return z.NEVER;
    });
}

const variables = z.object({
  PORT: port(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  ADMIN_TOKEN: z.string().min(20, 'must be at least 20 characters').optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),
  ARROW_API_URL: z.string().url().optional(),
  // write-only: never logged, never answered
  ARROW_API_KEY: z.string().min(1).optional(),
  // default: demo data on the embedded database only, never on a PostgreSQL someone named
  DEMO_DATA: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  ARROW_SIM_PORT: port(0),
  ARROW_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ARROW_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  ARROW_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(8),
  ARROW_CACHE_TTL_SECONDS: z.coerce.number().min(0).default(60),
  // set: replicas share Arrow's answers through this Redis (one fetch serves all, a drop drops for all)
  REDIS_URL: z.string().url().optional(),
  // the most one Redis call may take; a slower or absent Redis is gone around, never waited for
  REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
  // unset: an in-process Waldur simulator (the demo's Waldur when DEMO_DATA)
  WALDUR_API_URL: z.string().url().optional(),
  // write-only: never logged, never answered
  WALDUR_API_TOKEN: z.string().min(1).optional(),
  WALDUR_SYNC_INTERVAL_SECONDS: z.coerce.number().min(0).default(300),
  WALDUR_FULL_SYNC_INTERVAL_SECONDS: z.coerce.number().positive().default(86_400),
  WALDUR_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  // true: Arrow and Waldur URLs may name loopback, private and link-local addresses (a Waldur on
  // the same network, the simulators run as processes, tests); false: refused when connecting
  ALLOW_PRIVATE_UPSTREAMS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WALDUR_SIM_PORT: port(0),
  FLOW_INTERVAL_MINUTES: z.coerce.number().min(0).default(60),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  MAX_PAGE_SIZE: z.coerce.number().int().positive().default(300),
  // GraphQL executions at once; the rest queue (src/graphql/execution-gate.ts)
  /** Default: 2 on the embedded database (one thread computes everything), 4 on PostgreSQL. */
  MAX_CONCURRENT_EXECUTIONS: z.coerce.number().int().positive().optional(),
  // whole GraphQL answers kept while the data they show stands (src/graphql/response-cache.ts)
  RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(32),
  RESPONSE_CACHE_MAX_AGE_SECONDS: z.coerce.number().min(0).default(60),
  // true: GraphQL takes only the console's trusted documents, plus any document from a staff token
  TRUSTED_DOCUMENTS_ONLY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // true: REST hyperlinks follow X-Forwarded-Proto/-Host (set it only behind a proxy that sets them)
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // set: /metrics answers only "Authorization: Bearer <this>"
  METRICS_TOKEN: z.string().min(20, 'must be at least 20 characters').optional(),
  // who may ask for the schema: everyone (it is published with the code; GraphiQL reads it
  // before a token is pasted) or only callers with a valid token
  INTROSPECTION: z.enum(['everyone', 'authenticated']).default('everyone'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

const schema = variables
  .refine((c) => !c.ARROW_API_KEY || c.ARROW_API_URL, { path: ['ARROW_API_KEY'], message: 'needs ARROW_API_URL (the ArrowSphere API the key is for)' })
  .refine((c) => !c.WALDUR_API_TOKEN || c.WALDUR_API_URL, { path: ['WALDUR_API_TOKEN'], message: 'needs WALDUR_API_URL (the Waldur the token is for)' })
  .refine((c) => !c.WALDUR_API_URL || c.WALDUR_API_TOKEN, { path: ['WALDUR_API_URL'], message: "needs WALDUR_API_TOKEN (a staff user's token for that Waldur)" })
  .transform((c) => ({ ...c, DEMO_DATA: c.DEMO_DATA ?? !c.DATABASE_URL }));

export type Config = z.output<typeof schema>;

/** Every variable read, for the README's table (a test keeps the two together). */
export const CONFIG_VARIABLES = Object.keys(variables.shape);

export class ConfigError extends Error {}

/** Reads the environment; a wrong value is a one-line error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid ${name}: ${issue.message}`);
  }
  return parsed.data;
}

/** Which database a configuration names, in words and without its password (for the CLI's and the start's lines). */
export function databaseName(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (!config.DATABASE_URL) return `the embedded database in ${config.DATA_DIR}`;
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/**
 * The variables a CLI command needs to reach the same database as this configuration, ready to
 * paste before `npm run cli`; a password is left for the reader to put back (it is never printed).
 */
export function databaseEnvPrefix(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    if (url.password) url.password = 'PASSWORD';
    return `DATABASE_URL='${url.toString()}' `;
  }
  return config.DATA_DIR === './data' ? '' : `DATA_DIR='${config.DATA_DIR}' `;
}
