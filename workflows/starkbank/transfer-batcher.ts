import { condition, continueAsNew, defineQuery, defineSignal, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { CreditItem, SendResult, StarkbankActivities } from '../../activities/starkbank';

export interface PendingCredit extends CreditItem {
  /** Workflow time (ms) when the credit reached the batcher. */
  receivedAt: number;
}

export interface TransferBatcherInput {
  /** Flush at this many pending credits … */
  maxItems: number;
  /** … or this long (ms) after the oldest pending one. */
  maxWaitMs: number;
  /** Carried over continue-as-new. */
  pending?: PendingCredit[];
  batchesSent?: number;
  transfersSent?: number;
  /** How long (ms) an empty batcher waits before completing (a later credit starts it again). */
  idleMs?: number;
}

export interface TransferBatcherState {
  pending: PendingCredit[];
  oldestAt: string | null;
  flushAt: string | null;
  flushing: boolean;
  maxItems: number;
  maxWaitMs: number;
  batchesSent: number;
  transfersSent: number;
  lastBatch: { batchId: string; sent: number; skipped: number; failed: number } | null;
}

/** Stark Bank transfers are created in batches of at most 100. */
export const MAX_TRANSFERS_PER_BATCH = 100;

/** Credited invoices for the batcher (the webhook coalesces concurrent ones into one signal). */
export const creditsSignal = defineSignal<[CreditItem[]]>('starkbankCredits');
export const transferBatcherStateQuery = defineQuery<TransferBatcherState>('starkbankTransferBatcherState');

const { starkbankSendTransfers } = proxyActivities<StarkbankActivities>({
  startToCloseTimeout: '1 minute',
  // Money must go out: infrastructure failures retry without a limit (duplicates are prevented by externalId and the batch tag).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const now = () => new Date().getTime();

/**
 * Collects credited invoices (signals from the webhook) and sends one `transfer.create` batch when
 * `maxItems` are pending or `maxWaitMs` after the oldest pending one, whichever comes first; then
 * continues as new, carrying what arrived meanwhile.
 */
export async function transferBatcher(input: TransferBatcherInput): Promise<{ batchesSent: number; transfersSent: number }> {
  const pending: PendingCredit[] = [...(input.pending ?? [])];
  const idleMs = input.idleMs ?? 24 * 3_600_000;
  let flushing = false;
  let lastBatch: TransferBatcherState['lastBatch'] = null;
  const stats = { batchesSent: input.batchesSent ?? 0, transfersSent: input.transfersSent ?? 0 };

  setHandler(creditsSignal, (credits) => {
    const at = now();
    for (const credit of credits) {
      // A replayed credit for an invoice already pending is the same money: keep one.
      if (pending.some((p) => p.invoiceId === credit.invoiceId)) continue;
      pending.push({ invoiceId: credit.invoiceId, amount: credit.amount, eventId: credit.eventId, receivedAt: at });
    }
  });
  const oldest = () => (pending.length ? Math.min(...pending.map((p) => p.receivedAt)) : null);
  setHandler(transferBatcherStateQuery, () => {
    const o = oldest();
    return {
      pending: [...pending],
      oldestAt: o === null ? null : new Date(o).toISOString(),
      flushAt: o === null ? null : new Date(o + input.maxWaitMs).toISOString(),
      flushing,
      maxItems: input.maxItems,
      maxWaitMs: input.maxWaitMs,
      ...stats,
      lastBatch,
    };
  });

  if (pending.length === 0) {
    const got = await condition(() => pending.length > 0, idleMs);
    if (!got) return stats;
  }
  // Wait for a full batch, but never past the oldest credit's deadline.
  const deadline = oldest()! + input.maxWaitMs;
  const remaining = deadline - now();
  if (pending.length < input.maxItems && remaining > 0) await condition(() => pending.length >= input.maxItems, remaining);

  flushing = true;
  const batch = pending.slice(0, MAX_TRANSFERS_PER_BATCH);
  const batchId = workflowInfo().runId;
  let result: SendResult;
  try {
    result = await starkbankSendTransfers({ batchId, items: batch.map(({ invoiceId, amount, eventId }) => ({ invoiceId, amount, eventId })) });
  } catch (error) {
    // Only reachable if the activity fails for good: keep the items for the next run rather than lose money.
    log.error('transfer batch failed; items kept pending', { batchId, error: String(error) });
    await sleep(Math.min(input.maxWaitMs, 60_000));
    return continueAsNew<typeof transferBatcher>({ ...input, pending: [...pending], ...stats });
  }
  stats.batchesSent += 1;
  stats.transfersSent += result.sent.length;
  lastBatch = { batchId, sent: result.sent.length, skipped: result.skipped.length, failed: result.failed.length };
  log.info('transfer batch sent', lastBatch);
  const sentIds = new Set(batch.map((b) => b.invoiceId));
  const rest = pending.filter((p) => !sentIds.has(p.invoiceId));
  flushing = false;
  return continueAsNew<typeof transferBatcher>({ ...input, pending: rest, ...stats });
}
