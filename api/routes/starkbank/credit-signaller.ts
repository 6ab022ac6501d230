import type { Client } from '@temporalio/client';
import type { CreditItem } from '../../../activities/starkbank';
import { creditsSignal, transferBatcher, type TransferBatcherInput } from '../../../workflows/starkbank';

interface Waiting {
  credit: CreditItem;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** At most this many credits in one signal (the batcher flushes 100 at a time anyway). */
const MAX_PER_SIGNAL = 200;

/**
 * Group commit for the transfer batcher's signal-with-start: every webhook request waits until its
 * credit has been signalled (so a 200 still means "in the workflow"), but the credits of requests
 * arriving while a signal is in flight travel together in the next one. One hot workflow then takes
 * one signal per round trip instead of one per event.
 */
export class CreditSignaller {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly temporal: Client,
    private readonly options: { workflowId: string; taskQueue: string; input: TransferBatcherInput },
  ) {}

  signal(credit: CreditItem): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ credit, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_PER_SIGNAL);
        try {
          await this.temporal.workflow.signalWithStart(transferBatcher, {
            workflowId: this.options.workflowId,
            taskQueue: this.options.taskQueue,
            args: [this.options.input],
            signal: creditsSignal,
            signalArgs: [batch.map((w) => w.credit)],
          });
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
