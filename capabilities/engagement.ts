import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { createEngagementActivities } from '../activities/engagement';
import { registerEngagementRoutes } from '../api/routes/engagement';
import type { EngagementFlushInput } from '../domain/engagement/flush';
import { engagementSchema, type EngagementConfig } from '../platform/config/engagement';
import type { CoreDeps } from '../platform/deps';
import { defineCapability } from './capability';

/** Whether this process keeps the flush schedule: default on, except when NODE_ENV=test (suites that need it enable it). */
export function engagementFlushEnabled(config: CoreDeps['config']): boolean {
  return (config as CoreDeps['config'] & EngagementConfig).ENGAGEMENT_FLUSH_ENABLED ?? config.NODE_ENV !== 'test';
}

/**
 * Creates or updates the `engagement-flush` Temporal Schedule (ENGAGEMENT_SCHEDULE_ID): workflow
 * `engagementFlush` every ENGAGEMENT_FLUSH_INTERVAL on this worker's task queue, overlaps skipped
 * (a long flush is never doubled). Idempotent across worker restarts; visible, pausable and
 * triggerable in the Temporal UI.
 */
export async function ensureEngagementSchedule(deps: CoreDeps): Promise<void> {
  const { temporal, logger } = deps;
  const config = deps.config as CoreDeps['config'] & EngagementConfig;
  if (!engagementFlushEnabled(config)) {
    logger.debug('engagement flush schedule disabled');
    return;
  }
  const scheduleId = config.ENGAGEMENT_SCHEDULE_ID;
  const input: EngagementFlushInput = { batchSize: config.ENGAGEMENT_FLUSH_BATCH, maxBatches: config.ENGAGEMENT_FLUSH_MAX_BATCHES, trendingHorizonMs: config.ENGAGEMENT_TRENDING_HORIZON };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'engagementFlush',
    workflowId: `${scheduleId}-run`,
    taskQueue: config.TASK_QUEUE,
    args: [input] as [EngagementFlushInput],
    workflowExecutionTimeout: '30 minutes',
  };
  const spec = { intervals: [{ every: config.ENGAGEMENT_FLUSH_INTERVAL }] };
  const handle = temporal.schedule.getHandle(scheduleId);
  try {
    await handle.describe();
    await handle.update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP } }));
    logger.info({ scheduleId, every: config.ENGAGEMENT_FLUSH_INTERVAL }, 'engagement flush schedule updated');
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    const options: ScheduleOptions = {
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      state: { note: 'Engagement buffer flush (Limelight): created by the worker at start' },
    };
    try {
      await temporal.schedule.create(options);
      logger.info({ scheduleId, every: config.ENGAGEMENT_FLUSH_INTERVAL }, 'engagement flush schedule created');
    } catch (createError) {
      if (!(createError instanceof ScheduleAlreadyRunning)) throw createError;
    }
  }
}

/** Engagement: votes, views, comments, history, discover, reports; the buffer flush and the upload notifications. */
export const engagementCapability = defineCapability({
  name: 'engagement',
  config: engagementSchema,
  routes: registerEngagementRoutes,
  activities: { main: createEngagementActivities },
  schedules: ensureEngagementSchedule,
});
