import { createKafkaEventStream } from './kafka';
import type { EventStream } from './port';

export type { EventStream, StreamMessage } from './port';
export { KafkaEventStream, createKafkaEventStream } from './kafka';

/** Kafka when KAFKA_BROKERS is set (comma-separated host:port), else no stream (webhooks only). */
export function createEventStream(config: { KAFKA_BROKERS?: string; KAFKA_CLIENT_ID: string }): EventStream | undefined {
  const brokers = (config.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  return brokers.length ? createKafkaEventStream({ brokers, clientId: config.KAFKA_CLIENT_ID }) : undefined;
}
