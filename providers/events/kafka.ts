import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { EventStream, StreamMessage } from './port';

export interface KafkaStreamOptions {
  brokers: string[];
  clientId: string;
  /** How long to wait for the brokers before a publish fails (the relay retries the batch). */
  requestTimeoutMs?: number;
}

/**
 * EventStream on Kafka with kafkajs: one idempotent producer (no duplicates from its own retries,
 * order kept per partition), acks from all in-sync replicas. Connects on first use.
 */
export class KafkaEventStream implements EventStream {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private connecting?: Promise<Producer>;

  constructor(private readonly options: KafkaStreamOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 200 },
      logLevel: logLevel.NOTHING,
    });
  }

  private connect(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      try {
        await producer.connect();
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async publish(topic: string, messages: StreamMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connect();
    try {
      await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
    } catch (error) {
      // A producer that failed may hold an id or sequence the brokers no longer accept (an outage,
      // a restarted cluster): the next attempt starts a fresh one; the caller re-sends the batch.
      if (this.producer === producer) {
        this.producer = undefined;
        this.connecting = undefined;
      }
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect();
  }
}

export function createKafkaEventStream(options: KafkaStreamOptions): KafkaEventStream {
  return new KafkaEventStream(options);
}
