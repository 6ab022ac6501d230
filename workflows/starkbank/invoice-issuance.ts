import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { IssueResult, StarkbankActivities } from '../../activities/starkbank';

const { starkbankIssueInvoices } = proxyActivities<StarkbankActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/**
 * One run of the `starkbank-invoices` Schedule: issues 8–12 invoices to generated payers in one
 * `invoice.create`, tagged with this run's id. The randomness lives in the activity, whose retries
 * look the tag up first, so a run never issues twice.
 */
export async function invoiceIssuance(): Promise<IssueResult> {
  const { workflowId, runId } = workflowInfo();
  const result = await starkbankIssueInvoices({ workflowId, runId });
  log.info('starkbank invoices issued', { count: result.count, reused: result.reused, runTag: result.runTag });
  return result;
}
