import { randomUUID } from 'node:crypto';
import type { EngagementFlushInput, EngagementFlushResult } from '../../domain/engagement/flush';
import { applyBatch, claimBatch } from '../../stores/engagement/flush';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { type TestStack } from '../harness/stack';
import { counters, publishTrack, startEngagementStack, stopEngagementStack, type Adapter } from './helpers';

/**
 * The flush is exact through crashes: a batch claimed and never applied, a batch applied and never
 * acknowledged, and a worker stopped in the middle of a run all end with every count equal to the
 * ground truth (the events the API accepted), on both buffers.
 */
describe.each<Adapter>(['postgres', 'redis'])('engagement flush through crashes (%s buffer)', (adapter) => {
  let stack: TestStack;
  let owner: TestAccount;
  let contents: string[];
  let voters: TestAccount[];
  const truthVotes = new Map<string, number>(); // `${contentId}:${accountId}` → last value (0: none)
  const truthViews = new Map<string, Set<string>>(); // contentId → distinct anonymous viewers

  beforeAll(async () => {
    // No schedule here: the test starts the flush runs itself, to crash them where it wants.
    stack = await startEngagementStack(adapter, { env: { ENGAGEMENT_FLUSH_ENABLED: 'false' } });
    owner = await createActiveAccount(stack.deps);
    const first = await publishTrack(stack, owner, undefined, 'Crash one');
    const second = await publishTrack(stack, owner, first.channelId, 'Crash two');
    contents = [first.contentId, second.contentId];
    voters = await Promise.all(Array.from({ length: 40 }, () => createActiveAccount(stack.deps)));
  }, 180_000);
  afterAll(() => stopEngagementStack(stack));

  /** A round of traffic through the API: every voter votes a few times on each content, anonymous viewers view (some twice). */
  async function traffic(round: number): Promise<void> {
    const requests: Promise<void>[] = [];
    for (const [c, contentId] of contents.entries()) {
      for (const [i, voter] of voters.entries()) {
        requests.push(
          (async () => {
            for (let k = 0; k < 3; k++) {
              const value = (i + k + round + c) % 4 === 0 ? 0 : (i * 7 + k + round) % 3 === 0 ? -1 : 1;
              const res = value === 0 ? await stack.http.delete(`/v1/contents/${contentId}/vote`, { token: voter.token }) : await stack.http.put(`/v1/contents/${contentId}/vote`, { value }, { token: voter.token });
              expect(res.status).toBe(200);
              truthVotes.set(`${contentId}:${voter.id}`, value);
            }
          })(),
        );
      }
      for (let v = 0; v < 30; v++) {
        const agent = `crash-agent-${round}-${v % 20}-${randomUUID().slice(0, 4)}`;
        const seen = truthViews.get(contentId) ?? new Set<string>();
        truthViews.set(contentId, seen);
        requests.push(
          (async () => {
            for (let k = 0; k < 2; k++) {
              const res = await stack.http.post(`/v1/contents/${contentId}/views`, undefined, { headers: { 'user-agent': agent } });
              expect(res.status).toBe(202);
            }
            seen.add(agent);
          })(),
        );
      }
    }
    await Promise.all(requests);
  }

  async function expectExact(): Promise<void> {
    for (const contentId of contents) {
      const values = [...truthVotes].filter(([key]) => key.startsWith(`${contentId}:`)).map(([, v]) => v);
      expect(await counters(stack, contentId)).toEqual({ upvotes: values.filter((v) => v === 1).length, downvotes: values.filter((v) => v === -1).length, views: truthViews.get(contentId)!.size });
      const stored = Number((await stack.deps.db('content_votes').where({ content_id: contentId }).count({ n: '*' }))[0].n);
      expect(stored).toBe(values.filter((v) => v !== 0).length);
    }
    expect(await stack.deps.ports.engagement.size()).toBe(0);
  }

  function runFlush(batchSize: number): Promise<EngagementFlushResult> {
    const input: EngagementFlushInput = { batchSize, maxBatches: 10_000, trendingHorizonMs: 7 * 24 * 3600 * 1000 };
    return stack.deps.temporal.workflow.execute('engagementFlush', { workflowId: `crash-flush-${randomUUID()}`, taskQueue: stack.config.TASK_QUEUE, args: [input] });
  }

  it('a batch claimed but never applied (the worker died after the claim) is applied once by the next run', async () => {
    await traffic(1);
    const buffer = stack.deps.ports.engagement;
    const head = await buffer.head(30);
    const claim = await claimBatch(stack.deps.db, buffer.name, head);
    expect(claim.appliedAt).toBeNull();
    const result = await runFlush(25);
    expect(result.alreadyApplied).toBe(0);
    expect(result.events).toBeGreaterThan(0);
    const row = await stack.deps.db('engagement_flush_batches').where({ id: claim.id }).first('applied_at', 'events');
    expect(row.applied_at).not.toBeNull();
    expect(row.events).toBe(30);
    await expectExact();
  }, 120_000);

  it('a batch applied but never acknowledged (the worker died after the commit) is not counted twice', async () => {
    await traffic(2);
    const buffer = stack.deps.ports.engagement;
    const head = await buffer.head(40);
    const claim = await claimBatch(stack.deps.db, buffer.name, head);
    const applied = await applyBatch(stack.deps.db, claim, await buffer.read(claim.positions), { viewDedupWindowMs: 3600_000 });
    expect(applied.applied).toBe(true);
    // Applied twice by a confused retry: the batch row refuses the second.
    expect((await applyBatch(stack.deps.db, claim, await buffer.read(claim.positions), { viewDedupWindowMs: 3600_000 })).applied).toBe(false);
    const result = await runFlush(50);
    expect(result.alreadyApplied).toBe(1);
    await expectExact();
  }, 120_000);

  it('a worker stopped in the middle of a flush run, then restarted, leaves every count exact', async () => {
    await traffic(3);
    const before = Number((await stack.deps.db('engagement_flush_batches').whereNotNull('applied_at').count({ n: '*' }))[0].n);
    const run = runFlush(10);
    // Stop the worker once a few batches of this run are in.
    for (let i = 0; i < 400; i++) {
      const now = Number((await stack.deps.db('engagement_flush_batches').whereNotNull('applied_at').count({ n: '*' }))[0].n);
      if (now >= before + 3) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await stack.stopWorker();
    const midway = await stack.deps.ports.engagement.size();
    expect(midway).toBeGreaterThan(0);
    await stack.startWorker();
    const result = await run;
    expect(result.events).toBeGreaterThan(0);
    await expectExact();
  }, 180_000);
});
