import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CoreDeps } from '../../platform/deps';
import { countBillingEvent } from '../../platform/metrics/business';
import type { WebhookDeliveryInput } from '../../domain/billing/types';
import { appendBillingEvent, recordSubscriptionChange, type BillingEvent } from '../../stores/billing/events';
import type { SubscriptionRowPatch } from '../../stores/billing/subscriptions';
import { activeEndpointIdsFor } from '../../stores/billing/webhook-endpoints';
import { ensureDelivery } from '../../stores/billing/webhook-deliveries';

export { BILLING_EVENT_TYPES, type BillingEvent, type BillingEventType } from '../../stores/billing/events';

export function deliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${deliveryId}`;
}

/**
 * Appends the event to the log (once, by id), with its Kafka outbox row when Kafka is on, and fans it out: one delivery row and one delivery
 * workflow per subscribed endpoint. Fan-out runs on every call and is idempotent (delivery ids
 * come from the event and endpoint ids; a workflow id is never started twice), so a retried
 * activity cannot lose or duplicate a delivery.
 */
export async function recordBillingEvent(deps: CoreDeps, event: BillingEvent): Promise<void> {
  const { db, config } = deps;
  // With Kafka configured, the event's outbox row is written in the same transaction (published by the API's relay).
  const inserted = await appendBillingEvent(db, event, { outbox: Boolean(config.KAFKA_BROKERS) });
  await afterBillingEvent(deps, event, inserted, await activeEndpointIdsFor(db, event.type));
}

/** A subscription's row change with the event it reports (one statement), then the event's metrics and fan-out. */
export async function recordSubscriptionEvent(deps: CoreDeps, subscriptionId: string, row: SubscriptionRowPatch, event: BillingEvent): Promise<void> {
  const { inserted, endpointIds } = await recordSubscriptionChange(deps.db, subscriptionId, row, event, { outbox: Boolean(deps.config.KAFKA_BROKERS) });
  await afterBillingEvent(deps, event, inserted, endpointIds);
}

async function afterBillingEvent(deps: CoreDeps, event: BillingEvent, inserted: boolean, endpointIds: string[]): Promise<void> {
  const { db, config, temporal } = deps;
  if (inserted) {
    const { dunningCancelled } = countBillingEvent(deps, event);
    if (dunningCancelled) {
      // One cancellation is business as usual; many within the window is a payments problem.
      deps.ports.alerts.raise({ key: 'billing/dunning-cancellations', kind: 'billing.dunning_cancellation_spike', severity: 'error', subject: 'Subscriptions cancelled for non-payment are spiking', minOccurrences: config.ALERT_DUNNING_SPIKE, detail: { lastSubscriptionId: event.subjectId ?? null } });
    }
  }
  for (const endpointId of endpointIds) {
    const deliveryId = `${endpointId}:${event.id}`;
    await ensureDelivery(db, { id: deliveryId, endpointId, eventId: event.id });
    const input: WebhookDeliveryInput = {
      deliveryId,
      initialBackoffMs: config.BILLING_WEBHOOK_BACKOFF,
      maxBackoffMs: config.BILLING_WEBHOOK_BACKOFF_MAX,
      retryForMs: config.BILLING_WEBHOOK_RETRY_FOR,
    };
    try {
      await temporal.workflow.start('webhookDelivery', { taskQueue: config.TASK_QUEUE, workflowId: deliveryWorkflowId(deliveryId), args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
