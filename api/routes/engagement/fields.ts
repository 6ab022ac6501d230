import type { EngagementEvent, VoteValue } from '../../../domain/engagement/events';
import type { CoreDeps } from '../../../platform/deps';
import { contentEngagement } from '../../../stores/contents/engagement';
import { storedVotes } from '../../../stores/engagement/votes';
import { problems } from '../../problem';

/**
 * The engagement fields of contents (upvotes, downvotes, score, myVote, viewCount,
 * commentsEnabled) for one caller. Counts are the flushed ones; myVote is the caller's newest,
 * pending in the buffer or applied, so a caller sees their own vote at once.
 */
export interface EngagementView {
  upvotes: number;
  downvotes: number;
  score: number;
  myVote: 1 | -1 | null;
  viewCount: number;
  commentsEnabled: boolean;
  hotScore: number;
}

export async function myVote(deps: CoreDeps, contentId: string, accountId: string | undefined, stored?: VoteValue): Promise<1 | -1 | null> {
  if (!accountId) return null;
  const pending = await deps.ports.engagement.pendingVote(contentId, accountId);
  const value = pending ?? stored ?? (await storedVotes(deps.db, accountId, [contentId])).get(contentId) ?? 0;
  return value === 0 ? null : value;
}

export async function engagementOf(deps: CoreDeps, contentIds: string[], accountId: string | undefined): Promise<Map<string, EngagementView>> {
  const counters = await contentEngagement(deps.db, contentIds);
  const stored = accountId ? await storedVotes(deps.db, accountId, contentIds) : new Map<string, VoteValue>();
  const views = new Map<string, EngagementView>();
  for (const id of contentIds) {
    const c = counters.get(id);
    if (!c) continue;
    views.set(id, {
      upvotes: c.upvotes,
      downvotes: c.downvotes,
      score: c.score,
      viewCount: c.viewCount,
      commentsEnabled: c.commentsEnabled,
      hotScore: c.hotScore,
      myVote: await myVote(deps, id, accountId, stored.get(id) ?? 0),
    });
  }
  return views;
}

/** The fields a content resource carries (without the internal hot score). */
export async function contentEngagementFields(deps: CoreDeps, contentId: string, accountId: string | undefined): Promise<Omit<EngagementView, 'hotScore'>> {
  const view = (await engagementOf(deps, [contentId], accountId)).get(contentId);
  const { hotScore: _ignored, ...fields } = view ?? { upvotes: 0, downvotes: 0, score: 0, myVote: null, viewCount: 0, commentsEnabled: true, hotScore: 0 };
  return fields;
}

/**
 * A subscription changed (the channels routes call this): the event goes to the buffer and the
 * flush recounts the channel's subscriber_count from the membership rows, so the counter ends
 * exact whatever raced. The membership row itself is written at once by the channels store.
 */
export async function recordSubscriptionChange(deps: CoreDeps, channelId: string, accountId: string): Promise<void> {
  await appendEvents(deps, [{ kind: 'subscription', channelId, accountId, at: new Date().toISOString() }]);
}

/** Appends to the buffer; a buffer that is down (Redis restarting) answers 503, never a 500. */
export async function appendEvents(deps: CoreDeps, events: EngagementEvent[]): Promise<void> {
  try {
    await deps.ports.engagement.append(events);
  } catch (error) {
    deps.logger.warn({ err: error }, 'engagement buffer unavailable');
    throw problems.unavailable('The engagement buffer is unavailable; try again in a moment.');
  }
}
