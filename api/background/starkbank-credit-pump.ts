/**
 * Why this loop exists: a Stark Bank webhook must be answered quickly and must never lose a credit,
 * yet forwarding a credit means signalling the transfer batcher workflow, which can be slow or
 * down. So the webhook only stores the credited event with its amount to forward (the event log is
 * the outbox) and answers; this pump, running inside the API process, then claims unprocessed
 * events, signals them to the batcher many credits per signal-with-start, and marks them
 * processed. Claims are leases, so several API processes can pump the same table and a crash
 * between claim and signal only delays a credit until its lease ends; a sweeper re-runs the pump
 * every few seconds while credits remain (Temporal down, a lease to expire) and after a restart.
 * A credit signalled twice (a lease taken over after all) is still one transfer: the batcher and
 * the transfer activity keep one per invoice.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import { claimUnprocessedEvents, countUnprocessedEvents, markEventsProcessed, releaseClaims } from '../../stores/starkbank/events';
import { creditsSignal, transferBatcher, type TransferBatcherInput } from '../../workflows/starkbank';

/** Credits per signal (the batcher flushes up to 100 per transfer.create). */
const BATCH = 200;
/** A claim older than this is taken over (the process that claimed it died before signalling). */
const LEASE_SECONDS = 30;
/** Leftovers (a crash, Temporal down) are swept this often. */
const SWEEP_MS = 5_000;

export class StarkbankCreditPump {
  private running = false;
  private again = false;
  private sweeper?: NodeJS.Timeout;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly temporal: Client,
    private readonly logger: Logger,
    private readonly options: { workflowId: string; taskQueue: string; input: TransferBatcherInput },
  ) {}

  /**
   * Something was stored: pump now (coalesced with a pump already running). A sweeper keeps
   * pumping every few seconds while credits remain unprocessed (Temporal down, a lease to expire).
   */
  kick(): void {
    if (this.closed) return;
    this.sweeper ??= setInterval(() => this.kick(), SWEEP_MS).unref();
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** The API is closing: no more pumping (credits left are picked up by the next process's sweep). */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        while ((await this.pumpOnce()) === BATCH);
      } while (this.again);
      this.failures = 0;
      if ((await countUnprocessedEvents(this.db)) === 0) this.stop();
    } catch (error) {
      this.failures++;
      this.logger.warn({ err: error, failures: this.failures }, 'starkbank outbox: pump failed; retrying on the next sweep');
      // The database is gone for good (e.g. the process is shutting down): stop sweeping.
      if (this.failures >= 60) this.stop();
    } finally {
      this.running = false;
    }
  }

  /** Claims up to BATCH unprocessed credits, signals them in one signal-with-start, marks them processed. */
  async pumpOnce(): Promise<number> {
    const claimed = await claimUnprocessedEvents(this.db, BATCH, LEASE_SECONDS);
    if (!claimed.length) return 0;
    const credits = claimed.filter((e) => e.invoiceId && e.forwardAmount && e.forwardAmount > 0).map((e) => ({ invoiceId: e.invoiceId!, amount: Number(e.forwardAmount), eventId: e.eventId }));
    const ids = claimed.map((e) => e.eventId);
    if (credits.length) {
      try {
        await this.temporal.workflow.signalWithStart(transferBatcher, {
          workflowId: this.options.workflowId,
          taskQueue: this.options.taskQueue,
          args: [this.options.input],
          signal: creditsSignal,
          signalArgs: [credits],
        });
      } catch (error) {
        await releaseClaims(this.db, ids);
        throw error;
      }
    }
    await markEventsProcessed(this.db, ids);
    return claimed.length;
  }
}
