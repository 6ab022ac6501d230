/**
 * `npm run payouts:import -- file.csv`: the bank's answer, one row per payout
 * (payout_id,status,paid_at,reference; status paid | failed). All or nothing: a malformed file is
 * rejected whole, every bad line listed, nothing applied (exit code 1). Importing the same file
 * again changes nothing.
 */
import fs from 'node:fs';
import { importPayouts } from '../stores/shoutouts/payouts';
import { loadConfig } from '../platform/config';
import { openScriptDatabase } from '../platform/script-database';

async function main(): Promise<void> {
  const files = process.argv.slice(2).filter((a) => a !== '--');
  if (files.length !== 1) throw new Error('usage: npm run payouts:import -- file.csv');
  const text = fs.readFileSync(files[0], 'utf8');
  const config = loadConfig();
  const database = await openScriptDatabase(config);
  const { db } = database;
  try {
    const result = await importPayouts(db, text);
    if (!result.ok) {
      console.error(`rejected ${files[0]}: nothing was applied. Bad lines:`);
      for (const e of result.errors) console.error(`  line ${e.line}: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    console.log(`imported ${files[0]}: ${result.applied} payout(s) updated, ${result.unchanged} unchanged`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  process.exit(1);
});
