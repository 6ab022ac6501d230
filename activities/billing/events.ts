import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CoreDeps } from '../../platform/deps';
import { countBillingEvent } from '../../platform/metrics/business';
import type { WebhookDeliveryInput } from '../../domain/billing/types';
import { appendBillingEvent, type BillingEvent } from '../../stores/billing/events';
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
  const { db, config, temporal } = deps;
  // With Kafka configured, the event's outbox row is written in the same transaction (published by the API's relay).
  if (await appendBillingEvent(db, event, { outbox: Boolean(config.KAFKA_BROKERS) })) {
    const { dunningCancelled } = countBillingEvent(deps, event);
    if (dunningCancelled) {
      // One cancellation is business as usual; many within the window is a payments problem.
      deps.ports.alerts.raise({ key: 'billing/dunning-cancellations', kind: 'billing.dunning_cancellation_spike', severity: 'error', subject: 'Subscriptions cancelled for non-payment are spiking', minOccurrences: config.ALERT_DUNNING_SPIKE, detail: { lastSubscriptionId: event.subjectId ?? null } });
    }
  }
  for (const endpointId of await activeEndpointIdsFor(db, event.type)) {
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
