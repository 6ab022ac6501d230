import type { Client } from '@temporalio/client';
import type { Db } from '../../../platform/db';
import type { Logger } from '../../../platform/logger';
import { creditsSignal, transferBatcher, type TransferBatcherInput } from '../../../workflows/starkbank';

/** Credits per signal (the batcher flushes up to 100 per transfer.create). */
const BATCH = 200;
/** A claim older than this is taken over (the process that claimed it died before signalling). */
const LEASE_SECONDS = 30;
/** Leftovers (a crash, Temporal down) are swept this often. */
const SWEEP_MS = 5_000;

/**
 * The webhook stores each credited event with the amount to forward and answers at once; this
 * outbox then signals them to the transfer batcher (signal-with-start), many credits per signal,
 * and marks them processed. Claims are leases (`claimed_at`), so several API processes can pump
 * the same table, and a crash between claim and signal only delays a credit until the lease ends.
 * A credit signalled twice (a lease taken over after all) is still one transfer: the batcher and
 * the transfer activity keep one per invoice.
 */
export class CreditOutbox {
  private running = false;
  private again = false;
  private sweeper?: NodeJS.Timeout;
  private failures = 0;

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

  private async drain(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        while ((await this.pumpOnce()) === BATCH);
      } while (this.again);
      this.failures = 0;
      const [{ n }] = await this.db('starkbank_events').whereNull('processed_at').count<{ n: number }[]>('* as n');
      if (Number(n) === 0) this.stop();
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
    const { rows } = (await this.db.raw(
      `update starkbank_events set claimed_at = now()
        where id in (
          select id from starkbank_events
           where processed_at is null and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))
           order by received_at limit ? for update skip locked)
        returning id, invoice_id, forward_amount`,
      [LEASE_SECONDS, BATCH],
    )) as { rows: { id: string; invoice_id: string | null; forward_amount: number | null }[] };
    if (!rows.length) return 0;
    const credits = rows.filter((r) => r.invoice_id && r.forward_amount && r.forward_amount > 0).map((r) => ({ invoiceId: r.invoice_id!, amount: Number(r.forward_amount), eventId: r.id }));
    const ids = rows.map((r) => r.id);
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
        await this.db('starkbank_events').whereIn('id', ids).update({ claimed_at: null });
        throw error;
      }
    }
    await this.db('starkbank_events').whereIn('id', ids).update({ processed_at: this.db.fn.now() });
    return rows.length;
  }
}
