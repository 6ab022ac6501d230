import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureEngagementSchedule } from '../../capabilities/engagement';
import type { Env } from '../../platform/config/env';
import { createChannel } from '../channels/helpers';
import { makeWav, newContent, uploadMedia, waitForStatus } from '../contents/helpers';
import type { TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type StackOptions, type TestStack } from '../harness/stack';

export type Adapter = 'postgres' | 'redis';

/** The env of an engagement suite: its own schedule (1 s flush) and, for redis, its own key prefix. */
export function engagementEnv(adapter: Adapter, extra: Env = {}): Env {
  const suffix = randomUUID().slice(0, 8);
  return {
    ENGAGEMENT_BUFFER: adapter,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ENGAGEMENT_REDIS_PREFIX: `test-engagement-${suffix}`,
    ENGAGEMENT_FLUSH_ENABLED: 'true',
    ENGAGEMENT_SCHEDULE_ID: `engagement-flush-${suffix}`,
    ENGAGEMENT_FLUSH_INTERVAL: '1s',
    STORAGE_DIR: path.join(os.tmpdir(), `engagement-storage-${suffix}`),
    ...extra,
  };
}

/** A stack whose worker keeps the `engagement-flush` schedule, as a worker process does at start (workers/startup.ts). */
export async function startEngagementStack(adapter: Adapter, options: StackOptions = {}): Promise<TestStack> {
  const stack = await startTestStack({ ...options, env: engagementEnv(adapter, options.env) });
  await ensureEngagementSchedule(stack.deps);
  return stack;
}

/** Stops the stack and removes its schedule and storage (the schedule would keep starting runs on a dead queue). */
export async function stopEngagementStack(stack: TestStack | undefined): Promise<void> {
  if (!stack) return;
  const config = stack.config as TestStack['config'] & { ENGAGEMENT_SCHEDULE_ID: string; STORAGE_DIR: string };
  await stack.deps.temporal.schedule.getHandle(config.ENGAGEMENT_SCHEDULE_ID).delete().catch(() => undefined);
  await stack.stop();
  fs.rmSync(config.STORAGE_DIR, { recursive: true, force: true });
}

let wav: string | undefined;

/** A channel of `owner` with one published track (real upload, real ffmpeg). */
export async function publishTrack(stack: TestStack, owner: TestAccount, channelId?: string, title = 'Engagement tone'): Promise<{ channelId: string; contentId: string }> {
  const channel = channelId ?? (await createChannel(stack, owner)).id;
  if (!wav) {
    wav = path.join(os.tmpdir(), `engagement-tone-${randomUUID().slice(0, 8)}.wav`);
    await makeWav(wav, 2);
  }
  const draft = await newContent(stack, channel, owner.token, { kind: 'track', title });
  const upload = await uploadMedia(stack, draft.id, owner.token, wav, 'audio/wav');
  if (upload.status !== 202) throw new Error(`upload → ${upload.status} ${JSON.stringify(upload.body)}`);
  await waitForStatus(stack, draft.id, owner.token, 'published');
  return { channelId: channel, contentId: draft.id };
}

/** Ground truth from PostgreSQL: the counters the flush wrote. */
export async function counters(stack: TestStack, contentId: string): Promise<{ upvotes: number; downvotes: number; views: number }> {
  const row = await stack.deps.db('contents').where({ id: contentId }).first('upvotes', 'downvotes', 'view_count');
  return { upvotes: Number(row.upvotes), downvotes: Number(row.downvotes), views: Number(row.view_count) };
}

/** Waits until the buffer is drained and `check` holds on the counters. */
export async function flushedTo(stack: TestStack, contentId: string, expected: { upvotes?: number; downvotes?: number; views?: number }, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const now = await counters(stack, contentId);
      const ok = Object.entries(expected).every(([k, v]) => now[k as keyof typeof now] === v);
      return ok && (await stack.deps.ports.engagement.size()) === 0 ? now : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `counters of ${contentId} to be ${JSON.stringify(expected)}` },
  );
}
