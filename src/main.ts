import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError, databaseEnvPrefix, databaseName, type Config } from './config.js';
import { openDatabase, DataDirInUseError, type Database } from './db/database.js';
import { applyMigrations, MigrationError } from './db/migrate.js';
import { analyseUnplannedTables } from './db/planner-statistics.js';
import { untilDatabaseAnswers } from './db/unavailable.js';
import { adoptDemoUrl, loadDemoData, runDemoFlows } from './db/demo.js';
import { ensureAdminToken } from './domain/users.js';
import { DEMO_API_KEY, DEMO_ARROW_API_URL, demoDataset, demoWaldurFixture } from './demo/dataset.js';
import { attachWaldur, SharedDemoWaldurError } from './waldur/connect.js';
import { WaldurSyncLoop } from './waldur/sync-loop.js';
import { startArrowSimulator, type RunningSimulator } from './arrow-sim/server.js';
import { createGateway } from './server.js';
import { arrowSourceFrom } from './arrow-options.js';
import { redisSharedCache } from './domain/shared-cache.js';
import { startScheduler } from './scheduler.js';
import { createMetrics } from './observability/metrics.js';
import { createLogger } from './observability/logger.js';
import { settingsFromEnvironment } from './domain/settings.js';
import type { ArrowSource } from './domain/arrow-source.js';
import type { WaldurClient } from './waldur/client.js';
import { DomainError } from './domain/errors.js';

const USAGE = `Usage: npm start
Serves the gateway; every setting comes from environment variables (README, "Configuration").
With no variables set: the embedded database in ./data, demo data, and in-process ArrowSphere and Waldur simulators.`;

/** A start that cannot go on, said in one line. */
class StartError extends Error {}

/** The ports must be free before anything is loaded, or a first start's one-time token would be lost. */
function ensurePortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new StartError(
          err.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use; stop what holds it or set ${variable} to a free port`
            : `cannot listen on ${host}:${port} (${err.code ?? err.message}); set ${variable} or HOST`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** How to get a first staff token when the start made none. */
async function sayHowToGetAToken(db: Database, config: Config) {
  if (await db.prisma.user.count({ where: { isStaff: true } })) return;
  console.log(`No staff user yet. Make one and a token for it in ${databaseName(config)} (the gateway may keep running with DATABASE_URL; stop it first on the embedded database):`);
  const env = databaseEnvPrefix(config);
  console.log(`  ${env}npm run cli -- create-user admin --staff && ${env}npm run cli -- create-token admin`);
  console.log('or start with ADMIN_TOKEN=<at least 20 characters>.');
}

/** Demo settings and mappings on a database without settings, their flows run once; prints the staff token once. */
async function loadDemo(config: Config, db: Database, arrow: ArrowSource, dataset: ReturnType<typeof demoDataset>, waldur: WaldurClient): Promise<boolean> {
  await adoptDemoUrl(db.prisma);
  const token = await loadDemoData(db.prisma, dataset, { apiUrl: config.ARROW_API_URL ?? DEMO_ARROW_API_URL, apiKey: config.ARROW_API_KEY ?? DEMO_API_KEY });
  if (!token) return false;
  await runDemoFlows({ db, arrow, waldur });
  console.log('demo data loaded. Staff user "staff" has this token, shown this once (lost it? npm run cli -- create-token staff):');
  console.log(`  Authorization: Token ${token}`);
  return true;
}

/** Settings from ARROW_API_URL/ARROW_API_KEY, and a warning when a real Arrow would refuse them. */
async function arrowFromEnvironment(config: Config, db: Database, arrow: ArrowSource, demoSettingsMade: boolean) {
  if (!config.ARROW_API_URL) return;
  if (!config.ARROW_API_KEY) {
    console.warn(
      demoSettingsMade
        ? `arrow: ARROW_API_URL is set without ARROW_API_KEY: the demo's settings made now carry the demo simulator's key, which a real ArrowSphere refuses (every call 401). Set ARROW_API_KEY.`
        : `arrow: ARROW_API_URL is set without ARROW_API_KEY: no settings were made from it. Set ARROW_API_KEY (or make settings with createArrowSettings).`,
    );
    return;
  }
  if (config.DEMO_DATA) return; // the demo's settings carry them
  try {
    console.log(`arrow: ${await settingsFromEnvironment(db, arrow, { apiUrl: config.ARROW_API_URL, apiKey: config.ARROW_API_KEY })}`);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.warn(`arrow: no settings made from ARROW_API_URL: ${err.message}`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) return void console.log(USAGE);
  if (args.length) throw new StartError(`unknown argument ${args[0]}\n${USAGE}`);
  const config = loadConfig();
  await ensurePortFree(config.PORT, config.HOST, 'PORT');
  if (config.DEMO_DATA && !config.ARROW_API_URL) await ensurePortFree(config.ARROW_SIM_PORT, '127.0.0.1', 'ARROW_SIM_PORT');
  if (!config.WALDUR_API_URL) await ensurePortFree(config.WALDUR_SIM_PORT, '127.0.0.1', 'WALDUR_SIM_PORT');

  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const applied = await untilDatabaseAnswers(() => applyMigrations(db), (line) => console.warn(line), db.location);
  console.log(`database: ${db.kind} at ${db.location}; ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`);

  if (config.ADMIN_TOKEN) await ensureAdminToken(db.prisma, config.ADMIN_TOKEN);
  await analyseUnplannedTables(db.prisma);

  const metrics = createMetrics();
  let sim: RunningSimulator | null = null;
  // the demo's settings work at every start whatever DEMO_DATA says now: their URL resolves
  // nowhere but to this process's own simulator
  const demoSettingsKept = await db.prisma.arrowSettings.count({ where: { apiUrl: DEMO_ARROW_API_URL } });
  if ((config.DEMO_DATA && !config.ARROW_API_URL) || demoSettingsKept) {
    // the demo's settings name DEMO_ARROW_API_URL, which this process sends to its own simulator
    sim = await startArrowSimulator(demoDataset().fixture, { port: config.ARROW_SIM_PORT });
    console.log(`arrow: in-process ArrowSphere simulator at ${sim.apiUrl} (the demo settings' ${DEMO_ARROW_API_URL})`);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const shared = config.REDIS_URL
    ? redisSharedCache(config.REDIS_URL, {
        timeoutMs: config.REDIS_TIMEOUT_MS,
        // said once per outage, at warn, and once when it ends
        onState: (sharing, reason) => {
          metrics.redisSharing.set(sharing ? 1 : 0);
          if (sharing) logger.info('redis: answering again; sharing Arrow answers again (entries from before the outage dropped)');
          else (metrics.redisOutages.inc(), logger.warn(`redis: not answering within ${config.REDIS_TIMEOUT_MS} ms (${reason}); each replica caches and asks Arrow on its own until it does`));
        },
      })
    : undefined;
  if (shared) metrics.redisSharing.set(1);
  const arrow = arrowSourceFrom(config, metrics, sim ? { [DEMO_ARROW_API_URL]: sim.apiUrl } : undefined, shared);
  // a drop of Arrow's cache makes every replica's kept answers built on it stale
  arrow.onDrop = async () => void (await db.prisma.$executeRaw`UPDATE data_version SET version = version + 1 WHERE id = 1`);
  const dataset = demoDataset();
  // no WALDUR_API_URL: an in-process Waldur holding the demo's, attached to as to a real one
  const waldur = await attachWaldur(config, db, (token) => demoWaldurFixture(dataset, token), metrics);
  console.log(waldur.simulator ? `waldur: in-process Waldur simulator holding the demo's Waldur at ${waldur.apiUrl} (set WALDUR_API_URL and WALDUR_API_TOKEN to attach to yours)` : `waldur: attached to ${waldur.apiUrl}`);

  let started = false;
  const mirror = new WaldurSyncLoop(db, waldur.client, {
    intervalMs: config.WALDUR_SYNC_INTERVAL_SECONDS * 1000,
    fullEveryMs: config.WALDUR_FULL_SYNC_INTERVAL_SECONDS * 1000,
    metrics,
    logger,
    progress: (line) => console.log(line),
  });
  const { server, background } = createGateway({
    db,
    arrow,
    waldur: waldur.client,
    // ready once the first Waldur sync is done and the start's own work (demo data, its token) with it
    notReady: () => (!mirror.ready ? 'waiting for the first Waldur sync' : !started ? 'loading the demo data' : null),
    metrics,
    logger,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    allowedOrigins: config.ALLOWED_ORIGINS,
    maxPageSize: config.MAX_PAGE_SIZE,
    // on PGlite, this thread computes every screen and runs every statement: two at once keep it
    // busy while one waits on Arrow; more only interleave (bench: 16 clients' p99 4.1 → 2.4 s)
    maxConcurrentExecutions: config.MAX_CONCURRENT_EXECUTIONS ?? (db.kind === 'pglite' ? 2 : 4),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    responseCache: { entries: config.RESPONSE_CACHE_ENTRIES, maxAgeMs: config.RESPONSE_CACHE_MAX_AGE_SECONDS * 1000 },
    trustedDocumentsOnly: config.TRUSTED_DOCUMENTS_ONLY,
    trustProxy: config.TRUST_PROXY,
    metricsToken: config.METRICS_TOKEN,
    introspection: config.INTROSPECTION,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new StartError(`cannot listen on ${config.HOST}:${config.PORT} (${err.code ?? err.message}); set PORT to a free port`)));
    server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  console.log(`gateway: http://localhost:${port}/graphql (/readyz says ready after the first Waldur sync)`);
  console.log(`console: http://localhost:${port}/ (sign in with a staff token)`);

  // the first sync is full and must succeed: without it there is nothing to map
  for (let attempt = 1; ; attempt++) {
    try {
      await mirror.run(true);
      break;
    } catch (err) {
      const wait = Math.min(60, 5 * attempt);
      const message = err instanceof Error ? err.message : String(err);
      // a 404 on Waldur's own list paths means the URL names something else than a Waldur
      const hint = /\(HTTP 404\)/.test(message) ? ` — is ${waldur.apiUrl} a Waldur? WALDUR_API_URL is its root (paths begin with /api/)` : '';
      console.warn(`waldur: first sync failed (${message})${hint}; trying again in ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }
  mirror.start();
  const demoSettingsMade = config.DEMO_DATA ? await loadDemo(config, db, arrow, dataset, waldur.client) : false;
  await arrowFromEnvironment(config, db, arrow, demoSettingsMade);
  await sayHowToGetAToken(db, config);
  started = true;
  const scheduler = startScheduler({ db, arrow, waldur: waldur.client }, config.FLOW_INTERVAL_MINUTES * 60_000, logger);
  console.log('gateway: ready');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    await scheduler.stop();
    await background.settled(); // flows the 202 actions started finish (and record their runs)
    await mirror.stop();
    await sim?.close();
    await waldur.close();
    await shared?.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// A promise nobody awaited failing (a background write during a database restart) is logged and
// survived: the process serves on, and what failed is retried by its own loop or by its caller.
process.on('unhandledRejection', (err: unknown) => {
  console.error(`gateway: unexpected failure in background work: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
});

main().catch((err: unknown) => {
  if (err instanceof StartError || err instanceof ConfigError || err instanceof MigrationError || err instanceof DataDirInUseError || err instanceof SharedDemoWaldurError) {
    console.error(`gateway: ${err.message}`);
  } else {
    console.error('gateway: failed to start:', err instanceof Error ? err.message : err);
  }
  process.exit(err instanceof StartError && err.message.startsWith('unknown argument') ? 2 : 1);
});
