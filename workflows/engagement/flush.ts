import { proxyActivities } from '@temporalio/workflow';
import type { EngagementActivities } from '../../activities/engagement';
import type { EngagementFlushInput, EngagementFlushResult } from '../../domain/engagement/flush';

/**
 * `engagementFlush`: started by the `engagement-flush` Schedule every ENGAGEMENT_FLUSH_INTERVAL
 * (overlaps skipped, so one runs at a time). Drains the engagement buffer batch by batch (each
 * batch claimed, applied in one transaction, acknowledged: exactly once even when the worker dies
 * mid-batch), then recomputes trending. Its result shows the run's figures in the Temporal UI.
 */
const flush = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function engagementFlush(input: EngagementFlushInput): Promise<EngagementFlushResult> {
  const result: EngagementFlushResult = {
    batches: 0, events: 0, votes: 0, views: 0, viewsCounted: 0, subscriptions: 0, contentsTouched: 0, channelsTouched: 0, alreadyApplied: 0, trendingRecomputed: 0, remaining: false,
  };
  for (let i = 0; i < input.maxBatches; i++) {
    const batch = await flush.engagementFlushBatch({ batchSize: input.batchSize });
    if (batch.events === 0) break;
    result.batches += 1;
    result.events += batch.events;
    result.votes += batch.votes;
    result.views += batch.views;
    result.viewsCounted += batch.viewsCounted;
    result.subscriptions += batch.subscriptions;
    result.contentsTouched += batch.contentsTouched;
    result.channelsTouched += batch.channelsTouched;
    if (!batch.applied) result.alreadyApplied += 1;
    result.remaining = batch.more;
    if (!batch.more) break;
  }
  result.trendingRecomputed = (await flush.engagementRecomputeTrending({ horizonMs: input.trendingHorizonMs })).recomputed;
  return result;
}
