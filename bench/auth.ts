/**
 * `npx tsx bench/auth.ts`: two figures through the real HTTP API, printed as one JSON line.
 *
 * - logins/s at concurrency 20 on POST /v1/auth/token (rate limits, account lookup, scrypt
 *   verification, refresh-token insert, JWT). Bounded by the password hash cost: the scrypt
 *   parameters (N, r, p) are reported with it.
 * - Stripe webhook events/s at concurrency 50 on POST /webhooks/stripe, each signed with the
 *   `stripe` package's generateTestHeaderString and STRIPE_WEBHOOK_SECRET, verified, stored,
 *   deduplicated and signalled to a workflow (probe workflows on a task queue no worker polls:
 *   Temporal records the signals all the same). Every BENCH_REPLAY_EVERY-th delivery is a replay.
 *
 * BENCH_LOGINS (400), BENCH_LOGIN_CONCURRENCY (20), BENCH_WEBHOOKS (2000),
 * BENCH_WEBHOOK_CONCURRENCY (50), BENCH_REPLAY_EVERY (10), PASSWORD_SCRYPT_N/R/P (the defaults).
 * Uses the test harness: a fresh database on DATABASE_URL's server (else an embedded PostgreSQL)
 * and the pinned Temporal dev server.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { hashPassword, scryptParamsOf } from '../platform/passwords';
import { newId } from '../domain/ids';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { runPool } from './lib/pool';
import { round } from './lib/stats';
import { keepAlivePoster } from './lib/http';
import { runBench } from './lib/run';

const LOGINS = Number(process.env.BENCH_LOGINS ?? 400);
const LOGIN_CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 20);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 2000);
const WEBHOOK_CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 50);
const REPLAY_EVERY = Number(process.env.BENCH_REPLAY_EVERY ?? 10);
const ACCOUNTS = 40;
const PROBES = 20;
const PASSWORD = 'bench password 0123456789';
const WEBHOOK_SECRET = 'whsec_bench_auth_webhook_secret';

/** Keep-alive HTTP posting (fetch's pool would add its own queueing at 50 in flight). */
const poster = (baseUrl: string, maxSockets: number) => {
  const { postRaw, close } = keepAlivePoster(baseUrl, maxSockets);
  return { post: postRaw, close };
};

async function benchLogins(stack: TestStack) {
  const { db, config } = stack.deps;
  const scrypt = scryptParamsOf(config);
  // One hash reused for every bench account: setting up is not what is measured.
  const passwordHash = await hashPassword(PASSWORD, scrypt);
  const emails = Array.from({ length: ACCOUNTS }, (_, i) => `bench-${i}-${randomUUID().slice(0, 6)}@example.test`);
  await db('accounts').insert(emails.map((email) => ({ id: newId('acc'), email, name: 'Bench', kind: 'fan', status: 'active', password_hash: passwordHash, verified_at: db.fn.now() })));

  // The bound: one verification costs one hash, so logins/s ≤ cores × 1000 / hash_ms.
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) await hashPassword(PASSWORD, scrypt);
  const hashMs = (performance.now() - t0) / 5;

  const api = poster(stack.api!.url, LOGIN_CONCURRENCY);
  const login = async (i: number) => {
    const res = await api.post('/v1/auth/token', JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }));
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.body}`);
  };
  for (let i = 0; i < 5; i++) await login(i); // warm-up: JIT, pools
  const run = await runPool(LOGINS, LOGIN_CONCURRENCY, login);
  api.close();
  return { run, scrypt, hashMs };
}

async function benchWebhooks(stack: TestStack) {
  const temporal = stack.deps.temporal;
  const probes: string[] = [];
  for (let i = 0; i < PROBES; i++) {
    const workflowId = `bench-stripe-probe-${randomUUID()}`;
    await temporal.workflow.start('stripeWebhookProbe', { taskQueue: `bench-no-worker-${randomUUID()}`, workflowId, args: [] });
    probes.push(workflowId);
  }
  const event = (i: number) => ({
    id: `evt_bench_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'payment_intent.succeeded',
    data: { object: { id: `pi_bench_${i}`, object: 'payment_intent', status: 'succeeded', amount: 1000 + i, currency: 'usd', metadata: { workflowId: probes[i % probes.length] } } },
  });
  const deliveries: { payload: string; signature: string }[] = [];
  const originals: string[] = [];
  for (let i = 0; i < WEBHOOKS; i++) {
    const payload = REPLAY_EVERY > 0 && i % REPLAY_EVERY === REPLAY_EVERY - 1 && originals.length ? originals[i % originals.length] : JSON.stringify(event(i), null, 2);
    if (!originals.includes(payload)) originals.push(payload);
    // Signed at send time below would measure the client; signed now, the timestamp stays well within the 5-minute tolerance.
    deliveries.push({ payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: stack.config.STRIPE_WEBHOOK_SECRET }) });
  }

  const api = poster(stack.api!.url, WEBHOOK_CONCURRENCY);
  const deliver = async (i: number) => {
    const d = deliveries[i];
    const res = await api.post('/webhooks/stripe', d.payload, { 'stripe-signature': d.signature });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
    return JSON.parse(res.body) as { duplicate?: boolean; outcome?: string };
  };
  const warm = event(-1);
  const warmPayload = JSON.stringify(warm);
  await api.post('/webhooks/stripe', warmPayload, { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: warmPayload, secret: stack.config.STRIPE_WEBHOOK_SECRET }) });
  const run = await runPool(deliveries.length, WEBHOOK_CONCURRENCY, deliver);
  api.close();
  for (const id of probes) await temporal.workflow.getHandle(id).terminate('bench over').catch(() => undefined);
  return { run, duplicates: run.results.filter((r) => r.duplicate).length, signalled: run.results.filter((r) => !r.duplicate && r.outcome === 'signalled').length };
}

async function main(): Promise<void> {
  let stack: TestStack | undefined;
  try {
    stack = await startTestStack({
      // Neither figure needs a worker: logins are API + PostgreSQL, webhook signals only need Temporal to record them.
      worker: false,
      env: { LOG_LEVEL: 'silent', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, LOGIN_MAX_ATTEMPTS_PER_EMAIL: '1000000000', LOGIN_MAX_ATTEMPTS_PER_IP: '1000000000' },
    });
    const logins = await benchLogins(stack);
    const webhooks = await benchWebhooks(stack);
    process.stdout.write(
      `${JSON.stringify({
        logins: LOGINS,
        login_concurrency: LOGIN_CONCURRENCY,
        logins_per_s: round(logins.run.perSecond),
        login_p50_ms: round(logins.run.latency.p50, 2),
        login_p99_ms: round(logins.run.latency.p99, 2),
        scrypt: { ...logins.scrypt, keylen: 64 },
        scrypt_hash_ms: round(logins.hashMs, 1),
        webhook_events: WEBHOOKS,
        webhook_concurrency: WEBHOOK_CONCURRENCY,
        webhook_events_per_s: round(webhooks.run.perSecond),
        webhook_p50_ms: round(webhooks.run.latency.p50, 2),
        webhook_p99_ms: round(webhooks.run.latency.p99, 2),
        webhook_signalled: webhooks.signalled,
        webhook_duplicates_acknowledged: webhooks.duplicates,
        uv_threadpool_size: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
        cpus: os.availableParallelism(),
        load_avg_1m: round(os.loadavg()[0], 1),
      })}\n`,
    );
  } finally {
    await stack?.stop();
  }
}

runBench(main);
