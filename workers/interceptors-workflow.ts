/**
 * Workflow interceptors, bundled with the workflows (workers/bundle.ts) and run inside Temporal's
 * deterministic sandbox: a workflow that fails tells the worker through the `operations` sink,
 * and the worker reports it (workers/interceptors.ts). Workflow code never imports Sentry: the
 * sandbox has no network, and a sink call is not part of the history, so replays stay unchanged.
 */
import { ContinueAsNew, isCancellation, proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface WorkflowFailureReport {
  name: string;
  message: string;
  stack?: string;
  /** The ApplicationFailure type, when it has one. */
  type?: string;
}

export interface OperationsSinks extends Sinks {
  operations: {
    workflowFailed(failure: WorkflowFailureReport): void;
  };
}

const { operations } = proxySinks<OperationsSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          if (!(error instanceof ContinueAsNew) && !isCancellation(error)) {
            const e = error as Error & { type?: string | null };
            operations.workflowFailed({ name: e?.name ?? 'Error', message: e?.message ?? String(error), stack: e?.stack, type: e?.type ?? undefined });
          }
          throw error;
        }
      },
    },
  ],
});
