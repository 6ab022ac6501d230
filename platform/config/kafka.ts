import { z } from 'zod';
import { duration, optionalString } from './env';

/** Reporting events on Kafka (beside the signed webhooks), from the billing event outbox. */
export const kafkaSchema = z.object({
  KAFKA_BROKERS: optionalString,
  KAFKA_TOPIC: z.string().default('limelight.billing-events'),
  KAFKA_CLIENT_ID: z.string().default('limelight'),
  KAFKA_RELAY_INTERVAL: duration('1s'),
});
