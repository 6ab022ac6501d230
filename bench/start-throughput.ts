/**
 * `npx tsx bench/start-throughput.ts`: workflow starts per second through the real HTTP API
 * (POST /v1/ping) against the same starts through a bare Temporal client, on one Temporal dev
 * server and one PostgreSQL, with the real worker running the workflows meanwhile.
 * Prints one JSON line: {api_starts_per_s, client_starts_per_s, ratio, api_p50_ms, api_p99_ms, n, concurrency, …}.
 *
 * Uses the test harness's pieces: a fresh database on DATABASE_URL's server (else an embedded
 * PostgreSQL), the pinned dev server, the workflow bundle. BENCH_N and BENCH_CONCURRENCY override
 * the sizes (defaults 2000 and 50), BENCH_ROUNDS the number of alternating slices (4); BENCH_IDEMPOTENCY=1 sends an Idempotency-Key on every POST.
 */
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { newId } from '../domain/ids';
import { ping } from '../workflows/ping';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { runPool } from './lib/pool';
import { round, summarize } from './lib/stats';
import { keepAlivePoster } from './lib/http';
import { runBench } from './lib/run';

const N = Number(process.env.BENCH_N ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WARMUP = Math.min(200, N);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const WITH_KEYS = process.env.BENCH_IDEMPOTENCY === '1';

/** A keep-alive HTTP client lighter than fetch, so the load generator costs the API's 2 cores little. */
const poster = (baseUrl: string) => {
  const { postJson, close } = keepAlivePoster(baseUrl, CONCURRENCY);
  return { post: postJson, close };
};

async function waitForPings(stack: TestStack, message: string, count: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await stack.deps.db('pings').where({ message }).count<{ n: number }[]>('* as n');
    if (Number(n) >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${n}/${count} pings of ${message} completed in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  // stdout carries the one JSON line: the SDK's logs (native ones included, which otherwise print
  // straight to the console) go to stderr.
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`[${entry.level}] ${entry.message}\n`)),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  let stack: TestStack | undefined;
  let client: Client | undefined;
  try {
    stack = await startTestStack();
    const api = poster(stack.api!.url);
    client = new Client({ connection: await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! }), namespace: stack.config.TEMPORAL_NAMESPACE });
    const taskQueue = stack.config.TASK_QUEUE;
    const run = newId('bench').slice(-8);

    const viaApi = (message: string) => async () => {
      const res = await api.post('/v1/ping', { message }, WITH_KEYS ? { 'idempotency-key': newId('idem') } : {});
      if (res.status !== 202) throw new Error(`POST /v1/ping answered ${res.status}: ${res.body}`);
    };
    const viaClient = (message: string) => async () => {
      const id = newId('png');
      await client!.workflow.start(ping, { taskQueue, workflowId: `ping-${id}`, args: [{ id, message }] });
    };

    // Warm both paths (JIT, connection pools, sticky caches), then let the worker drain.
    await runPool(WARMUP, CONCURRENCY, viaApi(`warm-api-${run}`));
    await runPool(WARMUP, CONCURRENCY, viaClient(`warm-client-${run}`));
    await waitForPings(stack, `warm-api-${run}`, WARMUP);
    await waitForPings(stack, `warm-client-${run}`, WARMUP);

    // The machine is shared, so load drifts during a run: the N starts of each path are split in
    // ROUNDS slices run in ABBA order (api, client, client, api, …), each slice starting on an idle
    // worker (the previous slice drained), so neither path pays for the other's backlog or luck.
    const apiLatencies: number[] = [];
    const clientLatencies: number[] = [];
    let apiMs = 0;
    let clientMs = 0;
    const loadBefore = os.loadavg()[0];
    const slices = Array.from({ length: ROUNDS }, (_, r) => Math.floor((N * (r + 1)) / ROUNDS) - Math.floor((N * r) / ROUNDS));
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? ['api', 'client'] : ['client', 'api'];
      for (const path of order) {
        const message = `${path}-${run}-${r}`;
        const result = await runPool(slices[r], CONCURRENCY, path === 'api' ? viaApi(message) : viaClient(message));
        await waitForPings(stack, message, slices[r]);
        if (path === 'api') {
          apiMs += result.elapsedMs;
          apiLatencies.push(...result.latenciesMs);
        } else {
          clientMs += result.elapsedMs;
          clientLatencies.push(...result.latenciesMs);
        }
      }
    }
    const apiRun = { perSecond: (N / apiMs) * 1000, latency: summarize(apiLatencies) };
    const clientRun = { perSecond: (N / clientMs) * 1000, latency: summarize(clientLatencies) };
    api.close();

    process.stdout.write(
      `${JSON.stringify({
        api_starts_per_s: round(apiRun.perSecond),
        client_starts_per_s: round(clientRun.perSecond),
        ratio: round(apiRun.perSecond / clientRun.perSecond, 3),
        api_p50_ms: round(apiRun.latency.p50, 2),
        api_p99_ms: round(apiRun.latency.p99, 2),
        client_p50_ms: round(clientRun.latency.p50, 2),
        client_p99_ms: round(clientRun.latency.p99, 2),
        n: N,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        idempotency_keys: WITH_KEYS,
        // The 1-minute load average of the machine before and after the measured slices, for context.
        loadavg_1m: [round(loadBefore, 1), round(os.loadavg()[0], 1)],
        cpus: os.cpus().length,
      })}\n`,
    );
  } finally {
    await client?.connection.close().catch(() => undefined);
    await stack?.stop();
  }
}

runBench(main);
