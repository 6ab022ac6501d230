/**
 * Why this loop exists: a 200 to a Stark Bank webhook must mean "stored", so each request waits
 * for its event to be durably written, but one transaction (one WAL flush) per event caps the
 * webhook at the disk's commit rate. This writer, running inside the API process, is a group
 * commit: events arriving while a commit is in flight are queued and written together in the next
 * one (up to MAX_BATCH per transaction, MAX_IN_FLIGHT transactions at a time), and each request is
 * answered, per event, whether it was new (false: the event id was already stored, a replay).
 */
import type { Db } from '../../platform/db';
import { recordEvents, type NewEvent } from '../../stores/starkbank/events';

interface Waiting {
  event: NewEvent;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 250;
const MAX_IN_FLIGHT = 4;

export class StarkbankEventWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  write(event: NewEvent): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const inserted = await recordEvents(this.db, batch.map((w) => w.event));
          const answered = new Set<string>();
          for (const w of batch) {
            // The same id twice in one batch: the first is new, the second a replay.
            const fresh = inserted.has(w.event.id) && !answered.has(w.event.id);
            answered.add(w.event.id);
            w.resolve(fresh);
          }
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.inFlight--;
    }
  }
}
