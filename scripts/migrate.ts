/**
 * `npm run migrate`: applies pending knex migrations to DATABASE_URL. Destructive (contract)
 * migrations are refused unless `npm run migrate -- --allow-destructive` (CONTRIBUTING.md).
 */
import { loadConfig } from '../platform/config';
import { createDb, migrateLatest } from '../platform/db';
import { loadDotEnv } from '../platform/config/dotenv';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start migrates the embedded PostgreSQL itself).');
  const db = createDb(config.DATABASE_URL);
  try {
    const applied = await migrateLatest(db, { allowDestructive: process.argv.includes('--allow-destructive') });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
