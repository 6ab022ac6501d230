import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { CoreDeps } from '../../platform/deps';
import { recordBillingEvent } from './events';

export const SIGNATURE_HEADER = 'limelight-signature';
export const TIMESTAMP_HEADER = 'limelight-timestamp';

/**
 * The signature a receiver checks: hex HMAC-SHA256 with the endpoint's secret over
 * `<timestamp>.<raw body>`, sent as `Limelight-Signature: t=<timestamp>,v1=<hex>` beside
 * `Limelight-Timestamp: <unix seconds>`. Receivers should reject timestamps older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createWebhookActivities(deps: CoreDeps) {
  const { db, config } = deps;
  return {
    /** One attempt to post the event to the endpoint; every attempt is recorded. Never throws for an HTTP answer. */
    async billingDeliverWebhook(input: { deliveryId: string; attempt: number }): Promise<{ ok: boolean; statusCode: number | null; error: string | null; stop?: boolean }> {
      const delivery = await db('webhook_deliveries').where({ id: input.deliveryId }).first();
      if (!delivery) return { ok: false, statusCode: null, error: 'delivery not found', stop: true };
      if (delivery.status === 'delivered') return { ok: true, statusCode: delivery.last_status_code, error: null };
      const endpoint = await db('webhook_endpoints').where({ id: delivery.endpoint_id }).first();
      if (!endpoint?.active) {
        // The endpoint was removed: what is still pending for it is given up, not retried for days.
        await db('webhook_deliveries').where({ id: delivery.id }).update({ status: 'failed', last_error: 'endpoint removed', next_attempt_at: null, updated_at: db.fn.now() });
        return { ok: false, statusCode: null, error: 'endpoint removed', stop: true };
      }
      const event = await db('billing_events').where({ id: delivery.event_id }).first();
      const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.created_at.toISOString(), accountId: event.account_id, subjectId: event.subject_id, data: event.data, deliveryId: delivery.id, attempt: input.attempt });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = signWebhook(endpoint.secret, timestamp, body);
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(endpoint.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Limelight-Webhooks/1', [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}`, [TIMESTAMP_HEADER]: String(timestamp), 'limelight-event-id': event.id, 'limelight-delivery-id': delivery.id },
          body,
          signal: AbortSignal.timeout(config.BILLING_WEBHOOK_TIMEOUT),
          redirect: 'manual',
        });
        statusCode = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      const ok = error === null;
      await db.transaction(async (trx) => {
        await trx('webhook_delivery_attempts').insert({ delivery_id: delivery.id, attempt: input.attempt, status_code: statusCode, error, duration_ms: Date.now() - started }).onConflict(['delivery_id', 'attempt']).ignore();
        await trx('webhook_deliveries')
          .where({ id: delivery.id })
          .update({ attempts: trx.raw('greatest(attempts, ?)', [input.attempt]), last_status_code: statusCode, last_error: error, status: ok ? 'delivered' : 'retrying', delivered_at: ok ? trx.fn.now() : null, updated_at: trx.fn.now() });
      });
      return { ok, statusCode, error };
    },

    /** Records when the next attempt is due, or that the delivery gave up. */
    async billingScheduleWebhookRetry(input: { deliveryId: string; nextAttemptAt: number | null }): Promise<void> {
      await db('webhook_deliveries')
        .where({ id: input.deliveryId })
        .update(input.nextAttemptAt === null ? { status: 'failed', next_attempt_at: null, updated_at: db.fn.now() } : { next_attempt_at: new Date(input.nextAttemptAt), updated_at: db.fn.now() });
    },

    /**
     * The price change the notice is about, once its transaction has committed (the API starts the
     * notice inside that transaction); its reporting event is appended here, once. Retried while the
     * row is not visible yet; a change whose transaction rolled back is never found.
     */
    async billingConfirmPriceChange(input: { changeId: string }): Promise<void> {
      const row = await db('product_price_changes').where({ id: input.changeId }).first();
      if (!row) throw ApplicationFailure.retryable(`price change ${input.changeId} is not committed (yet)`, 'PriceChangeNotCommitted');
      const money = (amount: unknown) => ({ amount: Number(amount), currency: row.currency as string });
      await recordBillingEvent(deps, { id: `price-change-${row.id}`, type: 'product.price_changed', subjectId: row.product_id, data: { productId: row.product_id, oldPrice: money(row.old_amount), newPrice: money(row.amount), subscribersFrom: row.subscribers_from.toISOString() } });
    },

    /** A page of the subscribers of a plan to tell about a price change. */
    async billingPriceNoticeRecipients(input: { planId: string; afterId: string; limit: number }): Promise<{ subscriptionId: string; email: string }[]> {
      const rows: { id: string; email: string }[] = await db('subscriptions as s')
        .join('accounts as a', 'a.id', 's.account_id')
        .select('s.id', 'a.email')
        .where('s.plan_id', input.planId)
        .whereIn('s.status', ['trialing', 'active', 'past_due'])
        .andWhere('s.id', '>', input.afterId)
        .orderBy('s.id')
        .limit(input.limit);
      return rows.map((r) => ({ subscriptionId: r.id, email: r.email }));
    },
  };
}
