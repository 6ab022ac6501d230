import fs from 'node:fs';
import path from 'node:path';
import type { ManagedProcess } from '../../platform/child-process';
import { TEST_RUN_DIR } from './state';
import { dropDatabase } from '../../platform/db';
import { execFileSync } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  if (process.env.RECORD_HISTORIES && process.env.TEST_TEMPORAL_ADDRESS) {
    const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    execFileSync(tsx, [path.join(__dirname, '..', 'replay', 'record.ts'), process.env.TEST_TEMPORAL_ADDRESS], { stdio: 'inherit' });
  }
  await (g.__temporal as ManagedProcess | undefined)?.stop();
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl && databaseUrl && !process.env.KEEP_TEST_DB) {
    await dropDatabase(adminUrl, new URL(databaseUrl).pathname.slice(1)).catch((error) => console.warn('could not drop the test database:', error));
  }
  await (g.__embeddedPg as ManagedProcess | undefined)?.stop();
  fs.rmSync(TEST_RUN_DIR, { recursive: true, force: true });
  fs.rmSync(path.join(TEST_RUN_DIR, '..', `test-pg-${process.pid}`), { recursive: true, force: true });
}
