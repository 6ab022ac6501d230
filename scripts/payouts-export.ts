/**
 * `npm run payouts:export -- --month 2026-10 [--out file.csv]`: the month's talent payouts as CSV
 * (payout_id,talent_id,name,email,orders,gross,platform_fee,refunds,amount_due,currency; money in
 * major units). The first export of a month creates its payout records; later exports print the
 * same rows. Works on DATABASE_URL, else on the embedded PostgreSQL of `npm start` (platform/script-database.ts).
 */
import fs from 'node:fs';
import { payoutsCsv } from '../domain/shoutouts/payouts';
import { exportPayouts, PayoutMonthError } from '../stores/shoutouts/payouts';
import { loadConfig } from '../platform/config';
import { openScriptDatabase } from '../platform/script-database';

function args(argv: string[]): { month?: string; out?: string } {
  const result: { month?: string; out?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--month') result.month = value();
    else if (flag === '--out') result.out = value();
    else throw new Error(`unknown argument ${argv[i]} (usage: --month YYYY-MM [--out file.csv])`);
  }
  return result;
}

async function main(): Promise<void> {
  const { month, out } = args(process.argv.slice(2));
  if (!month) throw new Error('usage: npm run payouts:export -- --month YYYY-MM [--out file.csv]');
  const config = loadConfig();
  const database = await openScriptDatabase(config);
  const { db } = database;
  try {
    const payouts = await exportPayouts(db, month);
    const csv = payoutsCsv(payouts);
    if (out) {
      fs.writeFileSync(out, csv);
      console.error(`${payouts.length} payout(s) for ${month} written to ${out}`);
    } else process.stdout.write(csv);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof PayoutMonthError ? `error: ${error.message}` : error instanceof Error ? `error: ${error.message}` : error);
  process.exit(1);
});
