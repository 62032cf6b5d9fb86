import { databaseName, loadConfig } from './config.js';
import { createToken, createUser, DEFAULT_TOKEN_DAYS, deleteUser, listTokens, listUsers, revokeToken } from './domain/users.js';
import { exitWithUsage, parseCommandLine, UsageError } from './cli-args.js';

const USAGE = `Usage: npm run cli -- <command>
  create-user <username> [--staff]   create a user (not staff unless --staff)
  create-token <username> [--expires-in DAYS|never] [--rotate]
                                     create a token for a user and print it (only the token); it
                                     expires in ${DEFAULT_TOKEN_DAYS} days unless said; --rotate revokes the user's other tokens
  list-tokens <username>             a user's tokens: uuid, created, last used, expires (never the token)
  revoke-token <uuid|token>          revoke one token at once
  delete-user <username>             delete a user and their tokens
  list-users                         list users
  waldur-sync [--full]               bring the Waldur mirror up to WALDUR_API_URL now (--full: everything, noticing deletions)
With the embedded database the gateway must be stopped; with DATABASE_URL it may run.`;

/** What each command takes: its one positional argument, and whether --staff applies. */
const COMMANDS: Record<string, { argument?: string; staff?: boolean; full?: boolean; token?: boolean }> = {
  'create-user': { argument: 'username', staff: true },
  'create-token': { argument: 'username', token: true },
  'list-tokens': { argument: 'username' },
  'revoke-token': { argument: 'token uuid or token' },
  'delete-user': { argument: 'username' },
  'list-users': {},
  'waldur-sync': { full: true },
};

const { positionals, values } = parseCommandLine(
  'cli',
  USAGE,
  { staff: { type: 'boolean', default: false }, full: { type: 'boolean', default: false }, rotate: { type: 'boolean', default: false }, 'expires-in': { type: 'string' } },
  true,
);

/** The command and its argument, checked before the database is opened. */
function command(): { name: string; username: string } {
  const [name, username, ...rest] = positionals;
  if (!name) throw new UsageError('no command given');
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`unknown command ${name}`);
  if (spec.argument && !username) throw new UsageError(`${name} needs a ${spec.argument}`);
  const extra = spec.argument ? rest[0] : username;
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  if (values.staff && !spec.staff) throw new UsageError(`--staff applies to create-user only`);
  if (values.full && !spec.full) throw new UsageError(`--full applies to waldur-sync only`);
  if ((values.rotate || values['expires-in'] !== undefined) && !spec.token) throw new UsageError(`--rotate and --expires-in apply to create-token only`);
  if (values['expires-in'] !== undefined && values['expires-in'] !== 'never' && !/^\d+$/.test(values['expires-in'])) throw new UsageError(`--expires-in must be a whole number of days or "never", not "${values['expires-in']}"`);
  return { name, username: username ?? '' };
}

async function main() {
  const { name, username } = command();
  const config = loadConfig();
  if (name === 'waldur-sync' && !config.WALDUR_API_URL) {
    throw new UsageError('waldur-sync needs WALDUR_API_URL and WALDUR_API_TOKEN (without them the gateway mirrors its in-process demo Waldur itself, at every start)');
  }
  // the database and Waldur's client load only now: help and a misused command answer at once
  // (in under half a second, where loading Prisma and PGlite first took 1.2 s)
  const [{ openDatabase }, { applyMigrations }, { WaldurClient }, { syncFromWaldur }] = await Promise.all([
    import('./db/database.js'),
    import('./db/migrate.js'),
    import('./waldur/client.js'),
    import('./waldur/mirror.js'),
  ]);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await applyMigrations(db);
    if (name === 'create-user') {
      const user = await createUser(db.prisma, username, values.staff ?? false);
      console.log(`created ${user.isStaff ? 'staff ' : ''}user ${user.username} in ${databaseName(config)}`);
    } else if (name === 'create-token') {
      const expires = values['expires-in'];
      console.log(await createToken(db.prisma, username, { rotate: values.rotate ?? false, expiresInDays: expires === undefined ? undefined : expires === 'never' ? null : Number(expires) }));
    } else if (name === 'list-tokens') {
      for (const t of await listTokens(db.prisma, username)) {
        console.log(`${t.uuid}\tcreated ${t.created.toISOString()}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}\texpires ${t.expiresAt?.toISOString() ?? 'never'}`);
      }
    } else if (name === 'revoke-token') {
      const { username: owner } = await revokeToken(db.prisma, username);
      console.log(`revoked a token of ${owner} in ${databaseName(config)}`);
    } else if (name === 'delete-user') {
      await deleteUser(db.prisma, username);
      console.log(`deleted user ${username} and their tokens from ${databaseName(config)}`);
    } else if (name === 'waldur-sync') {
      const waldur = new WaldurClient({ apiUrl: config.WALDUR_API_URL!, token: config.WALDUR_API_TOKEN!, timeoutMs: config.WALDUR_TIMEOUT_MS, retries: 3, publicOnly: !config.ALLOW_PRIVATE_UPSTREAMS });
      const result = await syncFromWaldur(db, waldur, { full: values.full ?? false, progress: (line) => console.log(line) });
      for (const line of result.kept) console.log(`waldur: ${line}`);
    } else {
      for (const u of await listUsers(db.prisma)) {
        console.log(`${u.username}\t${u.isStaff ? 'staff' : 'user'}\t${u.tokens} token(s)\tcreated ${u.created.toISOString()}`);
      }
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) exitWithUsage('cli', USAGE, err.message);
    console.error(`cli: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
