import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError } from './config.js';
import { openDatabase, DataDirInUseError } from './db/database.js';
import { applyMigrations, MigrationError } from './db/migrate.js';
import { loadDemoData, pointDemoSettingsAt, runDemoFlows } from './db/demo.js';
import { ensureAdminToken } from './domain/users.js';
import { demoDataset } from './demo/dataset.js';
import { startArrowSimulator, type RunningSimulator } from './arrow-sim/server.js';
import { createGateway } from './server.js';
import { arrowSourceFrom } from './arrow-options.js';
import { startScheduler } from './scheduler.js';
import { createMetrics } from './observability/metrics.js';
import { createLogger } from './observability/logger.js';

async function main() {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const applied = await applyMigrations(db);
  console.log(`database: ${db.kind} at ${db.location}; ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`);

  if (config.ADMIN_TOKEN) await ensureAdminToken(db.prisma, config.ADMIN_TOKEN);

  const metrics = createMetrics();
  const arrow = arrowSourceFrom(config, metrics);
  let sim: RunningSimulator | null = null;
  if (config.DEMO_DATA) {
    // With no Arrow URL configured, the demo talks to an in-process simulator of ArrowSphere.
    const dataset = demoDataset();
    let arrowUrl = config.ARROW_API_URL;
    if (!arrowUrl) {
      sim = await startArrowSimulator(dataset.fixture, { port: config.ARROW_SIM_PORT });
      arrowUrl = sim.apiUrl;
      console.log(`arrow: in-process ArrowSphere simulator at ${arrowUrl}`);
    }
    const token = await loadDemoData(db.prisma, dataset, arrowUrl);
    await pointDemoSettingsAt(db.prisma, arrowUrl);
    if (token) {
      await runDemoFlows({ db, arrow });
      console.log('demo data loaded. Staff user "staff" has this token (shown once, keep it):');
      console.log(`  Authorization: Token ${token}`);
    }
  }

  const logger = createLogger(config.LOG_LEVEL);
  const scheduler = startScheduler({ db, arrow }, config.FLOW_INTERVAL_MINUTES * 60_000, (line) => logger.info(line));
  const { server } = createGateway({
    db,
    arrow,
    metrics,
    logger,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    allowedOrigins: config.ALLOWED_ORIGINS,
    maxPageSize: config.MAX_PAGE_SIZE,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  });
  server.listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`gateway: http://localhost:${port}/graphql`);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    await scheduler.stop();
    await sim?.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DataDirInUseError) {
    console.error(`gateway: ${err.message}`);
  } else {
    console.error('gateway: failed to start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
