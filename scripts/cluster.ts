/**
 * `npm run cluster`: a real Temporal cluster on PostgreSQL, as in production — frontend, two
 * history, matching and worker services as separate temporal-server processes, the schemas
 * migrated by temporal-sql-tool, a `default` namespace and the Temporal Web UI. PostgreSQL is
 * DATABASE_URL's server (databases `temporal` and `temporal_visibility`) or, unset, the embedded
 * one under DATA_DIR/cluster (port EMBEDDED_PG_PORT + 1). Ctrl-C stops it all. Point the platform at it with TEMPORAL_ADDRESS.
 *
 *   npm run cluster [-- --port 7233 --ui-port 8080 --history 2 --shards 8 --db temporal --visibility-db temporal_visibility]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../platform/config';
import { loadDotEnv } from '../platform/config/dotenv';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../platform/embedded-postgres';
import { startTemporalCluster, type TemporalCluster } from '../platform/temporal-cluster';

const ROOT = path.resolve(__dirname, '..');

function text(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : process.argv[i + 1];
  if (!value || !/^[a-z_][a-z0-9_]*$/.test(value)) throw new Error(`--${name} takes a database name (lowercase letters, digits, _)`);
  return value;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const toolsDir = config.TOOLS_DIR;
  if (!['temporal-server', 'temporal-sql-tool', 'temporal-ui-server'].every((b) => fs.existsSync(path.join(ROOT, toolsDir, 'bin', b)))) {
    say('building the Temporal server, its SQL tool and the Web UI server (once)…');
    execFileSync('bash', [path.join(ROOT, 'scripts', 'install-cluster-tools.sh')], { stdio: 'inherit', env: { ...process.env, TOOLS_DIR: toolsDir } });
  }

  let pg: EmbeddedPostgres | undefined;
  let cluster: TemporalCluster | undefined;
  let starting: Promise<TemporalCluster> | undefined;
  let stopping = false;
  const aborter = new AbortController();
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${why}: stopping the cluster…`);
    aborter.abort();
    // Mid-start, the launcher stops what it started before its promise settles.
    await starting?.catch(() => undefined);
    await cluster?.stop();
    await pg?.stop();
    say('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    let postgresUrl = config.DATABASE_URL;
    if (!postgresUrl) {
      // Its own data folder and port: `npm start` may run its embedded PostgreSQL beside it.
      const port = config.EMBEDDED_PG_PORT + 1;
      say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${config.DATA_DIR}/cluster/postgres)…`);
      pg = await startEmbeddedPostgres(path.join(config.DATA_DIR, 'cluster'), port);
      postgresUrl = pg.url;
    }
    say(`starting a Temporal cluster on PostgreSQL ${new URL(postgresUrl).host}…`);
    starting = startTemporalCluster({
      postgresUrl,
      workDir: path.join(config.DATA_DIR, 'cluster'),
      databases: { main: text('db', 'temporal'), visibility: text('visibility-db', 'temporal_visibility') },
      toolsDir,
      frontendPort: flag('port', config.TEMPORAL_DEV_PORT),
      uiPort: flag('ui-port', 8080),
      historyProcesses: flag('history', 2),
      numHistoryShards: flag('shards', 8),
      namespace: config.TEMPORAL_NAMESPACE,
      logLevel: 'warn',
      signal: aborter.signal,
      say,
    });
    cluster = await starting;
  } catch (error) {
    if (stopping) return;
    console.error(error);
    await cluster?.stop();
    await pg?.stop();
    process.exit(1);
  }

  say('');
  say('Temporal cluster is up:');
  say(`  frontend     ${cluster.address}  (namespace ${cluster.namespace})`);
  say(`  Web UI       ${cluster.uiUrl}`);
  say(`  processes    ${cluster.processes.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
  say(`  logs         ${path.join(config.DATA_DIR, 'cluster')}/<process>.log`);
  say('');
  say(`Run the platform on it:  TEMPORAL_ADDRESS=${cluster.address} npm start`);
  say('Press Ctrl-C to stop.');
  // Watches the processes (and keeps this one alive until Ctrl-C).
  const reported = new Set<string>();
  setInterval(() => {
    for (const p of cluster!.processes) {
      let up = true;
      try {
        process.kill(p.pid, 0);
      } catch {
        up = false;
      }
      if (!up && !stopping && !reported.has(`${p.name}:${p.pid}`)) {
        reported.add(`${p.name}:${p.pid}`);
        say(`${p.name} (pid ${p.pid}) is not running; see ${p.logFile}`);
      }
    }
  }, 2000);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
