import { ApplicationFailure } from '@temporalio/activity';
import type { Money } from '../../domain/money';
import { ledgerAccounts } from '../../domain/shoutouts';
import type { CoreDeps } from '../../platform/deps';
import { postLedgerTransaction } from '../../stores/ledger/ledger';
import { createPayment, getPayment, recordPaymentChange } from '../../stores/payments/payments';
import { countPayment, countShoutoutStage } from '../../platform/metrics/business';
import { withPaymentFailures } from '../payments/failures';
import { applyOrderChange, getOrderRow, type OrderChange } from '../../stores/shoutouts/orders';
import { completeRefund, countRefundsUpTo, getRefund, markRefundFailed } from '../../stores/shoutouts/refunds';

export { createShoutoutsMediaActivities } from './media';

export interface ShoutoutAuthorizeInput {
  orderId: string;
  workflowId: string;
  /** 1 for the first authorisation, 2… for re-authorisations before the provider's window ends. */
  attempt: number;
  fanId: string;
  amount: Money;
  paymentMethod: string;
}

export interface ShoutoutAuthorization {
  paymentId: string;
  providerPaymentId: string;
}

export interface ShoutoutReleaseInput {
  orderId: string;
  workflowId: string;
  paymentId: string;
  /** Names the step in idempotency keys: `void`, `void/2`, … */
  step: string;
  reason: string;
}

export interface ShoutoutCaptureInput {
  orderId: string;
  workflowId: string;
  paymentId: string;
}

export interface ShoutoutLedgerInput {
  orderId: string;
  workflowId: string;
  fanId: string;
  talentId: string;
  talentShare: Money;
  platformFee: Money;
}

export const authorizeKey = (workflowId: string, attempt: number) => (attempt === 1 ? `${workflowId}/authorize` : `${workflowId}/authorize/${attempt}`);
export const paymentIdOf = (orderId: string, attempt: number) => `pay_${orderId}_${attempt}`;

/** Activities of the shoutouts capability. Names are unique across the platform (they share one worker). */
export function createShoutoutsActivities(deps: CoreDeps) {
  const { db, ports } = deps;
  const gateway = () => ports.payments;

  return {
    /** Writes the workflow's step to the order row and its timeline (idempotent by event id). */
    async shoutoutRecord(change: OrderChange): Promise<void> {
      const { appended } = await applyOrderChange(db, change);
      if (appended && change.event) countShoutoutStage(deps, change.orderId, change.workflowId, change.event.type);
    },

    /** Authorises the order's price (manual capture). A decline fails for good (`PaymentError`, non-retryable). */
    async shoutoutAuthorize(input: ShoutoutAuthorizeInput): Promise<ShoutoutAuthorization> {
      const paymentId = paymentIdOf(input.orderId, input.attempt);
      const key = authorizeKey(input.workflowId, input.attempt);
      await createPayment(db, { id: paymentId, accountId: input.fanId, kind: 'shoutout', reference: input.orderId, provider: gateway().provider, amount: input.amount, workflowId: input.workflowId });
      try {
        const result = await withPaymentFailures(() =>
          gateway().authorize(
            { amount: input.amount, paymentMethod: input.paymentMethod, description: `Shoutout ${input.orderId}`, metadata: { orderId: input.orderId, workflowId: input.workflowId } },
            { idempotencyKey: key },
          ),
        );
        countPayment(deps, await recordPaymentChange(db, paymentId, { status: 'authorized', providerPaymentId: result.providerPaymentId }, { id: key, type: 'payment.authorized', data: { providerPaymentId: result.providerPaymentId }, correlationId: input.workflowId }));
        return { paymentId, providerPaymentId: result.providerPaymentId };
      } catch (error) {
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          countPayment(deps, await recordPaymentChange(db, paymentId, { status: 'failed', failureCode: (error.details?.[0] as { code?: string } | undefined)?.code ?? error.type ?? 'failed', failureMessage: error.message }, { id: `${key}/failed`, type: 'payment.failed', data: { message: error.message }, correlationId: input.workflowId }));
        }
        throw error;
      }
    },

    /**
     * Releases the money of a payment that will not be delivered: voids the authorisation, or
     * refunds whatever was captured. Idempotent by `<workflowId>/<step>`.
     */
    async shoutoutRelease(input: ShoutoutReleaseInput): Promise<{ action: 'voided' | 'refunded' | 'none' }> {
      const payment = await getPayment(db, input.paymentId);
      if (!payment || !payment.providerPaymentId) return { action: 'none' };
      const key = `${input.workflowId}/${input.step}`;
      if (payment.status === 'voided' || payment.status === 'failed' || payment.status === 'refunded') return { action: 'none' };
      const outstanding = payment.amountCaptured - payment.amountRefunded;
      if (payment.amountCaptured > 0) {
        if (outstanding <= 0) return { action: 'none' };
        const refund = await withPaymentFailures(() => gateway().refund({ providerPaymentId: payment.providerPaymentId!, amount: outstanding, reason: input.reason }, { idempotencyKey: key }));
        countPayment(deps, await recordPaymentChange(db, payment.id, { status: 'refunded', amountRefunded: payment.amountCaptured }, { id: key, type: 'payment.refunded', data: { providerRefundId: refund.providerRefundId, amount: outstanding, reason: input.reason }, correlationId: input.workflowId }), outstanding);
        return { action: 'refunded' };
      }
      await withPaymentFailures(() => gateway().cancel({ providerPaymentId: payment.providerPaymentId!, reason: input.reason }, { idempotencyKey: key }));
      countPayment(deps, await recordPaymentChange(db, payment.id, { status: 'voided' }, { id: key, type: 'payment.voided', data: { reason: input.reason }, correlationId: input.workflowId }));
      return { action: 'voided' };
    },

    /** Captures the whole authorisation once (`<workflowId>/capture`). */
    async shoutoutCapture(input: ShoutoutCaptureInput): Promise<{ amountCaptured: number }> {
      const payment = await getPayment(db, input.paymentId);
      if (!payment?.providerPaymentId) throw ApplicationFailure.nonRetryable(`payment ${input.paymentId} has no authorisation`, 'PaymentError');
      const key = `${input.workflowId}/capture`;
      const result = await withPaymentFailures(() => gateway().capture({ providerPaymentId: payment.providerPaymentId! }, { idempotencyKey: key }));
      countPayment(deps, await recordPaymentChange(db, payment.id, { status: 'captured', amountCaptured: result.amountCaptured }, { id: key, type: 'payment.captured', data: { amount: result.amountCaptured }, correlationId: input.workflowId }), result.amountCaptured);
      return { amountCaptured: result.amountCaptured };
    },

    /** fan payment = talent share + platform fee, posted once (`<workflowId>/ledger/capture`). */
    async shoutoutPostLedger(input: ShoutoutLedgerInput): Promise<void> {
      const price = input.talentShare.amount + input.platformFee.amount;
      const currency = input.talentShare.currency;
      await postLedgerTransaction(db, {
        id: `${input.workflowId}/ledger/capture`,
        kind: 'shoutout.capture',
        reference: input.orderId,
        description: `Shoutout ${input.orderId} delivered`,
        entries: [
          { account: ledgerAccounts.customer(input.fanId), amount: { amount: -price, currency } },
          { account: ledgerAccounts.talentPayable(input.talentId), amount: input.talentShare },
          { account: ledgerAccounts.platformFees, amount: input.platformFee },
        ].filter((e, i) => i === 0 || e.amount.amount !== 0),
      });
    },

    /**
     * An admin refund after delivery (workflow `shoutout-<orderId>-refund-<refundId>`): refunds at
     * the provider, reverses the ledger in proportion to the order's split, marks the refund done.
     */
    async shoutoutExecuteRefund(input: { refundId: string; workflowId: string }): Promise<{ amount: Money; refundedTotal: number; orderStatus: string }> {
      const refund = await getRefund(db, input.refundId);
      if (!refund) throw ApplicationFailure.nonRetryable(`refund ${input.refundId} does not exist`, 'NotFound');
      const order = (await getOrderRow(db, refund.order_id))!;
      const payment = order.payment_id ? await getPayment(db, order.payment_id) : undefined;
      if (!payment?.providerPaymentId) throw ApplicationFailure.nonRetryable(`order ${order.id} has no captured payment`, 'PaymentError');
      const key = `${input.workflowId}/refund`;
      const amount: Money = { amount: Number(refund.amount), currency: refund.currency };
      let providerRefundId = refund.provider_refund_id;
      if (refund.status === 'pending') {
        try {
          const result = await withPaymentFailures(() => gateway().refund({ providerPaymentId: payment.providerPaymentId!, amount: amount.amount, reason: refund.reason }, { idempotencyKey: key }));
          providerRefundId = result.providerRefundId;
        } catch (error) {
          if (error instanceof ApplicationFailure && error.nonRetryable) await markRefundFailed(db, refund.id, error.message);
          throw error;
        }
      }
      const { talentPortion, feePortion } = { talentPortion: Number(refund.talent_portion), feePortion: Number(refund.fee_portion) };
      await postLedgerTransaction(db, {
        id: `${input.workflowId}/ledger`,
        kind: 'shoutout.refund',
        reference: order.id,
        description: `Refund ${refund.id} of shoutout ${order.id}`,
        entries: [
          { account: ledgerAccounts.customer(order.fan_id), amount },
          { account: ledgerAccounts.talentPayable(order.talent_id), amount: { amount: -talentPortion, currency: amount.currency } },
          { account: ledgerAccounts.platformFees, amount: { amount: -feePortion, currency: amount.currency } },
        ].filter((e, i) => i === 0 || e.amount.amount !== 0),
      });
      const { refundedTotal, status } = await completeRefund(db, refund, order, providerRefundId);
      countPayment(
        deps,
        await recordPaymentChange(
          db,
          payment.id,
          { amountRefunded: refundedTotal, status: refundedTotal >= payment.amountCaptured ? 'refunded' : 'partially_refunded' },
          { id: key, type: 'payment.refunded', data: { providerRefundId, amount: amount.amount, reason: refund.reason }, correlationId: input.workflowId },
        ),
        amount.amount,
      );
      const seq = 10_000 + (await countRefundsUpTo(db, order.id, refund.created_at));
      const { appended } = await applyOrderChange(db, { orderId: order.id, workflowId: input.workflowId, event: { seq, type: 'refunded', at: new Date().toISOString(), data: { refundId: refund.id, amount, reason: refund.reason } } });
      if (appended) countShoutoutStage(deps, order.id, input.workflowId, 'refunded');
      return { amount, refundedTotal, orderStatus: status };
    },
  };
}

export type ShoutoutsActivities = ReturnType<typeof createShoutoutsActivities>;
