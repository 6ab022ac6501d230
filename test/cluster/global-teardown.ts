import fs from 'node:fs';
import type { ManagedProcess } from '../../platform/child-process';
import { dropDatabase } from '../../platform/db';
import { attachTemporalCluster } from '../../platform/temporal-cluster';
import { CLUSTER_RUN_DIR, readClusterRun } from './state';

export default async function globalTeardown(): Promise<void> {
  const run = readClusterRun();
  await attachTemporalCluster(run.cluster).stop();
  if (!process.env.KEEP_TEST_DB) {
    for (const database of run.databases) {
      await dropDatabase(run.adminUrl, database).catch((error) => console.warn(`could not drop ${database}:`, error));
    }
  }
  await ((globalThis as Record<string, unknown>).__clusterPg as ManagedProcess | undefined)?.stop();
  if (!process.env.KEEP_CLUSTER_LOGS) fs.rmSync(CLUSTER_RUN_DIR, { recursive: true, force: true });
}
