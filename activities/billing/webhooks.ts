import { createHmac } from 'node:crypto';
import type { CoreDeps } from '../../platform/deps';

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
    async billingDeliverWebhook(input: { deliveryId: string; attempt: number }): Promise<{ ok: boolean; statusCode: number | null; error: string | null }> {
      const delivery = await db('webhook_deliveries').where({ id: input.deliveryId }).first();
      if (!delivery) return { ok: false, statusCode: null, error: 'delivery not found' };
      if (delivery.status === 'delivered') return { ok: true, statusCode: delivery.last_status_code, error: null };
      const endpoint = await db('webhook_endpoints').where({ id: delivery.endpoint_id }).first();
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
