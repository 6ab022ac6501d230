import path from 'node:path';
import { describeViolation } from '../../domain/operations/invariants';
import { createDb } from '../../platform/db';
import { moneyViolations } from '../../scripts/check-money';

/**
 * After every end-to-end suite (test/**): the money invariants of `npm run check:money` hold in the
 * run's database. Registered in jest.config.js (setupFilesAfterEnv); unit tests beside code skip it.
 * A violation fails the suite that left it, naming the rows.
 */
const E2E_DIR = path.resolve(__dirname, '..') + path.sep;

afterAll(async () => {
  const file = expect.getState().testPath ?? '';
  const url = process.env.TEST_DATABASE_URL;
  if (!url || !file.startsWith(E2E_DIR) || file.includes(`${path.sep}replay${path.sep}`)) return;
  const db = createDb(url, 1);
  try {
    const violations = await moneyViolations(db);
    if (violations.length) throw new Error(`money invariants broken after ${path.relative(E2E_DIR, file)}:\n${violations.map(describeViolation).join('\n')}`);
  } finally {
    await db.destroy();
  }
}, 60_000);
