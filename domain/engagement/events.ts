/**
 * What goes through the EngagementBuffer: counters, not content. Comments are written to
 * PostgreSQL directly; votes and views are buffered and applied by the flush.
 */
export type EngagementEvent =
  | { kind: 'vote'; contentId: string; accountId: string; /** 1, -1, or 0 (the vote was withdrawn). */ value: -1 | 0 | 1; at: string }
  | { kind: 'view'; contentId: string; /** `acc:<accountId>` or `anon:<salted hash>`. */ viewerKey: string; accountId?: string; at: string }
  | { kind: 'subscription'; channelId: string; accountId: string; at: string };

/** An event as the buffer hands it back: `position` orders it (a bigserial id, or a Redis stream id). */
export interface BufferedEvent {
  position: string;
  event: EngagementEvent;
}

export type VoteValue = -1 | 0 | 1;
