/**
 * Why this loop exists: reporting events go to Kafka from a transactional outbox (written with the
 * event, stores/billing/outbox.ts), so a crash can never lose one; this relay, running inside the
 * API process when KAFKA_BROKERS is set, publishes the backlog in order and marks it published
 * once acknowledged. One relay publishes at a time across processes (an advisory lock), which is
 * what keeps each account's events in order; a failed batch is retried on the next pass.
 */
import type { Logger } from '../../platform/logger';
import type { Db } from '../../platform/db';
import { createEventStream, type EventStream } from '../../providers/events';
import { relayOutboxBatch, type OutboxEvent } from '../../stores/billing/outbox';

const BATCH = 200;

/** The message of one event: the webhook's body, keyed by account, the event id in a header. */
export function outboxMessage(event: OutboxEvent) {
  return {
    key: event.partitionKey,
    value: JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, accountId: event.accountId, subjectId: event.subjectId, data: event.data }),
    headers: { 'event-id': event.id, 'event-type': event.type, 'content-type': 'application/json' },
  };
}

export class BillingKafkaRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private failures = 0;

  constructor(private readonly deps: { db: Db; logger: Logger; stream: EventStream; topic: string; intervalMs: number }) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().then(() => undefined).finally(() => {
        this.running = undefined;
        // Back off while the brokers are unreachable (up to 30 s), else poll at the interval.
        this.schedule(this.failures ? Math.min(30_000, this.deps.intervalMs * 2 ** this.failures) : this.deps.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  /** Publishes until the backlog is empty (or a batch fails). */
  async pass(): Promise<number> {
    const { db, stream, topic, logger } = this.deps;
    let total = 0;
    for (;;) {
      let outcome;
      try {
        outcome = await relayOutboxBatch(db, BATCH, (events) => stream.publish(topic, events.map(outboxMessage)));
      } catch (error) {
        outcome = { locked: true, published: 0, error };
      }
      if (outcome.error) {
        this.failures = Math.min(this.failures + 1, 6);
        logger.warn({ err: outcome.error, topic }, 'billing events could not be published to Kafka; retrying');
        return total;
      }
      this.failures = 0;
      total += outcome.published;
      if (!outcome.locked || outcome.published < BATCH) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.deps.stream.close().catch(() => undefined);
  }
}

/** Starts the relay in the API process when Kafka is configured; it stops with the API. */
export function startBillingKafkaRelay(deps: { db: Db; logger: Logger; config: { KAFKA_BROKERS?: string; KAFKA_CLIENT_ID: string; KAFKA_TOPIC: string; KAFKA_RELAY_INTERVAL: number } }, lifecycle: { onClose(stop: () => void | Promise<void>): void }): BillingKafkaRelay | undefined {
  const stream = createEventStream(deps.config);
  if (!stream) return undefined;
  const relay = new BillingKafkaRelay({ db: deps.db, logger: deps.logger, stream, topic: deps.config.KAFKA_TOPIC, intervalMs: deps.config.KAFKA_RELAY_INTERVAL });
  relay.start();
  lifecycle.onClose(() => relay.stop());
  return relay;
}
