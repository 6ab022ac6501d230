/**
 * `npx tsx bench/starkbank-webhooks.ts`: signed Stark Bank `credited` webhook events through the
 * real HTTP API (verification → stored event → signal-with-start of the transfer batcher), with
 * the real worker sending the transfer batches to the fake Stark Bank API through the official SDK.
 * Prints one JSON line: {events, events_per_s, p50_ms, p99_ms, transfers_created, unique_credited, …}.
 * transfers_created must equal unique_credited (replayed events create nothing).
 *
 * BENCH_N (5000), BENCH_CONCURRENCY (50), BENCH_REPLAY_EVERY (every k-th event is a replay of an
 * earlier one; 20), BENCH_ADAPTER (`starkbank` = SDK + fake API, or `sandbox`).
 * Uses the test harness: a fresh database on DATABASE_URL's server (else an embedded PostgreSQL),
 * the pinned Temporal dev server, the workflow bundle.
 */
import { randomUUID } from 'node:crypto';
import { SandboxBank } from '../providers/bank/sandbox';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { FakeStarkbank } from '../test/starkbank/fake-starkbank';
import { runPool } from './lib/pool';
import { round } from './lib/stats';
import { keepAlivePoster } from './lib/http';
import { runBench } from './lib/run';

const N = Number(process.env.BENCH_N ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REPLAY_EVERY = Number(process.env.BENCH_REPLAY_EVERY ?? 20);
const ADAPTER = (process.env.BENCH_ADAPTER ?? 'starkbank') as 'starkbank' | 'sandbox';

const poster = (baseUrl: string) => {
  const { postRaw, close } = keepAlivePoster(baseUrl, CONCURRENCY);
  return { post: postRaw, close };
};

async function main(): Promise<void> {
  const fake = await new FakeStarkbank().start();
  let stack: TestStack | undefined;
  const suffix = randomUUID().slice(0, 8);
  const batcherId = `starkbank-transfer-batcher-bench-${suffix}`;
  try {
    stack = await startTestStack({
      env: {
        ...(ADAPTER === 'starkbank' ? fake.env() : { STARKBANK_PROVIDER: 'sandbox' }),
        STARKBANK_BATCHER_ID: batcherId,
        STARKBANK_BATCH_SIZE: '15',
        STARKBANK_BATCH_WINDOW: '2s',
        LOG_LEVEL: 'silent',
      },
    });
    const bank = stack.deps.ports.bank;
    const sign = async (body: string) => (bank instanceof SandboxBank ? bank.signBody(body) : fake.signBody(body));

    // The events: one `credited` per invoice, every REPLAY_EVERY-th a replay of an earlier event.
    const invoices = Array.from({ length: N }, () => fake.addInvoice(10_000 + Math.floor(Math.random() * 90_000), 25));
    const originals: { eventId: string; body: string; signature: string; invoiceId: string }[] = [];
    const events: { body: string; signature: string; invoiceId: string }[] = [];
    for (let i = 0; i < N; i++) {
      if (REPLAY_EVERY > 0 && i % REPLAY_EVERY === REPLAY_EVERY - 1 && originals.length) {
        events.push(originals[Math.floor(Math.random() * originals.length)]);
        continue;
      }
      const { eventId, body } = fake.invoiceEvent(invoices[i].id);
      const e = { eventId, body, signature: await sign(body), invoiceId: invoices[i].id };
      originals.push(e);
      events.push(e);
    }
    const unique = new Set(events.map((e) => e.invoiceId));
    const api = poster(stack.api!.url);

    // Warm-up: the SDK fetches Stark Bank's public key once; JIT; pools.
    const warm = fake.addInvoice(1_000, 0);
    const warmEvent = fake.invoiceEvent(warm.id);
    await api.post('/webhooks/starkbank', warmEvent.body, { 'digital-signature': await sign(warmEvent.body) });

    const run = await runPool(events.length, CONCURRENCY, async (i) => {
      const e = events[i];
      const res = await api.post('/webhooks/starkbank', e.body, { 'digital-signature': e.signature });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
      return JSON.parse(res.body) as { duplicate: boolean };
    });

    const externalIds = new Set([...unique].map((id) => `invoice-${id}`));
    const countTransfers = async () =>
      ADAPTER === 'starkbank'
        ? [...fake.transfers.values()].filter((t) => externalIds.has(t.externalId)).length
        : Number((await stack!.deps.db('starkbank_sandbox_transfers').whereIn('external_id', [...externalIds]).count<{ n: number }[]>('* as n'))[0].n);
    const drainStart = performance.now();
    const deadline = Date.now() + 300_000;
    let transfers = await countTransfers();
    while (transfers < unique.size && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      transfers = await countTransfers();
    }
    const drainMs = performance.now() - drainStart;
    // Anything extra would show up late: give it a moment.
    await new Promise((r) => setTimeout(r, 3_000));
    transfers = await countTransfers();
    const batches = ADAPTER === 'starkbank' ? fake.count('POST /v2/transfer') : Number((await stack.deps.db('starkbank_transfers').countDistinct<{ n: number }[]>('batch_id as n'))[0].n);
    api.close();

    process.stdout.write(
      `${JSON.stringify({
        events: events.length,
        events_per_s: round(run.perSecond),
        p50_ms: round(run.latency.p50, 2),
        p99_ms: round(run.latency.p99, 2),
        transfers_created: transfers,
        unique_credited: unique.size,
        duplicates_acknowledged: run.results.filter((r) => r.duplicate).length,
        transfer_batches: batches,
        drain_after_last_event_ms: Math.round(drainMs),
        concurrency: CONCURRENCY,
        adapter: ADAPTER,
      })}\n`,
    );
  } finally {
    await stack?.deps.temporal.workflow.getHandle(batcherId).terminate('bench over').catch(() => undefined);
    await stack?.stop();
    await fake.stop();
  }
}

runBench(main);
