/**
 * `npx tsx bench/alerts.ts`: what failure reporting and alerting cost the two hot paths, in one
 * run: split-payment sagas end to end (bench/split-saga.ts's load) and workflow starts through
 * the API (bench/start-throughput.ts's API path), each measured WITH the operations wiring (worker
 * interceptors and the workflow sink, Sentry and Telegram configured against local receivers)
 * and WITHOUT it (no interceptors, a bundle without the workflow interceptor, no DSN, no bot),
 * alternating with, without, without, with so drift on the shared machine falls on both.
 * Business counters are part of the business code and run in both.
 * Prints one JSON line: {sagas_per_s: {with, without}, starts_per_s: {with, without}, overhead_pct: {sagas, starts}, …}.
 * BENCH_SAGAS (default 150), BENCH_STARTS (default 1000), BENCH_CONCURRENCY (default 50).
 */
import os from 'node:os';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { newId } from '../domain/ids';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { SentryReceiver } from '../test/operations/sentry-receiver';
import { TelegramReceiver } from '../test/operations/telegram-receiver';
import { WORKFLOWS_PATH } from '../workers/bundle';
import { createWorkers } from '../workers/worker';
import { keepAlivePoster } from './lib/http';
import { runPool } from './lib/pool';
import { round, summarize } from './lib/stats';
import { runBench } from './lib/run';

const SAGAS = Number(process.env.BENCH_SAGAS ?? 150);
const STARTS = Number(process.env.BENCH_STARTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

interface Measured {
  sagasPerS: number;
  sagaP50: number;
  startsPerS: number;
  startP50: number;
}

async function waitForPings(stack: TestStack, message: string, count: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [{ n }] = await stack.deps.db('pings').where({ message }).count<{ n: number }[]>('* as n');
    if (Number(n) >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${n}/${count} pings of ${message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(withOperations: boolean, bundles: { with: { codePath: string }; without: { code: string } }, receivers: { sentry: SentryReceiver; telegram: TelegramReceiver }): Promise<Measured> {
  const env = withOperations
    ? { DB_POOL_MAX: '30', SENTRY_DSN: receivers.sentry.dsn, TELEGRAM_BOT_TOKEN: receivers.telegram.token, TELEGRAM_CHAT_ID: receivers.telegram.chatId, TELEGRAM_API_BASE: receivers.telegram.url }
    : { DB_POOL_MAX: '30' };
  const stack = await startTestStack({ worker: false, env, responseGuard: false });
  const connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
  const workers = await createWorkers(stack.deps, connection, withOperations ? bundles.with : bundles.without, { reportFailures: withOperations });
  const running = workers.run();
  const { postJson, close } = keepAlivePoster(stack.api!.url, CONCURRENCY);
  // A keep-alive socket the server closed is retried with the same headers (Idempotency-Key), as a
  // client should; 409 means the first attempt is still being processed.
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await postJson(path, body, headers);
        if (res.status !== 409 || attempt >= 5) return res;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  };
  try {
    const payer = await createActiveAccount(stack.deps);
    const recipients: string[] = [];
    for (let i = 0; i < 15; i++) {
      const talent = await createActiveAccount(stack.deps, { kind: 'talent' });
      const res = await post('/v1/payout-accounts', { accountId: talent.id, provider: 'sandbox' }, { authorization: `Bearer ${talent.token}` });
      if (res.status !== 201) throw new Error(`payout account: ${res.status} ${res.body}`);
      recipients.push(JSON.parse(res.body).id);
    }
    const saga = async (n: number) => {
      const res = await post(
        '/v1/split-payments',
        {
          total: { amount: 10_000, currency: 'USD' },
          paymentMethod: 'pm_card_visa',
          platformFee: { percent: 7.5 },
          recipients: [0, 1, 2].map((k) => ({ payoutAccountId: recipients[(3 * n + k) % 15], share: { percent: k === 2 ? 33.3334 : 33.3333 } })),
          description: 'bench',
        },
        { authorization: `Bearer ${payer.token}`, 'idempotency-key': newId('idem') },
      );
      if (res.status !== 201) throw new Error(`POST /v1/split-payments answered ${res.status}: ${res.body}`);
      await stack.deps.temporal.workflow.getHandle((JSON.parse(res.body) as { workflowId: string }).workflowId).result();
    };
    const start = (message: string) => async () => {
      const res = await post('/v1/ping', { message });
      if (res.status !== 202) throw new Error(`POST /v1/ping answered ${res.status}: ${res.body}`);
    };
    const run = newId('b').slice(-6);
    // Warm up both paths (JIT, pools, caches), not counted.
    await runPool(20, 10, saga);
    await runPool(200, CONCURRENCY, start(`warm-${run}`));
    await waitForPings(stack, `warm-${run}`, 200);

    const sagas = await runPool(SAGAS, CONCURRENCY, saga);
    const starts = await runPool(STARTS, CONCURRENCY, start(`m-${run}`));
    await waitForPings(stack, `m-${run}`, STARTS);
    return { sagasPerS: sagas.perSecond, sagaP50: sagas.latency.p50, startsPerS: starts.perSecond, startP50: summarize(starts.latenciesMs).p50 };
  } catch (error) {
    process.stderr.write(`measure (${withOperations ? 'with' : 'without'}) failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    throw error;
  } finally {
    close();
    workers.shutdown();
    await running.catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const sentry = new SentryReceiver({ project: '1', publicKey: 'bench' });
  const telegram = new TelegramReceiver('1:bench', '-1');
  await sentry.start();
  await telegram.start();
  const bundles = { with: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, without: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } }) };
  const runs: Record<'with' | 'without', Measured[]> = { with: [], without: [] };
  const loadBefore = os.loadavg()[0];
  for (const variant of ['with', 'without', 'without', 'with'] as const) {
    runs[variant].push(await measure(variant === 'with', bundles, { sentry, telegram }));
    process.stderr.write(`${variant}: ${JSON.stringify(runs[variant][runs[variant].length - 1])}\n`);
  }
  await sentry.stop();
  await telegram.stop();
  const mean = (xs: Measured[], key: keyof Measured) => xs.reduce((a, m) => a + m[key], 0) / xs.length;
  const sagasWith = mean(runs.with, 'sagasPerS');
  const sagasWithout = mean(runs.without, 'sagasPerS');
  const startsWith = mean(runs.with, 'startsPerS');
  const startsWithout = mean(runs.without, 'startsPerS');
  process.stdout.write(
    `${JSON.stringify({
      sagas_per_s: { with: round(sagasWith, 2), without: round(sagasWithout, 2) },
      starts_per_s: { with: round(startsWith, 1), without: round(startsWithout, 1) },
      saga_p50_ms: { with: round(mean(runs.with, 'sagaP50')), without: round(mean(runs.without, 'sagaP50')) },
      start_p50_ms: { with: round(mean(runs.with, 'startP50'), 2), without: round(mean(runs.without, 'startP50'), 2) },
      // Throughput lost to the operations wiring, in percent (negative: the "with" runs were faster, i.e. noise).
      overhead_pct: { sagas: round((1 - sagasWith / sagasWithout) * 100, 1), starts: round((1 - startsWith / startsWithout) * 100, 1) },
      sagas: SAGAS,
      starts: STARTS,
      concurrency: CONCURRENCY,
      order: 'with, without, without, with',
      sentry_events: sentry.events.length,
      telegram_messages: telegram.messages.length,
      loadavg_1m: [round(loadBefore, 1), round(os.loadavg()[0], 1)],
      cpus: os.cpus().length,
    })}\n`,
  );
}

runBench(main);
