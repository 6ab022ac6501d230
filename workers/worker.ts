import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../platform/config';
import type { CoreDeps } from '../platform/deps';
import { dataConverterFrom } from '../platform/codec';
import { createActivities, createMediaActivities } from './activities';
import { operationsInterceptors, operationsSinks } from './interceptors';
import { DEFAULT_VERSIONING_BEHAVIOR } from './versioning';

/**
 * With WORKER_BUILD_ID set, the worker joins the Worker Deployment WORKER_DEPLOYMENT_NAME as version
 * `<name>.<buildId>`; each workflow type declares PINNED or AUTO_UPGRADE (workers/versioning.ts).
 */
export function deploymentOptions(config: Pick<Config, 'WORKER_BUILD_ID' | 'WORKER_DEPLOYMENT_NAME'>): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!config.WORKER_BUILD_ID) return {};
  return {
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version: { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID },
      defaultVersioningBehavior: DEFAULT_VERSIONING_BEHAVIOR,
    },
  };
}

export interface Workers {
  /** Absent when WORKER_TASK_QUEUES leaves out `main`. */
  main?: Worker;
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
export async function createWorkers(deps: CoreDeps, connection: NativeConnection, workflowBundle: { code: string } | { codePath: string }, options: { reportFailures?: boolean } = {}): Promise<Workers> {
  const { config } = deps;
  // bench/alerts.ts measures the platform without failure reporting (and a bundle without the workflow interceptor).
  const reporting = options.reportFailures === false ? {} : { interceptors: operationsInterceptors(deps), sinks: operationsSinks(deps) };
  const queues = config.WORKER_TASK_QUEUES ?? ['main', 'media'];
  const main = !queues.includes('main') ? undefined : await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    workflowBundle,
    // Payloads encrypted in Temporal's history (platform/codec); the client uses the same codec.
    dataConverter: dataConverterFrom(config),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_ACTIVITIES,
    // The SDK's default follows the heap size (~2,300 on a 4 GiB heap); past it every timer that
    // wakes a long-sleeping subscription replays its history instead of resuming from memory.
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10s',
    // Failures to Sentry, metrics and alerts: activities through interceptors, workflows through a sink.
    ...reporting,
    ...deploymentOptions(config),
  });
  const mediaActivities = createMediaActivities(deps);
  const media = Object.keys(mediaActivities).length === 0 || !queues.includes('media') ? undefined : await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.MEDIA_TASK_QUEUE,
    dataConverter: dataConverterFrom(config),
    activities: mediaActivities,
    maxConcurrentActivityTaskExecutions: config.MEDIA_MAX_ACTIVITIES,
    shutdownGraceTime: '30s',
    ...(reporting.interceptors ? { interceptors: reporting.interceptors } : {}),
    ...deploymentOptions(config),
  });
  return {
    main,
    media,
    run: async () => {
      await Promise.all([main?.run(), media?.run()]);
    },
    shutdown: () => {
      for (const w of [main, media]) if (w?.getState() === 'RUNNING') w.shutdown();
    },
  };
}
