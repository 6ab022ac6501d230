import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory, InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { CoreDeps } from '../platform/deps';
import { businessMetrics } from '../platform/metrics/business';
import type { OperationsSinks, WorkflowFailureReport } from './interceptors-workflow';

/** Activities that move money: when one fails for good it is a serious fault (Telegram), not just an error event. */
const MONEY_ACTIVITY = /capture|transfer|refund|reverse|charge|compensat|release/i;

/** Whether a failed attempt is the last: no retry will follow it. */
function isFinal(error: unknown, attempt: number, retry: { maximumAttempts?: number; nonRetryableErrorTypes?: string[] } | undefined): { final: boolean; business: boolean } {
  const type = error instanceof ApplicationFailure ? (error.type ?? error.name) : (error as Error)?.name;
  // Non-retryable failures are business outcomes by design (a declined card): the workflow decides what they mean.
  const business = (error instanceof ApplicationFailure && error.nonRetryable) || (!!type && !!retry?.nonRetryableErrorTypes?.includes(type));
  const exhausted = !!retry?.maximumAttempts && attempt >= retry.maximumAttempts;
  return { final: business || exhausted, business };
}

/**
 * Worker interceptors reporting activity failures. A retryable failure reaches Sentry only when
 * its retries are exhausted, or on its SENTRY_ACTIVITY_FAILURES-th attempt (once), so transient
 * noise that a retry fixes stays out; an exhausted money-moving activity is also an alert.
 */
export function operationsInterceptors(deps: CoreDeps): WorkerInterceptors {
  const { config, errors, ports, logger } = deps;
  const metrics = businessMetrics(deps.metrics);
  const threshold = Math.max(1, config.SENTRY_ACTIVITY_FAILURES);
  const activity: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          if (error instanceof CancelledFailure) throw error;
          const info = ctx.info;
          const { final, business } = isFinal(error, info.attempt, info.retryPolicy);
          metrics.activityFailures.inc({ activity_type: info.activityType, final: String(final) });
          if (!business && (final || info.attempt === threshold)) {
            const tags = {
              activity_type: info.activityType,
              workflow_type: info.workflowType,
              workflow_id: info.workflowExecution?.workflowId,
              run_id: info.workflowExecution?.runId,
              task_queue: info.taskQueue,
              attempt: info.attempt,
              retries_exhausted: String(final),
            };
            errors.captureException(error, { tags, extra: { isLocal: info.isLocal, activityId: info.activityId }, fingerprint: ['activity', info.activityType, (error as Error)?.name ?? 'Error'] });
            logger.warn({ err: error, ...tags }, final ? 'activity failed after its retries' : 'activity failing repeatedly');
            if (MONEY_ACTIVITY.test(info.activityType)) {
              ports.alerts.raise({
                key: `activity-failed/${info.activityType}`,
                kind: final ? 'activity.failed_after_retries' : 'activity.failing_repeatedly',
                severity: 'critical',
                subject: `${info.activityType} ${final ? 'failed after its retries' : `has failed ${info.attempt} times`} (${info.workflowExecution?.workflowId ?? 'no workflow'})`,
                aggregateId: info.workflowExecution?.workflowId ?? null,
                detail: { error: (error as Error)?.message ?? String(error), workflowType: info.workflowType, runId: info.workflowExecution?.runId, attempt: info.attempt },
              });
            }
          }
          throw error;
        }
      },
    },
  });
  return { activity: [activity] };
}

/**
 * What the workflow interceptor's sink does in the worker: a failed workflow goes to Sentry
 * (tagged with its type, id, run id, task queue and attempt), to metrics and to the alerts, where
 * a scheduled workflow (a flush, the invoice schedule) alerts only once it fails repeatedly.
 */
export function operationsSinks(deps: CoreDeps): InjectedSinks<OperationsSinks> {
  const { config, errors, ports, logger } = deps;
  const metrics = businessMetrics(deps.metrics);
  return {
    operations: {
      workflowFailed: {
        callDuringReplay: false,
        fn: (info: WorkflowInfo, failure: WorkflowFailureReport) => {
          const scheduledBy = scheduleOf(info);
          const tags = { workflow_type: info.workflowType, workflow_id: info.workflowId, run_id: info.runId, task_queue: info.taskQueue, attempt: info.attempt, schedule_id: scheduledBy };
          metrics.workflowFailures.inc({ workflow_type: info.workflowType });
          const error = Object.assign(new Error(failure.message), { name: failure.name, stack: failure.stack ?? `${failure.name}: ${failure.message}` });
          errors.captureException(error, { tags, extra: { failureType: failure.type }, fingerprint: ['workflow', info.workflowType, failure.type ?? failure.name] });
          logger.error({ err: error, ...tags }, 'workflow failed');
          ports.alerts.raise({
            key: `workflow-failed/${scheduledBy ?? info.workflowType}`,
            kind: scheduledBy ? 'schedule.failing_repeatedly' : 'workflow.failed',
            severity: scheduledBy ? 'critical' : 'error',
            subject: scheduledBy ? `Scheduled ${info.workflowType} (${scheduledBy}) keeps failing` : `Workflow ${info.workflowType} failed (${info.workflowId})`,
            aggregateId: info.workflowId,
            detail: { error: failure.message, runId: info.runId, taskQueue: info.taskQueue },
            minOccurrences: scheduledBy ? config.ALERT_REPEAT_THRESHOLD : 1,
          });
        },
      },
    },
  };
}

/** The schedule that started this run (Temporal sets TemporalScheduledById on scheduled runs). */
function scheduleOf(info: WorkflowInfo): string | undefined {
  const value = (info.searchAttributes as Record<string, unknown> | undefined)?.TemporalScheduledById;
  const id = Array.isArray(value) ? value[0] : value;
  return typeof id === 'string' && id ? id : undefined;
}
