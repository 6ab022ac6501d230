/**
 * `npx tsx bench/shoutout-e2e.ts`: shoutout orders end to end through the real HTTP API, worker,
 * media worker (ffmpeg) and sandbox payments: order → accept → upload a 5 s clip → delivered.
 * Prints one JSON line: {orders_per_s, upload_to_delivered_p50_ms, upload_to_delivered_p99_ms, …}.
 *
 * Uses the test harness's pieces (a fresh database on DATABASE_URL's server, else an embedded
 * PostgreSQL; the pinned Temporal dev server; the workflow bundle). BENCH_N (200),
 * BENCH_CONCURRENCY (orders in flight, 4), BENCH_CLIP (WxH, 1280x720), BENCH_CLIP_SECONDS (5).
 * The media queue runs at MEDIA_MAX_ACTIVITIES (1 by default, as in production), so throughput is
 * bounded by transcoding.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ledgerImbalance } from '../stores/ledger/ledger';
import globalSetup from '../test/harness/global-setup';
import globalTeardown from '../test/harness/global-teardown';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack, type TestStack } from '../test/harness/stack';
import { runPool } from './lib/pool';
import { round, summarize } from './lib/stats';

const run = promisify(execFile);
const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const CLIP = process.env.BENCH_CLIP ?? '1280x720';
const SECONDS = Number(process.env.BENCH_CLIP_SECONDS ?? 5);

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 600_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-bench-shoutout-'));
  await globalSetup();
  let stack: TestStack | undefined;
  try {
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '6h', STORAGE_DIR: path.join(dir, 'storage'), LOG_LEVEL: 'silent' } });
    const s = stack;
    const clip = path.join(dir, 'clip.mp4');
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc=size=${CLIP}:rate=25:duration=${SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
    ]);
    const clipBytes = fs.readFileSync(clip);

    const talent = await createActiveAccount(s.deps, { kind: 'talent' });
    const put = await s.http.put('/v1/talents/me', { displayName: 'Bench Star', category: 'music', price: { amount: 5000, currency: 'USD' } }, { token: talent.token });
    if (put.status !== 200) throw new Error(`profile: ${put.status} ${put.text}`);
    const fan = await createActiveAccount(s.deps, { kind: 'fan' });
    const status = async (id: string) => (await s.deps.db('shoutout_orders').where({ id }).first('status'))?.status as string | undefined;

    const uploadToDelivered: number[] = [];
    const result = await runPool(N, CONCURRENCY, async () => {
      const created = await s.http.post('/v1/shoutouts', { talentId: talent.id, recipientName: 'Ana', occasion: 'bench', paymentMethod: 'pm_card_visa' }, { token: fan.token });
      if (created.status !== 201) throw new Error(`order: ${created.status} ${created.text}`);
      const id: string = created.body.id;
      await waitFor(async () => ((await status(id)) === 'requested' ? true : undefined), `${id} requested`);
      const accepted = await s.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token });
      if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
      const t0 = performance.now();
      const form = new FormData();
      form.append('video', new Blob([clipBytes], { type: 'video/mp4' }), 'clip.mp4');
      const up = await fetch(`${s.api!.url}/v1/shoutouts/${id}/video`, { method: 'POST', headers: { authorization: `Bearer ${talent.token}` }, body: form });
      if (up.status !== 202) throw new Error(`upload: ${up.status} ${await up.text()}`);
      await up.arrayBuffer();
      await waitFor(async () => {
        const now = await status(id);
        if (now === 'delivered') return true;
        if (now && !['accepted', 'processing'].includes(now)) throw new Error(`${id} ended ${now}`);
        return undefined;
      }, `${id} delivered`);
      uploadToDelivered.push(performance.now() - t0);
      if (uploadToDelivered.length % 10 === 0) process.stderr.write(`${uploadToDelivered.length}/${N} delivered\n`);
      return id;
    });

    const latency = summarize(uploadToDelivered);
    const captured = await s.deps.db('payments').where({ kind: 'shoutout', status: 'captured' }).count({ n: '*' });
    const imbalance = (await ledgerImbalance(s.deps.db)).filter((m) => m.amount !== 0);
    const outBytes = await s.deps.db('shoutout_orders').where({ status: 'delivered' }).avg({ avg: 'video_bytes' });
    console.log(
      JSON.stringify({
        bench: 'shoutout-e2e',
        n: N,
        concurrency: CONCURRENCY,
        clip: `${CLIP} ${SECONDS}s`,
        clip_bytes: clipBytes.length,
        avg_output_bytes: Math.round(Number(outBytes[0].avg)),
        media_max_activities: s.config.MEDIA_MAX_ACTIVITIES,
        cores: os.cpus().length,
        elapsed_s: round(result.elapsedMs / 1000, 1),
        orders_per_s: round(result.perSecond, 3),
        upload_to_delivered_p50_ms: round(latency.p50, 0),
        upload_to_delivered_p99_ms: round(latency.p99, 0),
        upload_to_delivered_max_ms: round(latency.max, 0),
        captures: Number(captured[0].n),
        ledger_balanced: imbalance.length === 0,
      }),
    );
  } finally {
    await stack?.stop();
    await globalTeardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
