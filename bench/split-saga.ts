/**
 * `npx tsx bench/split-saga.ts`: split-payment sagas end to end — POST /v1/split-payments through
 * the real API, the saga on the real worker (charge → 3 transfers at once → ledger and success →
 * 3 emails) with the sandbox gateway in PostgreSQL — against their floor on the same Temporal
 * server in the same run: a bare workflow of the same shape whose activities are no-ops, of the
 * same kinds (remote 1 → remote 3 at once → local 1 → local 3 at once → local 1;
 * bench/workflows/split-floor.ts), started straight from the client.
 *
 * At concurrency 1 (BENCH_N1 of each, default 100; a saga and a floor run in turn, so both see the
 * same machine) and at BENCH_CONCURRENCY (default 50; BENCH_N50 of each, default 500). Figures per
 * saga, all from the POST being sent:
 *   - `saga`: until its workflow completed (the money final, the recipients emailed and recorded);
 *   - `money_final`: until `split.succeeded` was recorded (its event's clock_timestamp, same host
 *     clock): the charge, the transfers and the ledger are final there, the emails come after;
 *   - `post`: until the API answered 201 (auth, Idempotency-Key, the record, the workflow start).
 * `floor`: from the client's start to the bare workflow's completion. Ratios are saga / floor.
 * `step_mean_ms`: the mean time of each step's activity (the worker's split_step_duration_seconds):
 * the work the floor's no-ops do not do (database round trips, mostly).
 * `ledger_imbalance` is the sum of every ledger entry (all currencies, absolute): it must be 0.
 * Prints one JSON line.
 *
 * Like the other benches it uses the test harness: a fresh database on DATABASE_URL's server (else
 * an embedded PostgreSQL), the pinned Temporal dev server, the workflow bundle.
 */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Histogram } from 'prom-client';
import { ledgerImbalance } from '../stores/ledger/ledger';
import { newId } from '../domain/ids';
import { dataConverterFrom } from '../platform/codec';
import { bundleWorkflows } from '../workers/bundle';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { runPool } from './lib/pool';
import { round, summarize } from './lib/stats';
import { keepAlivePoster } from './lib/http';
import { runBench } from './lib/run';
import type { splitFloor } from './workflows/split-floor';

const N1 = Number(process.env.BENCH_N1 ?? 100);
const N50 = Number(process.env.BENCH_N50 ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const RECIPIENTS = 3;

interface SagaSample {
  status: string;
  splitId?: string;
  /** Wall clock (ms since the epoch) when the POST was sent: money_final is measured against the event's timestamp. */
  sentAt: number;
  postMs: number;
  totalMs: number;
}

const figures = (samples: number[]) => {
  const s = summarize(samples);
  return { p50_ms: round(s.p50), p99_ms: round(s.p99) };
};

async function main(): Promise<void> {
  let stack: TestStack | undefined;
  let floorWorker: Worker | undefined;
  let floorRunning: Promise<void> | undefined;
  let connection: NativeConnection | undefined;
  try {
    stack = await startTestStack({ env: { DB_POOL_MAX: '30' } });
    const { config, deps } = stack;
    const temporal = deps.temporal;
    const { postJson, close } = keepAlivePoster(stack.api!.url, CONCURRENCY);

    // The floor's worker: same server, same payload codec and cache size as the platform's worker.
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
    const floorQueue = `bench-split-floor-${randomUUID().slice(0, 8)}`;
    const noop = async () => undefined;
    floorWorker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: floorQueue,
      workflowBundle: await bundleWorkflows(undefined, path.resolve(__dirname, 'workflows', 'split-floor.ts')),
      dataConverter: dataConverterFrom(config),
      activities: { floorRemote: noop, floorLocal: noop },
      maxConcurrentActivityTaskExecutions: config.WORKER_MAX_ACTIVITIES,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    floorRunning = floorWorker.run();

    const payer = await createActiveAccount(deps);
    const recipients: string[] = [];
    // A pool of recipients (each saga pays three of them), as in life: not every saga credits the same balance rows.
    for (let i = 0; i < 15; i++) {
      const talent = await createActiveAccount(deps, { kind: 'talent' });
      const res = await postJson('/v1/payout-accounts', { accountId: talent.id, provider: 'sandbox' }, { authorization: `Bearer ${talent.token}` });
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
    const noteError = (error: unknown) => {
      if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
    };
    // A saga that cannot be started or followed is counted (and the first few reported), never fatal to the run.
    const saga = async (n: number): Promise<SagaSample> => {
      const sentAt = Date.now();
      const t0 = performance.now();
      try {
        // A dropped connection (a keep-alive socket the server closed) is retried with the SAME
        // Idempotency-Key, as a client should: the API replays the first answer or runs it once.
        const headers = { authorization: `Bearer ${payer.token}`, 'idempotency-key': newId('idem') };
        let res: { status: number; body: string } | undefined;
        for (let attempt = 1; !res; attempt++) {
          try {
            res = await postJson('/v1/split-payments', bodyFor(n), headers);
            if (res.status === 409 && attempt < 5) res = undefined; // the first attempt is still being processed
          } catch (error) {
            if (attempt >= 5) throw error;
          }
          if (!res) await new Promise((r) => setTimeout(r, 200 * attempt));
        }
        const postMs = performance.now() - t0;
        if (res.status !== 201) throw new Error(`POST /v1/split-payments answered ${res.status}: ${res.body}`);
        const { id, workflowId } = JSON.parse(res.body) as { id: string; workflowId: string };
        const result = (await temporal.workflow.getHandle(workflowId).result()) as { status: string };
        return { status: result.status, splitId: id, sentAt, postMs, totalMs: performance.now() - t0 };
      } catch (error) {
        noteError(error);
        return { status: 'error', sentAt, postMs: NaN, totalMs: NaN };
      }
    };
    const floor = async (): Promise<{ status: string; totalMs: number }> => {
      const t0 = performance.now();
      try {
        const floorId = `floor-${randomUUID()}`;
        const result = await temporal.workflow.execute<typeof splitFloor>('splitFloor', { taskQueue: floorQueue, workflowId: floorId, args: [{ floorId, recipients: RECIPIENTS }] });
        return { status: result.status, totalMs: performance.now() - t0 };
      } catch (error) {
        noteError(error);
        return { status: 'error', totalMs: NaN };
      }
    };

    // Warm up (JIT, pools, the workers' caches), not counted.
    await runPool(20, 10, async (i) => {
      await saga(i);
      await floor();
    });

    // The worker's own step timings (split_step_duration_seconds, this process's registry): the mean
    // time each step's activity took, which the floor's no-ops do not spend.
    const steps = deps.metrics.getSingleMetric('split_step_duration_seconds') as Histogram<'step' | 'outcome'>;
    const stepMeans = async () => {
      const values = (await steps.get()).values.filter((v) => v.labels.outcome === 'ok');
      const sum = (step: unknown, suffix: string) => values.find((v) => v.labels.step === step && v.metricName === `split_step_duration_seconds${suffix}`)?.value ?? 0;
      const names = [...new Set(values.map((v) => v.labels.step))];
      return Object.fromEntries(names.map((step) => [step, round((sum(step, '_sum') / Math.max(1, sum(step, '_count'))) * 1000)]));
    };

    // Concurrency 1: a saga and a floor in turn.
    steps.reset();
    const c1 = await runPool(N1, 1, async (i) => ({ saga: await saga(i), floor: await floor() }));
    const c1Steps = await stepMeans();
    steps.reset();
    const c1Sagas = c1.results.map((r) => r.saga);
    const c1Floors = c1.results.map((r) => r.floor);
    // Concurrency CONCURRENCY: the sagas, then the floors, each alone.
    const cnSagas = await runPool(N50, CONCURRENCY, saga);
    const cnSteps = await stepMeans();
    const cnFloors = await runPool(N50, CONCURRENCY, floor);

    // When each saga's money was final: its split.succeeded event.
    const all = [...c1Sagas, ...cnSagas.results].filter((s) => s.splitId);
    const succeededAt = new Map<string, number>();
    for (let i = 0; i < all.length; i += 500) {
      const rows = (await deps.db('split_events').whereIn('aggregate_id', all.slice(i, i + 500).map((s) => s.splitId!)).andWhere({ type: 'split.succeeded' }).select('aggregate_id', 'created_at')) as { aggregate_id: string; created_at: Date }[];
      for (const r of rows) succeededAt.set(r.aggregate_id, r.created_at.getTime());
    }
    const moneyFinal = (samples: SagaSample[]) => samples.filter((s) => succeededAt.has(s.splitId ?? '')).map((s) => succeededAt.get(s.splitId!)! - s.sentAt);
    const ok = <T extends { status: string; totalMs: number }>(xs: T[]) => xs.filter((x) => x.status !== 'error').map((x) => x.totalMs);

    const summary = (sagas: SagaSample[], floors: { status: string; totalMs: number }[], stepMs: Record<string, number>, elapsed?: { sagas: number; floors: number }) => {
      const saga = figures(ok(sagas));
      const floorFigures = figures(ok(floors));
      return {
        saga,
        money_final: figures(moneyFinal(sagas)),
        post: figures(sagas.filter((s) => s.status !== 'error').map((s) => s.postMs)),
        floor: floorFigures,
        ratio_p50: round(saga.p50_ms / floorFigures.p50_ms, 2),
        ratio_p99: round(saga.p99_ms / floorFigures.p99_ms, 2),
        step_mean_ms: stepMs,
        ...(elapsed ? { sagas_per_s: round(elapsed.sagas, 1), floors_per_s: round(elapsed.floors, 1) } : {}),
      };
    };

    for (const e of errors) console.error('error:', e);
    const imbalance = (await ledgerImbalance(deps.db)).reduce((a, m) => a + Math.abs(m.amount), 0);
    close();
    const sagas = [...c1Sagas, ...cnSagas.results];
    process.stdout.write(
      JSON.stringify({
        bench: 'split-saga',
        recipients: RECIPIENTS,
        c1: { n: N1, ...summary(c1Sagas, c1Floors, c1Steps) },
        [`c${CONCURRENCY}`]: { n: N50, ...summary(cnSagas.results, cnFloors.results, cnSteps, { sagas: cnSagas.perSecond, floors: cnFloors.perSecond }) },
        ledger_imbalance: imbalance,
        succeeded: sagas.filter((s) => s.status === 'succeeded').length,
        failed: sagas.filter((s) => s.status === 'failed').length,
        errors: sagas.filter((s) => s.status === 'error').length + [...c1Floors, ...cnFloors.results].filter((f) => f.status === 'error').length,
        cores: os.cpus().length,
        load_avg_1m: round(os.loadavg()[0], 2),
      }) + '\n',
    );
  } finally {
    floorWorker?.shutdown();
    await floorRunning?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await stack?.stop();
  }
}

runBench(main);
