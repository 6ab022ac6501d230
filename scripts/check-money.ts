/**
 * `npm run check:money`: the money invariants, read-only, against any database (DATABASE_URL, else
 * the embedded one of `npm start`). Every ledger transaction sums to zero per currency; per payment
 * refunded ≤ captured ≤ authorised; every delivered order is in exactly one payout (or its
 * adjustment); every split's allocation sums to its total and its transfers to its allocation; the
 * sandbox provider's balances equal the ledger. Each violation names its rows; exit code 1 if any.
 * The queries live with the tables' owners (stores/<cap>/invariants.ts, providers/payments/invariants.ts);
 * this composes them. The end-to-end tests run the same check after every suite (test/harness/money-hook.ts).
 */
import { describeViolation, type MoneyViolation } from '../domain/operations/invariants';
import type { Db } from '../platform/db';
import { loadConfig } from '../platform/config';
import { openScriptDatabase } from '../platform/script-database';
import { sandboxAccountMoney, sandboxBookViolations } from '../providers/payments/invariants';
import { ledgerBalancesWithPrefix, ledgerViolations } from '../stores/ledger/invariants';
import { paymentViolations } from '../stores/payments/invariants';
import { payoutViolations } from '../stores/shoutouts/invariants';
import { sandboxPayoutAccounts, splitViolations } from '../stores/splits/invariants';

/** Ledger `payout:<payoutAccountId>:transferred` (credited as money leaves) against the sandbox account it names. */
async function sandboxLedgerViolations(db: Db): Promise<MoneyViolation[]> {
  const held = await sandboxAccountMoney(db);
  const ledger = await ledgerBalancesWithPrefix(db, 'payout:');
  const violations = sandboxBookViolations(held);
  for (const account of await sandboxPayoutAccounts(db)) {
    if (account.settling) continue;
    const currencies = new Set([...held.filter((h) => h.accountId === account.providerAccountId).map((h) => h.currency), ...ledger.filter((l) => l.account === `payout:${account.id}:transferred`).map((l) => l.currency)]);
    for (const currency of currencies) {
      const provider = held.find((h) => h.accountId === account.providerAccountId && h.currency === currency)?.netTransferred ?? 0;
      const books = -(ledger.find((l) => l.account === `payout:${account.id}:transferred` && l.currency === currency)?.balance ?? 0);
      if (provider !== books) {
        violations.push({
          invariant: 'sandbox=ledger',
          rows: [`payout_accounts:${account.id}`, `sandbox_accounts:${account.providerAccountId}`],
          detail: `payout account ${account.id}: the sandbox holds ${provider} ${currency} transferred (net of reversals), the ledger says ${books}`,
        });
      }
    }
  }
  return violations;
}

export async function moneyViolations(db: Db): Promise<MoneyViolation[]> {
  return [
    ...(await ledgerViolations(db)),
    ...(await paymentViolations(db)),
    ...(await payoutViolations(db)),
    ...(await splitViolations(db)),
    ...(await sandboxLedgerViolations(db)),
  ];
}

async function main(): Promise<void> {
  const database = await openScriptDatabase(loadConfig());
  try {
    // Read-only for good: the whole check runs in one read-only transaction.
    const violations = await database.db.transaction(async (trx) => {
      await trx.raw('set transaction read only');
      return moneyViolations(trx as unknown as Db);
    });
    if (violations.length === 0) {
      console.log(`money invariants hold (${database.where})`);
      return;
    }
    for (const v of violations) console.error(describeViolation(v));
    console.error(`${violations.length} money invariant violation(s) in ${database.where}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exit(1);
  });
}
