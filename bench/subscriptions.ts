/**
 * `npx tsx bench/subscriptions.ts [--dev-server] [--cluster]` (both when neither is given): what
 * subscription renewals cost against what Temporal itself can do, on the Temporal dev server and on
 * a Temporal cluster on PostgreSQL (platform/temporal-cluster.ts), in one run. Prints ONE JSON line;
 * per server:
 *
 * - renewals_per_s: the highest renewal rate the platform held with p99 lateness < 2 s (the real
 *   `subscription` workflow and worker, one renewal per run, the default);
 * - bare_loop_per_s: the same figure for a bare Temporal loop of the renewal's shape (timer → one
 *   local activity → continue-as-new, bench/workflows/bare-loop.ts) on a fixed schedule too;
 * - ratio: renewals_per_s / bare_loop_per_s (the target is ≥ 0.8).
 *   Both come from the same ladder of steps: a step offers a rate (BENCH_PERIOD_S-second periods,
 *   due times spread evenly) for BENCH_STEP_PERIODS periods; the first period warms up, lateness
 *   (charge start − due time) is counted over the rest, a renewal not started 2 s after its due
 *   time counts as late. Steps are fractions of a first saturating probe of the bare loop, going
 *   up while the rate holds and down while it does not; `steps` lists them all;
 * - cpu_ms_per_renewal / cpu_ms_per_bare_loop: CPU (user + system, /proc) of the Temporal server
 *   processes, the PostgreSQL backends of the run's databases and the worker, per renewal / loop,
 *   at the highest step held;
 * - worker_rss_mb_per_1000_subscriptions: the worker's resident set growth (after a full GC) per
 *   1,000 cached subscriptions sleeping until their period end (the burst's);
 * - burst: BENCH_BURST subscriptions (default 1,000; the figure is 5,000) due in the same
 *   second: seconds from that second until the last was charged, with renewals, gateway charges
 *   and captured payments counted (each must equal the number of subscriptions: exactly once).
 *
 * Subscriptions start as running ones do after continue-as-new (their state in the input: active,
 * period 1, one sandbox customer's card), so a start costs one workflow task and due times are
 * exact. Each worker runs in a child process (`--worker platform|bare`; the platform's as
 * workers/main.ts runs it, logging at info); BENCH_CPU_PROF=<dir> writes their V8 CPU profiles
 * (node --cpu-prof). PostgreSQL: DATABASE_URL's server, else an embedded one. BENCH_VERBOSE=1 logs
 * progress to stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { SubscriptionInput, SubscriptionState } from '../domain/billing/types';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { freePort } from '../platform/child-process';
import { configWith } from '../platform/config';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, withDatabase, type Db } from '../platform/db';
import { startEmbeddedPostgres } from '../platform/embedded-postgres';
import { createLogger } from '../platform/logger';
import { installTemporalRuntime } from '../platform/temporal-runtime';
import { startTemporalCluster } from '../platform/temporal-cluster';
import { startTemporalDevServer } from '../platform/temporal-dev-server';
import { subscription, subscriptionWorkflowId } from '../workflows/billing';
import { bundleWorkflows } from '../workers/bundle';
import { createWorkers } from '../workers/worker';
import type { bareLoop } from './workflows/bare-loop';
import { cpuSeconds } from './lib/cpu';
import { runPool } from './lib/pool';
import { percentile, round } from './lib/stats';

const PERIOD_S = Number(process.env.BENCH_PERIOD_S ?? 10);
const STEP_PERIODS = Number(process.env.BENCH_STEP_PERIODS ?? 3);
const BARE_N = Number(process.env.BENCH_BARE_N ?? 200);
const PROBE_S = Number(process.env.BENCH_PROBE_S ?? 10);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const LATENESS_LIMIT_MS = 2000;
/** Steps as fractions of the saturating probe: the first, then up while it holds, down while it does not. */
const FIRST_STEP = 0.6;
const STEP = 0.15;
const ROOT = path.resolve(__dirname, '..');

const log = (...args: unknown[]) => {
  if (process.env.BENCH_VERBOSE) console.error(new Date().toISOString(), ...args);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

// ---- the worker processes ----------------------------------------------------------------------

/** Child mode: the platform's real worker (createWorkers), or the bare loop's, until SIGTERM. */
async function workerProcess(kind: string): Promise<void> {
  const config = configWith({}, process.env);
  // As workers/main.ts does: SDK metrics on, logs through pino at info (JSON on stdout, dropped here).
  if (kind === 'bare') Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } } });
  else installTemporalRuntime(config, createLogger(config, 'bench-worker'));
  process.on('message', (m) => {
    if (m !== 'gc') return;
    global.gc?.();
    process.send?.({ rssMb: process.memoryUsage().rss / 1024 / 1024 });
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
  const bundle = { codePath: process.env.BENCH_BUNDLE! };
  if (kind === 'bare') {
    let ticks = 0;
    // [due time, lateness] of every scheduled tick, as the charge activity records a renewal's.
    const late: [number, number][] = [];
    const bareTick = async ({ dueAt }: { dueAt?: number }) => {
      ticks++;
      if (dueAt !== undefined) late.push([dueAt, Date.now() - dueAt]);
    };
    const worker = await Worker.create({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TASK_QUEUE, workflowBundle: bundle, activities: { bareTick }, maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS });
    process.once('SIGTERM', () => worker.shutdown());
    process.on('message', (m: string | { from: number; to: number }) => {
      if (m === 'ticks') process.send?.({ ticks });
      else if (typeof m === 'object') process.send?.({ late: late.filter(([due]) => due >= m.from && due < m.to).map(([, l]) => l) });
    });
    process.send?.('ready');
    await worker.run();
  } else {
    const deps = await createCoreDeps(config, 'bench-worker');
    const workers = await createWorkers(deps, connection, bundle);
    process.once('SIGTERM', () => workers.shutdown());
    process.send?.('ready');
    await workers.run();
    await closeCoreDeps(deps);
  }
  await connection.close();
  process.exit(0);
}

interface WorkerChild {
  pid: number;
  /** The bare worker's local activity count so far. */
  ticks(): Promise<number>;
  /** The bare worker's lateness of the ticks due in [from, to). */
  lateness(from: number, to: number): Promise<number[]>;
  /** Resident set after a full garbage collection. */
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

async function startWorker(kind: 'platform' | 'bare', env: Record<string, string | undefined>, bundlePath: string): Promise<WorkerChild> {
  const profDir = process.env.BENCH_CPU_PROF;
  // One folder per worker kind: each thread (tsx runs a loader thread too) writes its own profile.
  const execArgv = [...process.execArgv, '--expose-gc', ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir, kind)}`] : [])];
  const child: ChildProcess = spawn(process.execPath, [...execArgv, __filename, '--worker', kind], { env: { ...env, BENCH_BUNDLE: bundlePath } as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${kind} worker exited with ${code}`)));
  });
  child.removeAllListeners('exit');
  return {
    pid: child.pid!,
    ticks: () =>
      new Promise((resolve) => {
        child.once('message', (m: { ticks: number }) => resolve(m.ticks));
        child.send('ticks');
      }),
    lateness: (from, to) =>
      new Promise((resolve) => {
        child.once('message', (m: { late: number[] }) => resolve(m.late));
        child.send({ from, to });
      }),
    rssMb: () =>
      new Promise((resolve) => {
        child.once('message', (m: { rssMb: number }) => resolve(m.rssMb));
        child.send('gc');
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

// ---- CPU per process group ---------------------------------------------------------------------

type Groups = { server: () => number[]; worker: () => number[]; postgres: () => Promise<number[]> };

/**
 * CPU seconds per group between start() and stop(); pids (PostgreSQL backends come and go) are
 * looked up at each read, and a process counts from its first read (or its start, when it appeared
 * in between) to the last: one that exited in between is not counted.
 */
function cpuMeter(groups: Groups) {
  type Reading = Record<keyof Groups, Map<number, number>>;
  const read = async (): Promise<Reading> => {
    const of = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
    return { server: of(groups.server()), worker: of(groups.worker()), postgres: of(await groups.postgres()) };
  };
  let first: Reading | undefined;
  return {
    start: async () => {
      first = await read();
    },
    /** Milliseconds per unit of work (a renewal, a loop) per group. */
    stopPer: async (units: number) => {
      const last = await read();
      const per = (k: keyof Groups) => {
        let seconds = 0;
        for (const [pid, cpu] of last[k]) seconds += Math.max(0, cpu - (first?.[k].get(pid) ?? 0));
        return round((seconds * 1000) / Math.max(1, units));
      };
      return { server: per('server'), postgres: per('postgres'), worker: per('worker') };
    },
  };
}

// ---- one server --------------------------------------------------------------------------------

interface Server {
  address: string;
  /** The Temporal server's processes. */
  pids: () => number[];
  /** Databases whose PostgreSQL backends count as the server's (the cluster's persistence). */
  databases: string[];
}

async function terminateAll(client: Client, workflowIds: string[]): Promise<void> {
  await runPool(workflowIds.length, 20, async (i) => {
    await client.workflow.getHandle(workflowIds[i]).terminate('bench over').catch(() => undefined);
  });
}

async function measure(server: Server, adminUrl: string, bundles: { platform: string; bare: string }) {
  const database = `limelight_bench_${Date.now()}_${process.pid}`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  const migrator = createDb(databaseUrl, 2);
  await migrateLatest(migrator);
  await migrator.destroy();
  const id = randomUUID().slice(0, 8);
  const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: server.address, TASK_QUEUE: `bench-renew-${id}`, MEDIA_TASK_QUEUE: `bench-media-${id}`, WORKER_TASK_QUEUES: 'main', WORKER_BUILD_ID: '', DB_POOL_MAX: '10', WORKER_METRICS_PORT: String(await freePort()) };
  // This process prints one JSON line on stdout: its own logger stays quiet.
  const config = configWith({}, { ...env, LOG_LEVEL: 'error' });
  const deps = await createCoreDeps(config, 'bench');
  const { db, temporal } = deps;
  const backends = async () => {
    const { rows } = await db.raw<{ rows: { pid: number }[] }>('select pid from pg_stat_activity where datname = any(?)', [[database, ...server.databases]]);
    return rows.map((r) => r.pid);
  };
  const workers: WorkerChild[] = [];
  try {
    // A saturating probe of the bare loop (BENCH_BARE_N loops sleeping 1 s each): where the steps start.
    const bareQueue = `bench-bare-${id}`;
    const bare = await startWorker('bare', { ...env, TASK_QUEUE: bareQueue }, bundles.bare);
    workers.push(bare);
    let loops = 0;
    const startLoops = async (n: number, periodMs: number, dueAt?: (i: number) => number) => {
      const ids = Array.from({ length: n }, () => `bare-${id}-${loops++}`);
      const started = Date.now();
      await runPool(n, 50, async (i) => {
        await temporal.workflow.start<typeof bareLoop>('bareLoop', { taskQueue: bareQueue, workflowId: ids[i], args: [{ loopId: ids[i], periodMs, iteration: 0, dueAt: dueAt?.(i) }] });
      });
      return { ids, startsPerS: n / Math.max(0.001, (Date.now() - started) / 1000) };
    };
    const probe = await startLoops(BARE_N, 1000);
    await sleep(PROBE_S * 1000);
    const p0 = await bare.ticks();
    await sleep(PROBE_S * 1000);
    const probeRate = ((await bare.ticks()) - p0) / PROBE_S;
    log('probe', round(probeRate), 'bare loops/s');
    await terminateAll(temporal, probe.ids);
    let startsPerS = probe.startsPerS;

    type Step = { offered_per_s: number; achieved_per_s: number; p99_lateness_ms: number | null; late: number; held: boolean; cpu_ms: Record<string, number> };
    /**
     * One step: n = rate × period loops whose first due times are spread over one period; the first
     * period warms up, the next STEP_PERIODS − 1 are measured (done, CPU, lateness of what was due).
     */
    const runStep = async (rate: number, workerPid: number, start: (n: number, dueAt: (i: number) => number) => Promise<{ ids: string[]; startsPerS: number }>, done: () => Promise<number>, lateness: (from: number, to: number) => Promise<number[]>): Promise<Step> => {
      const n = Math.max(1, Math.round(rate * PERIOD_S));
      const periodMs = PERIOD_S * 1000;
      const firstDue = Date.now() + 3000 + (1.5 * n * 1000) / startsPerS;
      const started = await start(n, (i) => Math.round(firstDue + (i * periodMs) / n));
      startsPerS = started.startsPerS;
      const from = firstDue + periodMs;
      const to = firstDue + STEP_PERIODS * periodMs;
      await sleepUntil(from);
      const meter = cpuMeter({ server: server.pids, worker: () => [workerPid], postgres: backends });
      const c0 = await done();
      await meter.start();
      await sleepUntil(to);
      const c1 = await done();
      const cpu = await meter.stopPer(c1 - c0);
      await sleepUntil(to + LATENESS_LIMIT_MS);
      const measured = await lateness(from, to);
      // What was due in the window and has not started yet is later than the limit.
      const missing = Math.max(0, n * (STEP_PERIODS - 1) - measured.length);
      const all = [...measured, ...Array.from({ length: missing }, () => Infinity)].sort((a, b) => a - b);
      const p99 = percentile(all, 99);
      const step = { offered_per_s: round(n / PERIOD_S), achieved_per_s: round((c1 - c0) / ((to - from) / 1000)), p99_lateness_ms: Number.isFinite(p99) ? p99 : null, late: all.filter((l) => l >= LATENESS_LIMIT_MS).length, held: p99 < LATENESS_LIMIT_MS, cpu_ms: cpu };
      log('step', step);
      await terminateAll(temporal, started.ids);
      return step;
    };
    /** Up from FIRST_STEP × the probe while steps hold, or down until one does; the highest held. */
    const ladder = async (run: (rate: number) => Promise<Step>): Promise<{ best?: Step; steps: Step[] }> => {
      const steps: Step[] = [await run(FIRST_STEP * probeRate)];
      let best = steps[0].held ? steps[0] : undefined;
      if (best) {
        for (let f = FIRST_STEP + STEP; f <= 1.5; f += STEP) {
          const step = await run(f * probeRate);
          steps.push(step);
          if (!step.held) break;
          best = step;
        }
      } else {
        for (let f = FIRST_STEP - STEP; f > 0.05 && !best; f -= STEP) {
          const step = await run(f * probeRate);
          steps.push(step);
          if (step.held) best = step;
        }
      }
      return { best, steps };
    };

    const bareLadder = await ladder((rate) =>
      runStep(rate, bare.pid, (n, dueAt) => startLoops(n, PERIOD_S * 1000, dueAt), () => bare.ticks(), (from, to) => bare.lateness(from, to)),
    );
    await bare.stop();
    workers.pop();

    // The platform: its worker, a plan and one sandbox customer whose card every subscription uses.
    let platform = await startWorker('platform', env, bundles.platform);
    workers.push(platform);
    const plan = { id: `pln_bench_${id}`, name: 'Bench plan', price: { amount: 500, currency: 'USD' }, interval: 'second' as const, intervalCount: PERIOD_S, trialDays: 0, grantsRole: 'premium' as const };
    await db('products').insert({ id: plan.id, kind: 'plan', name: plan.name, price_amount: 500, currency: 'USD', interval: 'second', interval_count: PERIOD_S, trial_days: 0, grants_role: 'premium' });
    const { customerId } = await deps.ports.payments.createCustomer({ email: `bench-${id}@example.test` }, { idempotencyKey: `bench-${id}/customer` });
    const { paymentMethodId } = await deps.ports.payments.attachPaymentMethod({ customerId, paymentMethod: 'pm_card_visa' }, { idempotencyKey: `bench-${id}/pm` });
    let batch = 0;
    /** Starts n running subscriptions (state as after continue-as-new) whose period 1 ends at dueAt(i). */
    const startSubscriptions = async (n: number, dueAt: (i: number) => number) => {
      const prefix = `sub_bench_${id}_${batch++}_`;
      const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      for (let i = 0; i < n; i += 1000) {
        const slice = ids.slice(i, i + 1000);
        await db('accounts').insert(slice.map((s) => ({ id: `acc_${s}`, email: `${s}@example.test`, name: 'Bench', kind: 'fan', status: 'active' })));
        await db('subscriptions').insert(slice.map((s) => ({ id: s, account_id: `acc_${s}`, plan_id: plan.id, status: 'active', price_amount: 500, currency: 'USD', period: 1 })));
      }
      const started = Date.now();
      await runPool(n, 50, async (i) => {
        const end = dueAt(i);
        const from = end - PERIOD_S * 1000;
        const state: SubscriptionState = { id: ids[i], accountId: `acc_${ids[i]}`, email: `${ids[i]}@example.test`, plan, status: 'active', period: 1, periodStart: from, periodEnd: end, price: plan.price, priceLockedAt: from, charges: [{ paymentId: `pay_${ids[i]}_p1`, amount: 500, coverFrom: from, coverTo: end }], cancelAtPeriodEnd: false, roleGranted: true, customerId, paymentMethodId, paymentMethodSeq: 0, failedAttempts: 0, receiptWithCharge: true };
        const input: SubscriptionInput = { id: ids[i], accountId: state.accountId, email: state.email, name: 'Bench', plan, startedAt: from, dayMs: config.BILLING_DAY_LENGTH, dunningScheduleMs: config.BILLING_DUNNING_SCHEDULE, state };
        await temporal.workflow.start(subscription, { taskQueue: config.TASK_QUEUE, workflowId: subscriptionWorkflowId(ids[i]), args: [input] });
      });
      return { prefix, ids: ids.map(subscriptionWorkflowId), startsPerS: n / Math.max(0.001, (Date.now() - started) / 1000) };
    };
    const renewed = (prefix: string) => db('billing_events').where({ type: 'subscription.renewed' }).andWhere('subject_id', 'like', `${prefix}%`);
    const renewedPeriod2 = (prefix: string) => renewed(prefix).whereRaw(`(data->>'period')::int = 2`);
    const count = async (q: ReturnType<typeof renewed>) => Number((await q.count<{ n: string }[]>('* as n'))[0].n);
    const renewalLadder = await ladder(async (rate) => {
      const prefix = `sub_bench_${id}_${batch}_`;
      return runStep(
        rate,
        platform.pid,
        startSubscriptions,
        () => count(renewed(prefix)),
        async (from, to) => {
          const rows = (await renewed(prefix).select(db.raw(`(data->>'periodStart') as due`), db.raw(`(data->>'latenessMs')::int as late`))) as { due: string; late: number }[];
          return rows.filter((r) => Date.parse(r.due) >= from && Date.parse(r.due) < to).map((r) => r.late);
        },
      );
    });

    // The burst: BURST subscriptions due in the same second.
    let burst: Record<string, unknown> | undefined;
    let rssPer1000: number | undefined;
    if (BURST > 0) {
      // A fresh worker process: what the burst's subscriptions add to it is their own footprint.
      await platform.stop();
      workers.pop();
      platform = await startWorker('platform', env, bundles.platform);
      workers.push(platform);
      await sleep(3000);
      const rss0 = await platform.rssMb();
      const dueAt = Math.ceil((Date.now() + 5000 + (1.5 * BURST * 1000) / startsPerS) / 1000) * 1000;
      const subs = await startSubscriptions(BURST, () => dueAt);
      startsPerS = subs.startsPerS;
      const startedBeforeDue = Date.now() < dueAt;
      await sleep(Math.min(2000, Math.max(0, dueAt - Date.now() - 500)));
      rssPer1000 = round((((await platform.rssMb()) - rss0) / BURST) * 1000);
      log('burst started', subs.startsPerS, 'starts/s; rss per 1000', rssPer1000);
      await sleepUntil(dueAt);
      const deadline = Date.now() + 900_000;
      let done = 0;
      while (done < BURST && Date.now() < deadline) {
        await sleep(1000);
        done = await count(renewedPeriod2(subs.prefix));
        log('burst renewed', done, 'of', BURST);
      }
      const [{ last }] = (await renewedPeriod2(subs.prefix).clone().max({ last: 'created_at' })) as { last: Date | null }[];
      const lateness = ((await renewedPeriod2(subs.prefix).clone().select(db.raw(`(data->>'latenessMs')::int as late`))) as { late: number }[]).map((r) => r.late).sort((a, b) => a - b);
      const charges = await chargesOf(db, subs.prefix);
      burst = {
        subscriptions: BURST,
        started_before_due: startedBeforeDue,
        all_charged_s: last ? round((last.getTime() - dueAt) / 1000) : null,
        last_charge_started_s: round((lateness[lateness.length - 1] ?? NaN) / 1000),
        renewals: lateness.length,
        gateway_charges: charges.gateway,
        payments: charges.payments,
        exactly_once: lateness.length === BURST && charges.gateway === BURST && charges.payments === BURST,
      };
      await terminateAll(temporal, subs.ids);
    }
    const renewalsPerS = renewalLadder.best?.offered_per_s ?? 0;
    const bareLoopPerS = bareLadder.best?.offered_per_s ?? 0;
    return {
      renewals_per_s: renewalsPerS,
      bare_loop_per_s: bareLoopPerS,
      ratio: round(renewalsPerS / Math.max(bareLoopPerS, 1e-9), 2),
      p99_lateness_ms: { renewals: renewalLadder.best?.p99_lateness_ms ?? null, bare_loop: bareLadder.best?.p99_lateness_ms ?? null },
      cpu_ms_per_renewal: renewalLadder.best?.cpu_ms ?? null,
      cpu_ms_per_bare_loop: bareLadder.best?.cpu_ms ?? null,
      worker_rss_mb_per_1000_subscriptions: rssPer1000 ?? null,
      burst: burst ?? null,
      bare_probe_per_s: round(probeRate),
      steps: { bare_loop: bareLadder.steps, renewals: renewalLadder.steps },
    };
  } finally {
    for (const w of workers) await w.stop();
    await closeCoreDeps(deps);
    await dropDatabase(adminUrl, database).catch(() => undefined);
  }
}

/** Period-2 charges the sandbox gateway made (first attempts and retries), and payments captured, for subscriptions whose ids start with prefix. */
async function chargesOf(db: Db, prefix: string): Promise<{ gateway: number; payments: number }> {
  const period2 = (column: string) => `${column} like 'pay\\_${prefix.replace(/_/g, '\\_')}%\\_p2%'`;
  const [g] = await db('sandbox_payment_intents').where({ status: 'succeeded' }).andWhereRaw(period2(`metadata->>'paymentId'`)).count<{ n: string }[]>('* as n');
  const [p] = await db('payments').where({ kind: 'subscription', status: 'captured' }).andWhereRaw(period2('id')).count<{ n: string }[]>('* as n');
  return { gateway: Number(g.n), payments: Number(p.n) };
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
    const bundles = { platform: path.join(work, 'platform.js'), bare: path.join(work, 'bare.js') };
    await bundleWorkflows(bundles.platform);
    await bundleWorkflows(bundles.bare, path.join(ROOT, 'bench', 'workflows', 'bare-loop.ts'));
    const result: Record<string, unknown> = { bench: 'subscriptions', period_s: PERIOD_S, step_periods: STEP_PERIODS, lateness_limit_ms: LATENESS_LIMIT_MS };
    if (targets.includes('--dev-server')) {
      const dev = await startTemporalDevServer({ toolsDir: '.tools', dbFile: path.join(work, 'temporal.db'), port: await freePort(), uiPort: await freePort(), namespace: 'default' });
      try {
        result.dev_server = await measure({ address: dev.address, pids: () => [dev.child.pid!], databases: [] }, adminUrl, bundles);
      } finally {
        await dev.stop();
      }
    }
    if (targets.includes('--cluster')) {
      const suffix = `${Date.now()}_${process.pid}`;
      const databases = { main: `temporal_bench_${suffix}`, visibility: `temporal_visibility_bench_${suffix}` };
      const cluster = await startTemporalCluster({ postgresUrl: adminUrl, databases, workDir: path.join(work, 'cluster'), uiPort: false });
      try {
        const pids = () => cluster.processes.filter((p) => p.service !== 'ui').map((p) => p.pid);
        result.cluster = { history_processes: 2, shards: 8, ...(await measure({ address: cluster.address, pids, databases: [databases.main, databases.visibility] }, adminUrl, bundles)) };
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

if (process.argv.includes('--worker')) {
  workerProcess(process.argv[process.argv.indexOf('--worker') + 1]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
