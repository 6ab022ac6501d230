/**
 * `npx tsx bench/split-saga.ts`: split-payment sagas end to end — POST /v1/split-payments through
 * the real API, the saga on the real worker (charge → 3 transfers → ledger → 3 emails) with the
 * sandbox gateway in PostgreSQL — BENCH_N sagas (default 1000) at BENCH_CONCURRENCY (default 50),
 * each timed from the POST until its workflow completed. Prints one JSON line:
 * {sagas, sagas_per_s, p50_ms, p99_ms, ledger_imbalance, succeeded, failed, concurrency}.
 * `ledger_imbalance` is the sum of every ledger entry (all currencies, absolute): it must be 0.
 *
 * Like the other benches it uses the test harness: a fresh database on DATABASE_URL's server (else
 * an embedded PostgreSQL), the pinned Temporal dev server, the workflow bundle.
 */
import { ledgerImbalance } from '../stores/ledger/ledger';
import { newId } from '../domain/ids';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { runPool } from './lib/pool';
import { round } from './lib/stats';
import { keepAlivePoster } from './lib/http';
import { runBench } from './lib/run';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

const poster = (baseUrl: string) => {
  const { postJson, close } = keepAlivePoster(baseUrl, CONCURRENCY);
  return { post: postJson, close };
};

async function main(): Promise<void> {
  let stack: TestStack | undefined;
  try {
    stack = await startTestStack({ env: { DB_POOL_MAX: '30' } });
    const api = poster(stack.api!.url);
    const payer = await createActiveAccount(stack.deps);
    const recipients: string[] = [];
    // A pool of recipients (each saga pays three of them), as in life: not every saga credits the same balance rows.
    for (let i = 0; i < 15; i++) {
      const talent = await createActiveAccount(stack.deps, { kind: 'talent' });
      const res = await api.post('/v1/payout-accounts', { accountId: talent.id, provider: 'sandbox' }, { authorization: `Bearer ${talent.token}` });
      if (res.status !== 201) throw new Error(`payout account: ${res.status} ${res.body}`);
      recipients.push(JSON.parse(res.body).id);
    }
    const bodyFor = (n: number) => ({
      total: { amount: 10_000, currency: 'USD' },
      paymentMethod: 'pm_card_visa',
      platformFee: { percent: 7.5 },
      recipients: [
        { payoutAccountId: recipients[(3 * n) % 15], share: { percent: 33.3333 } },
        { payoutAccountId: recipients[(3 * n + 1) % 15], share: { percent: 33.3333 } },
        { payoutAccountId: recipients[(3 * n + 2) % 15], share: { percent: 33.3334 } },
      ],
      description: 'bench',
    });
    const errors: string[] = [];
    // A saga that cannot be started or followed is counted (and the first few reported), never fatal to the run.
    const saga = async (n: number) => {
      try {
        // A dropped connection (a keep-alive socket the server closed) is retried with the SAME
        // Idempotency-Key, as a client should: the API replays the first answer or runs it once.
        const headers = { authorization: `Bearer ${payer.token}`, 'idempotency-key': newId('idem') };
        let res: { status: number; body: string } | undefined;
        for (let attempt = 1; !res; attempt++) {
          try {
            res = await api.post('/v1/split-payments', bodyFor(n), headers);
            if (res.status === 409 && attempt < 5) res = undefined; // the first attempt is still being processed
          } catch (error) {
            if (attempt >= 5) throw error;
          }
          if (!res) await new Promise((r) => setTimeout(r, 200 * attempt));
        }
        if (res.status !== 201) throw new Error(`POST /v1/split-payments answered ${res.status}: ${res.body}`);
        const { workflowId } = JSON.parse(res.body) as { workflowId: string };
        const result = (await stack!.deps.temporal.workflow.getHandle(workflowId).result()) as { status: string };
        return result.status;
      } catch (error) {
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        return 'error';
      }
    };
    // Warm up (JIT, pools, the worker's caches), not counted.
    await runPool(Math.min(20, N), Math.min(10, CONCURRENCY), saga);
    const run = await runPool(N, CONCURRENCY, saga);
    for (const e of errors) console.error('saga error:', e);
    const imbalance = (await ledgerImbalance(stack.deps.db)).reduce((a, m) => a + Math.abs(m.amount), 0);
    api.close();
    process.stdout.write(
      JSON.stringify({
        sagas: N,
        sagas_per_s: round(run.perSecond, 2),
        p50_ms: round(run.latency.p50),
        p99_ms: round(run.latency.p99),
        ledger_imbalance: imbalance,
        succeeded: run.results.filter((s) => s === 'succeeded').length,
        failed: run.results.filter((s) => s === 'failed').length,
        errors: run.results.filter((s) => s === 'error').length,
        concurrency: CONCURRENCY,
      }) + '\n',
    );
  } finally {
    await stack?.stop();
  }
}

runBench(main);
