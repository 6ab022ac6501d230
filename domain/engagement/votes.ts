import type { VoteValue } from './events';

/**
 * Vote folding: within a batch only the last vote of one account on one content matters (the last
 * one wins), and its effect on the counters is the difference between the stored vote and it.
 */
export function lastVotes<T extends { contentId: string; accountId: string; value: VoteValue }>(votes: Iterable<T>): Map<string, T> {
  const last = new Map<string, T>();
  for (const vote of votes) last.set(`${vote.contentId}\u0000${vote.accountId}`, vote);
  return last;
}

/** How replacing vote `before` by `after` moves a content's upvotes and downvotes. */
export function voteDelta(before: VoteValue, after: VoteValue): { up: number; down: number } {
  return { up: (after === 1 ? 1 : 0) - (before === 1 ? 1 : 0), down: (after === -1 ? 1 : 0) - (before === -1 ? 1 : 0) };
}
