/**
 * `npm start`: the whole platform on one machine. Uses DATABASE_URL / TEMPORAL_ADDRESS when set;
 * otherwise starts an embedded PostgreSQL and the Temporal dev server (with its Web UI), both
 * keeping their data under .data/. Then migrates, runs the worker and the API, prints the URLs,
 * and on Ctrl-C / SIGTERM drains the worker, stops the API and stops what it started.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { createLogger } from '../platform/logger';
import { installTemporalRuntime } from '../platform/temporal-runtime';
import { startApi } from '../api/server';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { ensureDatabase, migrateLatest, withDatabase } from '../platform/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../platform/embedded-postgres';
import { startTemporalDevServer, type DevServer } from '../platform/temporal-dev-server';
import { connectWorkerConnection, temporalAddress } from '../platform/temporal';
import { temporalBinary } from '../platform/tools';
import { loadOrBundle } from '../workers/bundle';
import { onWorkerStart } from '../workers/startup';
import { createWorkers } from '../workers/worker';
import { loadDotEnv } from '../platform/config/dotenv';
import { buildWeb } from './web-build';

const ROOT = path.resolve(__dirname, '..');

// What this process started, stopped in order on exit (also when startup fails half way).
const started: { stop(): Promise<void> }[] = [];

async function main(): Promise<void> {
  loadDotEnv();
  const env = { ...process.env };
  const base = loadConfig(env);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  let pg: EmbeddedPostgres | undefined;
  if (!base.DATABASE_URL) {
    say(`starting embedded PostgreSQL on 127.0.0.1:${base.EMBEDDED_PG_PORT} (data in ${base.DATA_DIR}/postgres)…`);
    pg = await startEmbeddedPostgres(base.DATA_DIR, base.EMBEDDED_PG_PORT);
    started.push(pg);
    await ensureDatabase(pg.url, 'limelight');
    env.DATABASE_URL = withDatabase(pg.url, 'limelight');
  }

  let temporal: DevServer | undefined;
  if (!base.TEMPORAL_ADDRESS) {
    try {
      temporalBinary(base.TOOLS_DIR);
    } catch {
      say('installing the pinned Temporal CLI (once)…');
      execFileSync('bash', [path.join(ROOT, 'scripts', 'install-tools.sh')], { stdio: 'inherit', env });
    }
    say(`starting Temporal dev server on 127.0.0.1:${base.TEMPORAL_DEV_PORT} (state in ${base.DATA_DIR}/temporal.db)…`);
    temporal = await startTemporalDevServer({ toolsDir: base.TOOLS_DIR, dbFile: path.join(base.DATA_DIR, 'temporal.db'), port: base.TEMPORAL_DEV_PORT, uiPort: base.TEMPORAL_UI_PORT, namespace: base.TEMPORAL_NAMESPACE });
    started.unshift(temporal);
  }

  const config = loadConfig(env);
  if (!config.WEB_DIST_DIR) buildWeb({ onlyWhenMissing: true, say }); // the web app served at /
  installTemporalRuntime(config, createLogger(config, 'limelight'));
  const deps = await createCoreDeps(config, 'limelight');
  const applied = await migrateLatest(deps.db);
  if (applied.length) say(`migrated: ${applied.length} migration(s)`);

  const connection = await connectWorkerConnection(config);
  await onWorkerStart(deps);
  const workers = await createWorkers(deps, connection, await loadOrBundle());
  const running = workers.run();
  const api = await startApi(deps);

  say('');
  say('Limelight is up:');
  say(`  Web app      ${api.url}/`);
  say(`  API          ${api.url}/v1`);
  say(`  API docs     ${api.url}/docs   (OpenAPI: ${api.url}/openapi.json)`);
  say(`  Readiness    ${api.url}/readyz`);
  if (config.NODE_ENV !== 'production') say(`  Dev mailbox  ${api.url}/dev/mailbox?to=<email>`);
  say(`  Temporal UI  ${temporal ? temporal.uiUrl : '(external cluster at ' + temporalAddress(config) + ')'}`);
  say(`  Metrics      ${api.url}/metrics (API), http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics (worker)`);
  say('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    await api.close();
    workers.shutdown();
    await running.catch(() => undefined);
    await connection.close().catch(() => undefined);
    await closeCoreDeps(deps);
    await Runtime.instance().shutdown().catch(() => undefined);
    for (const s of started) await s.stop();
    say('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  running.catch(async (error) => {
    console.error('worker failed:', error);
    await stop('worker failure');
  });
}

main().catch(async (error) => {
  console.error(error);
  for (const s of started) await s.stop().catch(() => undefined);
  process.exit(1);
});
