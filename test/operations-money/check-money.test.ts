import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/** `npm run check:money` against the run's database: silent when the books hold, naming the rows when they do not. */
describe('npm run check:money', () => {
  let stack: TestStack;
  let fan: TestAccount;
  const check = async () => {
    try {
      const { stdout, stderr } = await run('npm', ['run', '--silent', 'check:money'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, LOG_LEVEL: 'silent' } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  /** Writes that the database's own triggers would refuse (they are what the check must still catch). */
  const bypassingTriggers = (work: (trx: TestStack['deps']['db']) => Promise<unknown>) =>
    stack.deps.db.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await work(trx);
    });

  beforeAll(async () => {
    stack = await startTestStack({ worker: false, api: false });
    fan = await createActiveAccount(stack.deps, { kind: 'fan' });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('passes on healthy books and names every broken row', async () => {
    const healthy = await check();
    expect(healthy.stderr).toBe('');
    expect(healthy).toMatchObject({ code: 0 });
    expect(healthy.stdout).toContain('money invariants hold');

    const suffix = Math.random().toString(36).slice(2, 10);
    const db = stack.deps.db;
    // 1. an unbalanced ledger transaction
    await bypassingTriggers(async (trx) => {
      await trx('ledger_transactions').insert({ id: `tx_bad_${suffix}`, kind: 'test', reference: 'check-money' });
      await trx('ledger_entries').insert([
        { transaction_id: `tx_bad_${suffix}`, entry_no: 1, account: 'customer:x', amount: -1000, currency: 'USD' },
        { transaction_id: `tx_bad_${suffix}`, entry_no: 2, account: 'platform:fees', amount: 990, currency: 'USD' },
      ]);
    });
    // 2. a payment captured beyond what was authorised
    await db('payments').insert({ id: `pay_bad_${suffix}`, account_id: fan.id, kind: 'film', reference: 'check-money', provider: 'sandbox', status: 'captured', amount: 1000, currency: 'USD', amount_captured: 1500 });
    // 3. an order delivered in a frozen month that no payout counts, though a later month was frozen
    await db('shoutout_payout_months').insert([{ month: '2024-01' }, { month: '2024-02' }]);
    const talent = await createActiveAccount(stack.deps, { kind: 'talent' });
    await db('shoutout_orders').insert({ id: `sho_bad_${suffix}`, workflow_id: `shoutout-sho_bad_${suffix}`, fan_id: fan.id, talent_id: talent.id, status: 'delivered', recipient_name: 'Ana', occasion: 'birthday', price_amount: 5000, currency: 'USD', platform_fee_amount: 1250, talent_share_amount: 3750, delivered_at: '2024-01-15T10:00:00Z' });
    // 4. a split allocating less than its total
    await db('split_payments').insert({ id: `spl_bad_${suffix}`, workflow_id: `split-spl_bad_${suffix}`, created_by: fan.id, status: 'failed', total_amount: 1000, currency: 'USD', version: 1, state: JSON.stringify({ allocation: [{ party: 'platform', amount: { amount: 900, currency: 'USD' } }] }) });
    // 5. the ledger says 500 went to a sandbox payout account the sandbox never received
    await db('sandbox_accounts').insert({ id: `acct_bad_${suffix}`, email: 'r@example.com' });
    await db('payout_accounts').insert({ id: `pa_bad_${suffix}`, account_id: talent.id, provider: 'sandbox', provider_account_id: `acct_bad_${suffix}`, created_by: fan.id });
    await db.transaction(async (trx) => {
      await trx('ledger_transactions').insert({ id: `tx_split_${suffix}`, kind: 'split', reference: 'check-money' });
      await trx('ledger_entries').insert([
        { transaction_id: `tx_split_${suffix}`, entry_no: 1, account: 'provider:sandbox:clearing', amount: 500, currency: 'USD' },
        { transaction_id: `tx_split_${suffix}`, entry_no: 2, account: `payout:pa_bad_${suffix}:transferred`, amount: -500, currency: 'USD' },
      ]);
    });

    const broken = await check();
    expect(broken.code).toBe(1);
    for (const row of [`ledger_transactions:tx_bad_${suffix}`, `payments:pay_bad_${suffix}`, `shoutout_orders:sho_bad_${suffix}`, `split_payments:spl_bad_${suffix}`, `payout_accounts:pa_bad_${suffix}`]) expect(broken.stderr).toContain(row);
    expect(broken.stderr).toMatch(/sums to -10 USD, not zero/);
    expect(broken.stderr).toMatch(/refunded 0 \/ captured 1500 \/ authorised 1000 USD/);
    expect(broken.stderr).toContain('5 money invariant violation(s)');
    expect(broken.stderr).not.toContain(`tx_split_${suffix}`);

    // Repaired (the sandbox receives its 500; the rest is put right or removed): the check passes again.
    await bypassingTriggers(async (trx) => {
      await trx('ledger_entries').where({ transaction_id: `tx_bad_${suffix}` }).delete();
      await trx('ledger_transactions').where({ id: `tx_bad_${suffix}` }).delete();
    });
    await db('payments').where({ id: `pay_bad_${suffix}` }).update({ amount_captured: 1000 });
    await db('shoutout_orders').where({ id: `sho_bad_${suffix}` }).delete();
    await db('shoutout_payout_months').whereIn('month', ['2024-01', '2024-02']).delete();
    await db('split_payments').where({ id: `spl_bad_${suffix}` }).update({ state: JSON.stringify({ allocation: [{ party: 'platform', amount: { amount: 1000, currency: 'USD' } }] }) });
    await db('sandbox_transfers').insert({ id: `tr_${suffix}`, destination: `acct_bad_${suffix}`, amount: 500, currency: 'USD' });
    await db('sandbox_balances').insert({ account_id: `acct_bad_${suffix}`, currency: 'USD', available: 500 });
    expect(await check()).toMatchObject({ code: 0 });
  }, 120_000);
});
