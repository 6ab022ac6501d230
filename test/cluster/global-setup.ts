/**
 * Once per `npm run test:cluster`: a real Temporal cluster on PostgreSQL (DATABASE_URL's server, else
 * an embedded PostgreSQL) with Temporal databases of its own, a fresh migrated platform database and the
 * workflow bundle. It sets the same TEST_* variables as the dev-server setup, so startTestStack()
 * (test/harness/stack.ts) runs real APIs and workers against the cluster unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../platform/child-process';
import { createDb, ensureDatabase, migrateLatest, withDatabase } from '../../platform/db';
import { startEmbeddedPostgres } from '../../platform/embedded-postgres';
import { startTemporalCluster } from '../../platform/temporal-cluster';
import { bundleWorkflows } from '../../workers/bundle';
import { CLUSTER_RUN_DIR, type ClusterRunState } from './state';

export default async function globalSetup(): Promise<void> {
  fs.rmSync(CLUSTER_RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(CLUSTER_RUN_DIR, { recursive: true });
  const started = Date.now();

  let adminUrl = process.env.DATABASE_URL;
  let embeddedPgPid: number | undefined;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres(path.join(CLUSTER_RUN_DIR, 'pg'), await freePort());
    adminUrl = pg.url;
    embeddedPgPid = pg.child.pid;
    (globalThis as Record<string, unknown>).__clusterPg = pg;
  }
  const suffix = `${Date.now()}_${process.pid}`;
  const database = `limelight_cluster_${suffix}`;
  const temporalDbs = { main: `temporal_${suffix}`, visibility: `temporal_visibility_${suffix}` };
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  const db = createDb(databaseUrl, 2);
  await migrateLatest(db);
  await db.destroy();

  const cluster = await startTemporalCluster({
    postgresUrl: adminUrl,
    databases: temporalDbs,
    workDir: path.join(CLUSTER_RUN_DIR, 'cluster'),
    uiPort: false,
    historyProcesses: 2,
    numHistoryShards: 8,
  });

  const bundlePath = path.join(CLUSTER_RUN_DIR, 'workflow-bundle.js');
  await bundleWorkflows(bundlePath);

  const state: ClusterRunState = { adminUrl, databaseUrl, databases: [database, temporalDbs.main, temporalDbs.visibility], cluster: cluster.state(), embeddedPgPid };
  const file = path.join(CLUSTER_RUN_DIR, 'state.json');
  fs.writeFileSync(file, JSON.stringify(state));
  process.env.CLUSTER_STATE_FILE = file;
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_TEMPORAL_ADDRESS = cluster.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  console.log(`\ncluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${cluster.address} (${cluster.processes.map((p) => p.name).join(', ')})`);
}
