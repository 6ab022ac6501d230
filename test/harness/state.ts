import path from 'node:path';

/** Per jest run (concurrent runs must not share it): the dev server's SQLite file and the workflow bundle. */
export const TEST_RUN_DIR = path.resolve(__dirname, '..', '..', '.data', `test-run-${process.pid}`);

export interface TestRunState {
  pids: number[];
  adminUrl?: string;
  database?: string;
  databaseUrl?: string;
  temporalAddress?: string;
}
