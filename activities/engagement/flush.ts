import type { FlushBatchFigures } from '../../domain/engagement/flush';
import type { CoreDeps } from '../../platform/deps';
import type { EngagementConfig } from '../../platform/config/engagement';
import { recomputeRecentHotScores } from '../../stores/contents/engagement';
import { applyBatch, claimBatch, pruneFlushBatches } from '../../stores/engagement/flush';

/**
 * The flush's steps. One call drains one batch: read the buffer's head → claim it (its exact
 * positions recorded under the id of its first one) → apply it in one transaction that marks it
 * applied → acknowledge it in the buffer. A crash after the claim retries the same batch; after
 * the apply, the retry finds it applied and only acknowledges. Nothing is lost, nothing counts twice.
 */
export function createEngagementFlushActivities(deps: CoreDeps) {
  const { db, ports, logger } = deps;
  const config = deps.config as CoreDeps['config'] & EngagementConfig;
  const buffer = ports.engagement;

  return {
    async engagementFlushBatch(input: { batchSize: number }): Promise<FlushBatchFigures & { more: boolean }> {
      const head = await buffer.head(input.batchSize);
      if (!head.length) return { batchId: '', events: 0, applied: false, votes: 0, views: 0, viewsCounted: 0, subscriptions: 0, contentsTouched: 0, channelsTouched: 0, more: false };
      const claim = await claimBatch(db, buffer.name, head);
      const events = await buffer.read(claim.positions);
      const figures = await applyBatch(db, claim, events, { viewDedupWindowMs: config.VIEW_DEDUP_WINDOW });
      await buffer.ack(claim.positions);
      if (!figures.applied) logger.info({ batchId: claim.id }, 'engagement batch was applied by an earlier attempt: acknowledged only');
      return { ...figures, more: head.length >= input.batchSize };
    },

    /** Age decays every trending score: recompute those published within the horizon; old claims go. */
    async engagementRecomputeTrending(input: { horizonMs: number }): Promise<{ recomputed: number }> {
      const recomputed = await recomputeRecentHotScores(db, input.horizonMs);
      await pruneFlushBatches(db, 24 * 3600 * 1000);
      return { recomputed };
    },
  };
}
