/**
 * `npx tsx bench/subscriptions.ts`: N subscriptions (default 5,000) on a plan with 20-second
 * periods, all on ONE worker process, each renewing PERIODS times (default 3). Prints one JSON line:
 * {subscriptions, worker_rss_mb, renewals, charges, p50_lateness_ms, p99_lateness_ms, …}.
 *
 * - renewals: renewal attempts fired for periods 2..PERIODS+1 (renewed + declined events);
 * - charges: successful off-session charges the sandbox gateway made for those periods (must equal renewals);
 * - lateness: how long after its period end each renewal charge started (recorded by the activity);
 * - worker_rss_mb: the worker process's peak resident set (sampled from /proc every second);
 * - cpu_ms_per_renewal: CPU time (user + system, from /proc) the Temporal dev server, the worker,
 *   PostgreSQL and this load generator used from the last start to the end, per renewal, and
 *   cores_needed: what that costs at N / period renewals a second (compare with the machine's cores).
 *
 * Uses the test harness's pieces: a fresh database on DATABASE_URL's server (else an embedded
 * PostgreSQL), the pinned Temporal dev server, the workflow bundle. BENCH_N, BENCH_PERIOD_S,
 * BENCH_PERIODS and BENCH_START_CONCURRENCY override the sizes. Targets: p99 < 2 s, RSS < 1 GiB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { SubscriptionInput } from '../domain/billing/types';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { configWith } from '../platform/config';
import globalSetup from '../test/harness/global-setup';
import globalTeardown from '../test/harness/global-teardown';
import { TEST_RUN_DIR } from '../test/harness/state';
import { testEnv } from '../test/harness/stack';
import { subscription, subscriptionWorkflowId } from '../workflows/billing';
import { createWorkers } from '../workers/worker';
import { cpuMeter, pidsMatching } from './lib/cpu';
import { runPool } from './lib/pool';
import { percentile, round } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 5000);
const PERIOD_S = Number(process.env.BENCH_PERIOD_S ?? 20);
const PERIODS = Number(process.env.BENCH_PERIODS ?? 3);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 50);

const log = (...args: unknown[]) => {
  if (process.env.BENCH_VERBOSE) console.error(new Date().toISOString(), ...args);
};

/** Worker mode: the platform's real worker (createWorkers) on the given task queue, until SIGTERM. */
async function worker(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = configWith({}, process.env);
  const deps = await createCoreDeps(config, 'bench-worker');
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
  const workers = await createWorkers(deps, connection, { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
  process.once('SIGTERM', () => workers.shutdown());
  process.send?.('ready');
  await workers.run();
  await connection.close();
  await closeCoreDeps(deps);
  process.exit(0);
}

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const ownSetup = !process.env.TEST_TEMPORAL_ADDRESS;
  if (ownSetup) await globalSetup();
  const env = testEnv({ LOG_LEVEL: 'warn', DB_POOL_MAX: '20', BILLING_DUNNING_SCHEDULE: '5s' });
  const config = configWith({}, env);
  const deps = await createCoreDeps(config, 'bench');
  let child: ChildProcess | undefined;
  let peakRss = 0;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const { db, temporal } = deps;
    child = spawn(process.execPath, [...process.execArgv, __filename, '--worker'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child!.once('message', () => resolve());
      child!.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    const pid = child.pid!;
    sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 1000);

    const planId = `pln_bench_${randomUUID().slice(0, 8)}`;
    const plan = { id: planId, name: 'Bench plan', price: { amount: 500, currency: 'USD' }, interval: 'second' as const, intervalCount: PERIOD_S, trialDays: 0, grantsRole: 'premium' as const };
    await db('products').insert({ id: planId, kind: 'plan', name: plan.name, price_amount: 500, currency: 'USD', interval: 'second', interval_count: PERIOD_S, trial_days: 0, grants_role: 'premium' });
    const run = randomUUID().slice(0, 8);
    const accounts = Array.from({ length: N }, (_, i) => ({ id: `acc_bench_${run}_${i}`, email: `bench-${run}-${i}@example.test`, name: `Bench ${i}`, kind: 'fan', status: 'active' }));
    const subs = accounts.map((a, i) => ({ id: `sub_bench_${run}_${i}`, account_id: a.id, plan_id: planId, status: 'incomplete', price_amount: 500, currency: 'USD' }));
    for (let i = 0; i < N; i += 1000) {
      await db('accounts').insert(accounts.slice(i, i + 1000));
      await db('subscriptions').insert(subs.slice(i, i + 1000));
    }
    log('accounts ready; starting', N, 'subscriptions');
    const started = Date.now();
    await runPool(N, START_CONCURRENCY, async (i) => {
      const input: SubscriptionInput = { id: subs[i].id, accountId: accounts[i].id, email: accounts[i].email, plan, paymentMethod: 'pm_card_visa', startedAt: Date.now(), dayMs: config.BILLING_DAY_LENGTH, dunningScheduleMs: config.BILLING_DUNNING_SCHEDULE, renewalsPerRun: config.BILLING_RENEWALS_PER_RUN };
      await temporal.workflow.start(subscription, { taskQueue: config.TASK_QUEUE, workflowId: subscriptionWorkflowId(input.id), args: [input] });
    });
    log('started in', Date.now() - started, 'ms');
    const temporalPort = config.TEMPORAL_ADDRESS!.split(':').pop();
    const cpu = cpuMeter({
      temporal: () => pidsMatching(new RegExp(`temporal server start-dev .*--port ${temporalPort} `)),
      worker: () => [pid],
      postgres: () => pidsMatching(/^(\S*\/)?postgres[: ]/),
      bench: () => [process.pid],
    });
    cpu.start();

    const lastPeriod = PERIODS + 1;
    const renewalEvents = () =>
      db('billing_events')
        .whereIn('type', ['subscription.renewed', 'subscription.renewal_failed'])
        .andWhereRaw(`(data->>'period')::int between 2 and ?`, [lastPeriod])
        .andWhere('subject_id', 'like', `sub_bench_${run}_%`);
    const deadline = Date.now() + (PERIODS + 2) * PERIOD_S * 1000 + 600_000;
    for (;;) {
      const [{ n }] = await renewalEvents().clone().where('type', 'subscription.renewed').count<{ n: string }[]>('* as n');
      log('renewed', n, 'of', N * PERIODS, 'rss', round(peakRss));
      if (Number(n) >= N * PERIODS) break;
      // Out of time: report what was measured, with the shortfall, rather than nothing.
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const cpuSeconds = cpu.stop();
    const events = (await renewalEvents().select('type', 'data')) as { type: string; data: { latenessMs: number; paymentId: string } }[];
    const lateness = events.filter((e) => e.type === 'subscription.renewed').map((e) => Number(e.data.latenessMs)).sort((a, b) => a - b);
    // What the gateway really charged for those periods (first attempts and dunning retries alike).
    const intents = (await db('sandbox_payment_intents')
      .where({ status: 'succeeded' })
      .andWhereRaw(`metadata->>'subscriptionId' like ?`, [`sub_bench_${run}_%`])
      .select(db.raw(`metadata->>'paymentId' as payment_id`))) as { payment_id: string }[];
    const charges = intents.filter((i) => {
      const period = Number(/_p(\d+)(?:_r\d+)?$/.exec(i.payment_id)?.[1] ?? 0);
      return period >= 2 && period <= lastPeriod;
    }).length;
    console.log(
      JSON.stringify({
        subscriptions: N,
        period_s: PERIOD_S,
        periods: PERIODS,
        worker_rss_mb: round(peakRss),
        renewals_expected: N * PERIODS,
        renewals: events.length,
        renewals_declined: events.filter((e) => e.type !== 'subscription.renewed').length,
        charges,
        p50_lateness_ms: percentile(lateness, 50),
        p99_lateness_ms: percentile(lateness, 99),
        max_lateness_ms: lateness[lateness.length - 1] ?? null,
        elapsed_s: round((Date.now() - started) / 1000),
        cpu_ms_per_renewal: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round((v * 1000) / Math.max(1, events.length))])),
        cores_needed: round((Object.values(cpuSeconds).reduce((a, b) => a + b, 0) / Math.max(1, events.length)) * (N / PERIOD_S)),
        cores: os.cpus().length,
        load_avg_1m: round(os.loadavg()[0]),
      }),
    );
  } finally {
    if (sampler) clearInterval(sampler);
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child!.kill('SIGKILL');
          r(undefined);
        }, 20_000);
        child!.once('exit', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    }
    await closeCoreDeps(deps);
    if (ownSetup) {
      const state = readRunState();
      await globalTeardown().catch((error) => console.error('teardown:', error));
      // The dev server and PostgreSQL this run started, if teardown left them running.
      for (const pid of state?.pids ?? []) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  }
}

function readRunState(): { pids: number[] } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(TEST_RUN_DIR, 'state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--worker')) {
  worker().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
