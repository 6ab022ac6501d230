/**
 * Once per `npm test`: one real Temporal dev server (the pinned CLI), one fresh PostgreSQL
 * database (on DATABASE_URL's server, else an embedded PostgreSQL), migrated, and the workflow
 * bundle built once. Test files find them through TEST_* environment variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../platform/child-process';
import { createDb, ensureDatabase, migrateLatest, withDatabase } from '../../platform/db';
import { startEmbeddedPostgres } from '../../platform/embedded-postgres';
import { startTemporalDevServer } from '../../platform/temporal-dev-server';
import { bundleWorkflows } from '../../workers/bundle';
import { TEST_RUN_DIR, type TestRunState } from './state';

export default async function globalSetup(): Promise<void> {
  fs.rmSync(TEST_RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(TEST_RUN_DIR, { recursive: true });
  const state: TestRunState = { pids: [] };

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres(path.join(TEST_RUN_DIR, '..', `test-pg-${process.pid}`), await freePort());
    adminUrl = pg.url;
    state.pids.push(pg.child.pid!);
    (globalThis as Record<string, unknown>).__embeddedPg = pg;
  }
  const database = `limelight_test_${Date.now()}_${process.pid}`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  const db = createDb(databaseUrl, 2);
  await migrateLatest(db);
  await db.destroy();

  const port = await freePort();
  const temporal = await startTemporalDevServer({ toolsDir: '.tools', dbFile: path.join(TEST_RUN_DIR, 'temporal.db'), port, uiPort: await freePort(), namespace: 'default' });
  state.pids.push(temporal.child.pid!);
  (globalThis as Record<string, unknown>).__temporal = temporal;

  const bundlePath = path.join(TEST_RUN_DIR, 'workflow-bundle.js');
  await bundleWorkflows(bundlePath);

  Object.assign(state, { adminUrl, database, databaseUrl, temporalAddress: temporal.address });
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  fs.writeFileSync(path.join(TEST_RUN_DIR, 'state.json'), JSON.stringify(state));
}
