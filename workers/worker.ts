import { NativeConnection, Worker } from '@temporalio/worker';
import type { CoreDeps } from '../platform/deps';
import { createActivities, createMediaActivities } from './activities';

export interface Workers {
  main: Worker;
  /** Absent while no media activity is registered. */
  media?: Worker;
  /** Runs both until shutdown() is called; resolves once both have drained. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Two workers on one connection: `limelight` runs every workflow and the business activities;
 * `limelight-media` runs the CPU-heavy transcodes at low concurrency, so video work can never
 * starve payment steps of activity slots.
 */
export async function createWorkers(deps: CoreDeps, connection: NativeConnection, workflowBundle: { code: string } | { codePath: string }): Promise<Workers> {
  const { config } = deps;
  const main = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    workflowBundle,
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_ACTIVITIES,
    // The SDK's default follows the heap size (~2,300 on a 4 GiB heap); past it every timer that
    // wakes a long-sleeping subscription replays its history instead of resuming from memory.
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10s',
  });
  const mediaActivities = createMediaActivities(deps);
  const media = Object.keys(mediaActivities).length === 0 ? undefined : await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.MEDIA_TASK_QUEUE,
    activities: mediaActivities,
    maxConcurrentActivityTaskExecutions: config.MEDIA_MAX_ACTIVITIES,
    shutdownGraceTime: '30s',
  });
  return {
    main,
    media,
    run: async () => {
      await Promise.all([main.run(), media?.run()]);
    },
    shutdown: () => {
      for (const w of [main, media]) if (w?.getState() === 'RUNNING') w.shutdown();
    },
  };
}
