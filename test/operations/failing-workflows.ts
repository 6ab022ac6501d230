/** Workflows of the failure-reporting test only (bundled by the test, never registered by the platform). */
import { ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';

export interface FailingActivities {
  opsTransferAlwaysFails(): Promise<void>;
  opsFlakyOnce(id: string): Promise<string>;
  opsDeclines(): Promise<void>;
}

const acts = proxyActivities<FailingActivities>({ startToCloseTimeout: '10s', retry: { initialInterval: '50ms', backoffCoefficient: 1, maximumAttempts: 4 } });

/** An activity that exhausts its 4 attempts, then the workflow fails. */
export async function opsExhaustedWorkflow(): Promise<void> {
  log.info('ops workflow starting');
  await acts.opsTransferAlwaysFails();
}

/** A transient failure a retry fixes, and a business decline the workflow handles: neither is reported. */
export async function opsQuietWorkflow(id: string): Promise<string> {
  const flaky = await acts.opsFlakyOnce(id);
  try {
    await acts.opsDeclines();
  } catch {
    return `${flaky}/declined`;
  }
  return flaky;
}

/** Fails the workflow itself (a business rule broken for good). */
export async function opsFailingWorkflow(): Promise<void> {
  throw ApplicationFailure.nonRetryable('the ledger does not balance', 'LedgerImbalance');
}

const logging = proxyActivities<{ opsLogs(): Promise<string> }>({ startToCloseTimeout: '10s' });

/** Logs from the workflow and from its activity: both must come out as JSON lines with the run's ids. */
export async function opsLoggingWorkflow(): Promise<string> {
  log.info('ops workflow says hello', { orderId: 'ord_log' });
  return logging.opsLogs();
}
