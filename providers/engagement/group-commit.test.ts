import type { EngagementEvent } from '../../domain/engagement/events';
import { withGroupCommit } from './group-commit';
import type { EngagementBuffer } from './port';

const view = (n: number): EngagementEvent => ({ kind: 'view', contentId: `cnt_${n}`, viewerKey: `acc:${n}`, at: new Date(0).toISOString() });

/** A buffer that records each write and lets the test decide when a write ends. */
function recordingBuffer() {
  const writes: EngagementEvent[][] = [];
  const pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const buffer: EngagementBuffer = {
    adapter: 'postgres',
    name: 'recording',
    append: (events) =>
      new Promise<void>((resolve, reject) => {
        writes.push(events);
        pending.push({ resolve, reject });
      }),
    head: async () => [],
    read: async () => [],
    ack: async () => undefined,
    pendingVote: async () => undefined,
    size: async () => 0,
    close: async () => undefined,
  };
  return { buffer, writes, pending };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit of engagement appends', () => {
  it('writes a lone append at once, and the appends that arrive meanwhile together, in call order', async () => {
    const { buffer, writes, pending } = recordingBuffer();
    const grouped = withGroupCommit(buffer);
    const settled: number[] = [];
    const first = grouped.append([view(1)]).then(() => settled.push(1));
    expect(writes).toEqual([[view(1)]]);
    const rest = [2, 3, 4].map((n) => grouped.append([view(n)]).then(() => settled.push(n)));
    await tick();
    expect(writes).toHaveLength(1);
    pending[0].resolve();
    await first;
    await tick();
    expect(writes[1]).toEqual([view(2), view(3), view(4)]);
    expect(settled).toEqual([1]);
    pending[1].resolve();
    await Promise.all(rest);
    expect(settled).toEqual([1, 2, 3, 4]);
  });

  it('fails every caller of a failed write, and only them', async () => {
    const { buffer, writes, pending } = recordingBuffer();
    const grouped = withGroupCommit(buffer);
    const first = grouped.append([view(1)]);
    const second = grouped.append([view(2)]);
    const third = grouped.append([view(3)]);
    pending[0].resolve();
    await first;
    await tick();
    pending[1].reject(new Error('buffer down'));
    await expect(second).rejects.toThrow('buffer down');
    await expect(third).rejects.toThrow('buffer down');
    const fourth = grouped.append([view(4)]);
    await tick();
    expect(writes[2]).toEqual([view(4)]);
    pending[2].resolve();
    await expect(fourth).resolves.toBeUndefined();
  });

  it('bounds a write by maxEvents, never splitting one call', async () => {
    const { buffer, writes, pending } = recordingBuffer();
    const grouped = withGroupCommit(buffer, { maxEvents: 3 });
    const all = [grouped.append([view(0)]), grouped.append([view(1), view(2)]), grouped.append([view(3), view(4)]), grouped.append([view(5)])];
    for (let i = 0; i < 3; i++) {
      await tick();
      pending[i].resolve();
    }
    await Promise.all(all);
    expect(writes).toEqual([[view(0)], [view(1), view(2)], [view(3), view(4), view(5)]]);
  });

  it('appends nothing for no events', async () => {
    const { buffer, writes } = recordingBuffer();
    await withGroupCommit(buffer).append([]);
    expect(writes).toHaveLength(0);
  });
});
