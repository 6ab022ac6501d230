/**
 * `npm run migrate`: applies pending knex migrations to DATABASE_URL, else to the embedded PostgreSQL of
 * `npm start` (platform/script-database.ts). Destructive (contract)
 * migrations are refused unless `npm run migrate -- --allow-destructive` (CONTRIBUTING.md).
 */
import { loadConfig } from '../platform/config';
import { migrateLatest } from '../platform/db';
import { openScriptDatabase } from '../platform/script-database';
import { loadDotEnv } from '../platform/config/dotenv';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const database = await openScriptDatabase(config);
  const { db } = database;
  try {
    const applied = await migrateLatest(db, { allowDestructive: process.argv.includes('--allow-destructive') });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
