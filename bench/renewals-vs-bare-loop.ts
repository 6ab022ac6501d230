/**
 * `npx tsx bench/renewals-vs-bare-loop.ts [--dev-server] [--cluster]` (both when neither is given):
 * on the Temporal dev server and on the Temporal cluster (`npm run cluster`'s launcher), the sustained
 * rate of subscription renewals (the platform's real `subscription` workflow and worker, periods of
 * BENCH_PERIOD_MS) against the rate of a bare Temporal loop of the same shape (timer → one local
 * activity → continue-as-new, bench/workflows/bare-loop.ts) on the same server, and their ratio.
 * Prints one JSON line.
 *
 * Both loops get the same number of concurrent workflows (BENCH_N, default 300) with a period short
 * enough that the server, not the timers, is the limit; each is measured alone over BENCH_WINDOW_S
 * after BENCH_WARMUP_S, then terminated. PostgreSQL: DATABASE_URL's server, else an embedded one.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { SubscriptionInput } from '../domain/billing/types';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { freePort } from '../platform/child-process';
import { configWith } from '../platform/config';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, withDatabase } from '../platform/db';
import { startEmbeddedPostgres } from '../platform/embedded-postgres';
import { startTemporalCluster } from '../platform/temporal-cluster';
import { startTemporalDevServer } from '../platform/temporal-dev-server';
import { subscription, subscriptionWorkflowId } from '../workflows/billing';
import { bundleWorkflows } from '../workers/bundle';
import { createWorkers } from '../workers/worker';
import type { bareLoop } from './workflows/bare-loop';
import { runPool } from './lib/pool';
import { round } from './lib/stats';

const N = Number(process.env.BENCH_N ?? 300);
const PERIOD_MS = Number(process.env.BENCH_PERIOD_MS ?? 1000);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 15);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 30);
const ROOT = path.resolve(__dirname, '..');

const log = (...args: unknown[]) => {
  if (process.env.BENCH_VERBOSE) console.error(new Date().toISOString(), ...args);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function terminateAll(client: Client, workflowIds: string[]): Promise<void> {
  await runPool(workflowIds.length, 20, async (i) => {
    await client.workflow.getHandle(workflowIds[i]).terminate('bench over').catch(() => undefined);
  });
}

/** Counts over WINDOW_S after WARMUP_S; `count` reads a monotonic total. */
async function rateOf(count: () => Promise<number>): Promise<number> {
  await sleep(WARMUP_S * 1000);
  const c0 = await count();
  const t0 = Date.now();
  await sleep(WINDOW_S * 1000);
  const c1 = await count();
  return (c1 - c0) / ((Date.now() - t0) / 1000);
}

async function measure(address: string, adminUrl: string, bundles: { platform: { code: string }; bare: { code: string } }) {
  const database = `limelight_bench_${Date.now()}_${process.pid}`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  const migrator = createDb(databaseUrl, 2);
  await migrateLatest(migrator);
  await migrator.destroy();
  const id = randomUUID().slice(0, 8);
  const config = configWith({}, { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: address, TASK_QUEUE: `bench-renew-${id}`, MEDIA_TASK_QUEUE: `bench-media-${id}`, WORKER_TASK_QUEUES: 'main', WORKER_BUILD_ID: '' });
  const deps = await createCoreDeps(config, 'bench');
  const connection = await NativeConnection.connect({ address });
  try {
    // Renewals: the platform's worker and workflow, 1 renewal per run (the default).
    const workers = await createWorkers(deps, connection, bundles.platform);
    const running = workers.run();
    const planId = `pln_bench_${id}`;
    const plan = { id: planId, name: 'Bench plan', price: { amount: 500, currency: 'USD' }, interval: 'second' as const, intervalCount: Math.max(1, Math.round(PERIOD_MS / 1000)), trialDays: 0, grantsRole: 'premium' as const };
    await deps.db('products').insert({ id: planId, kind: 'plan', name: plan.name, price_amount: 500, currency: 'USD', interval: 'second', interval_count: plan.intervalCount, trial_days: 0, grants_role: 'premium' });
    const accounts = Array.from({ length: N }, (_, i) => ({ id: `acc_bench_${id}_${i}`, email: `bench-${id}-${i}@example.test`, name: `Bench ${i}`, kind: 'fan', status: 'active' }));
    const subs = accounts.map((a, i) => ({ id: `sub_bench_${id}_${i}`, account_id: a.id, plan_id: planId, status: 'incomplete', price_amount: 500, currency: 'USD' }));
    for (let i = 0; i < N; i += 500) {
      await deps.db('accounts').insert(accounts.slice(i, i + 500));
      await deps.db('subscriptions').insert(subs.slice(i, i + 500));
    }
    await runPool(N, 30, async (i) => {
      const input: SubscriptionInput = { id: subs[i].id, accountId: accounts[i].id, email: accounts[i].email, plan, paymentMethod: 'pm_card_visa', startedAt: Date.now(), dayMs: config.BILLING_DAY_LENGTH, dunningScheduleMs: config.BILLING_DUNNING_SCHEDULE };
      await deps.temporal.workflow.start(subscription, { taskQueue: config.TASK_QUEUE, workflowId: subscriptionWorkflowId(input.id), args: [input] });
    });
    log('subscriptions started');
    const renewals = async () => {
      const [{ n }] = await deps.db('billing_events').where({ type: 'subscription.renewed' }).andWhere('subject_id', 'like', `sub_bench_${id}_%`).count<{ n: string }[]>('* as n');
      return Number(n);
    };
    const renewalRate = await rateOf(renewals);
    log('renewals/s', renewalRate);
    await terminateAll(deps.temporal, subs.map((s) => subscriptionWorkflowId(s.id)));
    workers.shutdown();
    await running.catch(() => undefined);

    // The bare loop, alone on the same server.
    let ticks = 0;
    const bareQueue = `bench-bare-${id}`;
    const bare = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: bareQueue,
      workflowBundle: bundles.bare,
      activities: { bareTick: async () => void ticks++ },
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    const bareRunning = bare.run();
    const loopIds = Array.from({ length: N }, (_, i) => `bare-${id}-${i}`);
    await runPool(N, 30, async (i) => {
      await deps.temporal.workflow.start<typeof bareLoop>('bareLoop', { taskQueue: bareQueue, workflowId: loopIds[i], args: [{ loopId: loopIds[i], periodMs: PERIOD_MS, iteration: 0 }] });
    });
    const bareRate = await rateOf(async () => ticks);
    log('bare loops/s', bareRate);
    await terminateAll(deps.temporal, loopIds);
    bare.shutdown();
    await bareRunning.catch(() => undefined);
    return { renewals_per_s: round(renewalRate), bare_loop_per_s: round(bareRate), ratio: round(renewalRate / Math.max(bareRate, 1e-9)) };
  } finally {
    await connection.close().catch(() => undefined);
    await closeCoreDeps(deps);
    await dropDatabase(adminUrl, database).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const wanted = ['--dev-server', '--cluster'].filter((f) => process.argv.includes(f));
  const targets = wanted.length ? wanted : ['--dev-server', '--cluster'];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-bench-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const pg = await startEmbeddedPostgres(path.join(work, 'pg'), await freePort());
      stops.unshift(() => pg.stop());
      adminUrl = pg.url;
    }
    const bundles = { platform: await bundleWorkflows(), bare: await bundleWorkflows(undefined, path.join(ROOT, 'bench', 'workflows', 'bare-loop.ts')) };
    const result: Record<string, unknown> = { bench: 'renewals-vs-bare-loop', workflows: N, period_ms: PERIOD_MS, window_s: WINDOW_S };
    if (targets.includes('--dev-server')) {
      const dev = await startTemporalDevServer({ toolsDir: '.tools', dbFile: path.join(work, 'temporal.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default' });
      try {
        result.dev_server = await measure(dev.address, adminUrl, bundles);
      } finally {
        await dev.stop();
      }
    }
    if (targets.includes('--cluster')) {
      const suffix = `${Date.now()}_${process.pid}`;
      const databases = { main: `temporal_bench_${suffix}`, visibility: `temporal_visibility_bench_${suffix}` };
      const cluster = await startTemporalCluster({ postgresUrl: adminUrl, databases, workDir: path.join(work, 'cluster'), uiPort: false });
      try {
        result.cluster = { history_processes: 2, shards: 8, ...(await measure(cluster.address, adminUrl, bundles)) };
      } finally {
        await cluster.stop();
        for (const d of [databases.main, databases.visibility]) await dropDatabase(adminUrl, d).catch(() => undefined);
      }
    }
    console.log(JSON.stringify({ ...result, cores: os.cpus().length, load_avg_1m: round(os.loadavg()[0]) }));
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
