import { createPayment, recordPaymentChange } from '../../stores/payments/payments';
import { countPayment } from '../../platform/metrics/business';
import { findAccount } from '../../stores/accounts/accounts';
import { activatePurchase, endPurchase, findPurchase, setPurchasePayment } from '../../stores/billing/purchases';
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
      await setPurchasePayment(db, input.purchaseId, paymentId);
      let decline: Decline | undefined;
      let providerPaymentId: string | undefined;
      try {
        const auth = await ports.payments.authorize({ amount: input.amount, paymentMethod: input.paymentMethod, description: input.description, metadata: { purchaseId: input.purchaseId } }, { idempotencyKey: `${workflowId}/authorize` });
        providerPaymentId = auth.providerPaymentId;
        if (auth.status !== 'requires_capture' && auth.status !== 'succeeded') decline = declineOfResult(auth);
        if (!decline) {
          countPayment(deps, await recordPaymentChange(db, paymentId, { status: 'authorized', providerPaymentId }, { id: `${paymentId}/authorized`, type: 'payment.authorized', correlationId: workflowId }));
          const captured = auth.status === 'succeeded' ? auth : await ports.payments.capture({ providerPaymentId }, { idempotencyKey: `${workflowId}/capture` });
          decline = declineOfResult(captured);
        }
      } catch (error) {
        decline = declineOf(error);
        if (!decline) throw error;
      }
      if (decline) {
        countPayment(deps, await recordPaymentChange(db, paymentId, { status: 'failed', providerPaymentId, failureCode: decline.code, failureMessage: decline.message }, { id: `${paymentId}/failed`, type: 'payment.failed', data: { code: decline.code }, correlationId: workflowId }));
        return { ok: false, paymentId, decline };
      }
      countPayment(deps, await recordPaymentChange(db, paymentId, { status: 'captured', providerPaymentId, amountCaptured: input.amount.amount }, { id: `${paymentId}/captured`, type: 'payment.captured', data: { amount: input.amount }, correlationId: workflowId }), input.amount.amount);
      return { ok: true, paymentId };
    },

    /** Grants access from now for `accessMs` (forever when absent); answers the receipt's details. */
    async billingActivatePurchase(input: { purchaseId: string; accessMs?: number }): Promise<{ email: string; name: string; grantedAt: number; expiresAt: number | null }> {
      const row = await findPurchase(db, input.purchaseId);
      if (!row) throw new Error(`purchase ${input.purchaseId} does not exist`);
      let grantedAt: number = row.access_granted_at ? row.access_granted_at.getTime() : Date.now();
      let expiresAt: number | null = row.access_expires_at ? row.access_expires_at.getTime() : null;
      if (!row.access_granted_at) {
        grantedAt = Date.now();
        expiresAt = input.accessMs === undefined ? null : grantedAt + input.accessMs;
        await activatePurchase(db, input.purchaseId, new Date(grantedAt), expiresAt === null ? null : new Date(expiresAt));
      }
      const account = await findAccount(db, row.account_id);
      await recordBillingEvent(deps, { id: `purchase-${input.purchaseId}/completed`, type: 'purchase.completed', accountId: row.account_id, subjectId: input.purchaseId, data: { productId: row.product_id, amount: { amount: Number(row.amount), currency: row.currency }, paymentId: row.payment_id, accessExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() } });
      return { email: account?.email ?? '', name: account?.name ?? '', grantedAt, expiresAt };
    },

    /** Ends a purchase: `expired` at the end of its access, `failed` when the charge was declined. */
    async billingEndPurchase(input: { purchaseId: string; status: 'expired' | 'failed'; code?: string }): Promise<void> {
      const row = await findPurchase(db, input.purchaseId);
      // Refunded in full before its access ran out: access already ended with the refund.
      if (row?.status === 'refunded') return;
      await endPurchase(db, input.purchaseId, input.status, input.code ?? null);
      await recordBillingEvent(deps, { id: `purchase-${input.purchaseId}/${input.status}`, type: input.status === 'expired' ? 'purchase.expired' : 'purchase.failed', accountId: row?.account_id, subjectId: input.purchaseId, data: { productId: row?.product_id, code: input.code ?? null } });
    },
  };
}
