import type { BufferedEvent, EngagementEvent, VoteValue } from '../../domain/engagement/events';

/**
 * The fast buffer that votes, views and subscription events are written to before the flush moves
 * them into PostgreSQL in batches. Adapters: `redis.ts` (a stream) and `postgres.ts` (an
 * append-only table). Only the flush (one run at a time, the schedule skips overlaps) reads and
 * acknowledges; the API only appends and reads a caller's pending vote.
 */
export interface EngagementBuffer {
  readonly adapter: 'redis' | 'postgres';
  /** Names this buffer in batch ids (`postgres`, `redis:<prefix>`): two buffers never share a batch id. */
  readonly name: string;
  /** Appends events, atomically, in order. Resolves once they are durable in the buffer. */
  append(events: EngagementEvent[]): Promise<void>;
  /** Up to `max` of the oldest events, oldest first; nothing is removed. */
  head(max: number): Promise<BufferedEvent[]>;
  /** The events at these positions still in the buffer (a claimed batch read again by a retry). */
  read(positions: string[]): Promise<BufferedEvent[]>;
  /** Removes the events at these positions (after their batch is applied). */
  ack(positions: string[]): Promise<void>;
  /** The newest vote of the account on the content not yet flushed (0: withdrawn), undefined when none is pending. */
  pendingVote(contentId: string, accountId: string): Promise<VoteValue | undefined>;
  /** How many events wait. */
  size(): Promise<number>;
  close(): Promise<void>;
}
