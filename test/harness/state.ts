import path from 'node:path';

export const TEST_RUN_DIR = path.resolve(__dirname, '..', '..', '.data', 'test-run');

export interface TestRunState {
  pids: number[];
  adminUrl?: string;
  database?: string;
  databaseUrl?: string;
  temporalAddress?: string;
}
