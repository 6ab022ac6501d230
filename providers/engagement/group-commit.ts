import type { EngagementEvent } from '../../domain/engagement/events';
import type { EngagementBuffer } from './port';

/**
 * Group commit of appends: a vote or a view is one tiny write, and a hundred requests in flight
 * each paying a round trip (and PostgreSQL a commit) was the buffer's cost. While one write is in
 * flight, the appends that arrive wait together and go as the next write (one multi-row INSERT, one
 * Redis MULTI), so under load a write carries as many events as arrived meanwhile, and alone an
 * append goes at once (no timer, no added latency). Each caller's promise settles with the write
 * that carried its events: durable on resolve, and on failure every caller of that write sees it.
 * The order of events is the order of the calls (one write at a time, events concatenated in order).
 */
export interface GroupCommitOptions {
  /** At most this many events per write (a bigger group goes in several writes, in order). */
  maxEvents?: number;
}

interface Waiting {
  events: EngagementEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function withGroupCommit(buffer: EngagementBuffer, options: GroupCommitOptions = {}): EngagementBuffer {
  const maxEvents = options.maxEvents ?? 1_000;
  let queue: Waiting[] = [];
  let writing = false;

  /** Takes the oldest waiting callers, up to maxEvents events (always at least one caller). */
  function takeGroup(): Waiting[] {
    let n = 0;
    let count = 0;
    while (n < queue.length && (n === 0 || count + queue[n].events.length <= maxEvents)) count += queue[n++].events.length;
    const group = queue.slice(0, n);
    queue = queue.slice(n);
    return group;
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length) {
      const group = takeGroup();
      try {
        await buffer.append(group.flatMap((w) => w.events));
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    writing = false;
  }

  return {
    adapter: buffer.adapter,
    name: buffer.name,
    head: (max) => buffer.head(max),
    read: (positions) => buffer.read(positions),
    ack: (positions) => buffer.ack(positions),
    pendingVote: (contentId, accountId) => buffer.pendingVote(contentId, accountId),
    size: () => buffer.size(),
    close: () => buffer.close(),
    append(events) {
      if (!events.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
