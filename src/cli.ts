import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { applyMigrations } from './db/migrate.js';
import { createToken, createUser, listUsers } from './domain/users.js';

const USAGE = `Usage: npm run cli -- <command>
  create-user <username> [--staff]   create a user (not staff unless --staff)
  create-token <username>            create a token for a user and print it (only the token)
  list-users                         list users
With the embedded database the gateway must be stopped; with DATABASE_URL it may run.`;

async function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { staff: { type: 'boolean', default: false } } });
  const [command, username] = positionals;
  if (!command || (command !== 'list-users' && !username)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await applyMigrations(db);
    switch (command) {
      case 'create-user': {
        const user = await createUser(db.prisma, username!, values.staff ?? false);
        console.log(`created ${user.isStaff ? 'staff ' : ''}user ${user.username}`);
        return 0;
      }
      case 'create-token':
        console.log(await createToken(db.prisma, username!));
        return 0;
      case 'list-users':
        for (const u of await listUsers(db.prisma)) {
          console.log(`${u.username}\t${u.isStaff ? 'staff' : 'user'}\t${u.tokens} token(s)\tcreated ${u.created.toISOString()}`);
        }
        return 0;
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`cli: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
