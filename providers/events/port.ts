/**
 * The event stream port: reporting events leave the platform as keyed messages on a topic.
 * Adapters: Kafka (kafkajs, when KAFKA_BROKERS is set). Ordering holds per key; delivery is at
 * least once, so every message carries its event id (header `event-id`) for consumers to dedupe.
 */
export interface StreamMessage {
  /** Partition key: messages with the same key stay in order. */
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface EventStream {
  /** Resolves once the brokers acknowledged every message (all in-sync replicas); rejects otherwise. */
  publish(topic: string, messages: StreamMessage[]): Promise<void>;
  close(): Promise<void>;
}
