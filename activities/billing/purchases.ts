import { createPayment, recordPaymentChange } from '../../stores/payments/payments';
import type { Money } from '../../domain/money';
import type { CoreDeps } from '../../platform/deps';
import { recordBillingEvent } from './events';
import { declineOf, declineOfResult, type Decline } from './gateway';

export function purchasePaymentId(purchaseId: string): string {
  return `pay_${purchaseId}`;
}

export function createPurchaseActivities(deps: CoreDeps) {
  const { db, ports } = deps;
  return {
    /** Authorises and captures a film purchase (keys `purchase-<id>/authorize`, `/capture`). */
    async billingChargePurchase(input: { purchaseId: string; accountId: string; amount: Money; paymentMethod: string; description: string }): Promise<{ ok: true; paymentId: string } | { ok: false; paymentId: string; decline: Decline }> {
      const workflowId = `purchase-${input.purchaseId}`;
      const paymentId = purchasePaymentId(input.purchaseId);
      await createPayment(db, { id: paymentId, accountId: input.accountId, kind: 'film', reference: input.purchaseId, provider: ports.payments.provider, amount: input.amount, workflowId });
      await db('purchases').where({ id: input.purchaseId }).update({ payment_id: paymentId, updated_at: db.fn.now() });
      let decline: Decline | undefined;
      let providerPaymentId: string | undefined;
      try {
        const auth = await ports.payments.authorize({ amount: input.amount, paymentMethod: input.paymentMethod, description: input.description, metadata: { purchaseId: input.purchaseId } }, { idempotencyKey: `${workflowId}/authorize` });
        providerPaymentId = auth.providerPaymentId;
        if (auth.status !== 'requires_capture' && auth.status !== 'succeeded') decline = declineOfResult(auth);
        if (!decline) {
          await recordPaymentChange(db, paymentId, { status: 'authorized', providerPaymentId }, { id: `${paymentId}/authorized`, type: 'payment.authorized', correlationId: workflowId });
          const captured = auth.status === 'succeeded' ? auth : await ports.payments.capture({ providerPaymentId }, { idempotencyKey: `${workflowId}/capture` });
          decline = declineOfResult(captured);
        }
      } catch (error) {
        decline = declineOf(error);
        if (!decline) throw error;
      }
      if (decline) {
        await recordPaymentChange(db, paymentId, { status: 'failed', providerPaymentId, failureCode: decline.code, failureMessage: decline.message }, { id: `${paymentId}/failed`, type: 'payment.failed', data: { code: decline.code }, correlationId: workflowId });
        return { ok: false, paymentId, decline };
      }
      await recordPaymentChange(db, paymentId, { status: 'captured', providerPaymentId, amountCaptured: input.amount.amount }, { id: `${paymentId}/captured`, type: 'payment.captured', data: { amount: input.amount }, correlationId: workflowId });
      return { ok: true, paymentId };
    },

    /** Grants access from now for `accessMs` (forever when absent); answers the receipt's details. */
    async billingActivatePurchase(input: { purchaseId: string; accessMs?: number }): Promise<{ email: string; grantedAt: number; expiresAt: number | null }> {
      const row = await db('purchases').where({ id: input.purchaseId }).first();
      let grantedAt: number = row.access_granted_at ? row.access_granted_at.getTime() : Date.now();
      let expiresAt: number | null = row.access_expires_at ? row.access_expires_at.getTime() : null;
      if (!row.access_granted_at) {
        grantedAt = Date.now();
        expiresAt = input.accessMs === undefined ? null : grantedAt + input.accessMs;
        // Only a pending purchase becomes active (a refund may have ended it already).
        await db('purchases').where({ id: input.purchaseId, status: 'pending' }).update({ status: 'active', access_granted_at: new Date(grantedAt), access_expires_at: expiresAt === null ? null : new Date(expiresAt), updated_at: db.fn.now() });
      }
      const account = await db('accounts').where({ id: row.account_id }).first('email');
      await recordBillingEvent(deps, { id: `purchase-${input.purchaseId}/completed`, type: 'purchase.completed', accountId: row.account_id, subjectId: input.purchaseId, data: { productId: row.product_id, amount: { amount: Number(row.amount), currency: row.currency }, paymentId: row.payment_id, accessExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() } });
      return { email: account?.email ?? '', grantedAt, expiresAt };
    },

    /** Ends a purchase: `expired` at the end of its access, `failed` when the charge was declined. */
    async billingEndPurchase(input: { purchaseId: string; status: 'expired' | 'failed'; code?: string }): Promise<void> {
      const row = await db('purchases').where({ id: input.purchaseId }).first();
      // Refunded in full before its access ran out: access already ended with the refund.
      if (row?.status === 'refunded') return;
      await db('purchases').where({ id: input.purchaseId }).whereIn('status', ['pending', 'active']).update({ status: input.status, failure_code: input.code ?? null, updated_at: db.fn.now() });
      await recordBillingEvent(deps, { id: `purchase-${input.purchaseId}/${input.status}`, type: input.status === 'expired' ? 'purchase.expired' : 'purchase.failed', accountId: row?.account_id, subjectId: input.purchaseId, data: { productId: row?.product_id, code: input.code ?? null } });
    },
  };
}
