import { ApplicationFailure } from '@temporalio/activity';
import { createPayment, getPayment, recordPaymentChange } from '../../stores/payments/payments';
import { countPayment } from '../../platform/metrics/business';
import { postLedgerTransaction, type LedgerEntry } from '../../stores/ledger/ledger';
import type { Money } from '../../domain/money';
import { PLATFORM_PARTY, type AllocationLine } from '../../domain/splits/allocation';
import type { CoreDeps } from '../../platform/deps';
import { paymentFailure } from '../payments/failures';
import { isPaymentError, type PaymentError } from '../../providers/payments/port';
import { splitMetrics, timed } from './metrics';
import { appendSplitEvent, appendSplitEvents, type NewSplitEvent } from '../../stores/splits/events';
import { getSplitState } from '../../stores/splits/projection';
import { raiseAdminAlertOnce } from '../../stores/platform/admin-alerts';
import { activeAdminEmails } from '../../stores/accounts/accounts';

/**
 * The split-payment saga's steps. Each one moves money with an idempotency key derived from the
 * workflow id and the step (`split-<id>/charge`, `split-<id>/transfer/<payoutAccountId>`), and
 * records what happened as an event with a deterministic id, so a retried step — after a crash,
 * a timeout, a worker restart — neither moves money twice nor appends twice.
 *
 * Forward steps turn a provider's business refusal into a non-retryable failure (the workflow then
 * compensates). Compensation steps never fail on a refusal: they record it, raise an admin alert
 * and answer `refused`, and they retry infrastructure failures until done.
 */
export interface StepRef {
  splitId: string;
  workflowId: string;
  /** The event that caused this step. */
  causationId: string;
}

export type CompensationOutcome = { status: 'done'; eventId: string } | { status: 'refused'; eventId: string; alertId: string; code: string; message: string; adminEmails: string[] };

export function createSplitStepActivities(deps: CoreDeps) {
  const { db, ports } = deps;
  const metrics = splitMetrics(deps.metrics);
  const gateway = () => ports.payments;
  const paymentId = (splitId: string) => `pay_${splitId}`;

  const append = (ref: StepRef, id: string, type: NewSplitEvent['type'], data: Record<string, unknown>) =>
    appendSplitEvent(db, { id, aggregateId: ref.splitId, type, data, correlationId: ref.workflowId, causationId: ref.causationId });

  /** Records the refusal as an admin alert (once per key) and answers who to email about it. */
  async function raiseAlert(key: string, splitId: string, subject: string, detail: Record<string, unknown>): Promise<{ alertId: string; adminEmails: string[] }> {
    const { id: alertId, raised } = await raiseAdminAlertOnce(db, { key, kind: 'split.compensation_refused', subject, aggregateId: splitId, detail });
    // The saga emails the admins itself; Telegram and Sentry hear of it once (a retried step raised it already).
    if (raised) ports.alerts.raise({ key, kind: 'split.compensation_refused', severity: 'critical', subject, aggregateId: splitId, detail, alreadyRecorded: true });
    return { alertId, adminEmails: await activeAdminEmails(db, 20) };
  }

  /** The split's ledger lines: the provider's clearing account against each party's share. */
  const ledgerEntries = (total: Money, allocation: AllocationLine[]): LedgerEntry[] =>
    [
      { account: `provider:${gateway().provider}:clearing`, amount: total },
      ...allocation.map((l) => ({ account: l.party === PLATFORM_PARTY ? 'platform:fees' : `payout:${l.party}:transferred`, amount: { amount: -l.amount.amount, currency: l.amount.currency } })),
    ].filter((e) => e.amount.amount !== 0);

  /** Posts the split's balanced ledger transaction (`<wf>/ledger`, idempotent by that id) and answers its id. */
  async function postSplitLedger(input: StepRef & { total: Money; allocation: AllocationLine[] }): Promise<string> {
    const id = `${input.workflowId}/ledger`;
    try {
      await postLedgerTransaction(db, { id, kind: 'split', reference: input.splitId, description: `split payment ${input.splitId}`, entries: ledgerEntries(input.total, input.allocation) });
    } catch (error) {
      if (error instanceof RangeError) throw ApplicationFailure.nonRetryable(error.message, 'LedgerImbalance');
      throw error;
    }
    return id;
  }

  return {
    /** Charges the payer: authorise + capture (`<wf>/charge`, `<wf>/charge/capture`); a refused capture voids the authorisation. */
    async splitCharge(input: StepRef & { total: Money; paymentMethod: string; description: string; createdBy: string }): Promise<{ providerPaymentId: string; eventId: string }> {
      return timed(metrics, 'charge', async () => {
        const wf = input.workflowId;
        await createPayment(db, { id: paymentId(input.splitId), accountId: input.createdBy, kind: 'split', reference: input.splitId, provider: gateway().provider, amount: input.total, workflowId: wf });
        let providerPaymentId: string | undefined;
        try {
          const authorised = await gateway().authorize({ amount: input.total, paymentMethod: input.paymentMethod, description: input.description, metadata: { splitId: input.splitId, workflowId: wf } }, { idempotencyKey: `${wf}/charge` });
          providerPaymentId = authorised.providerPaymentId;
          await gateway().capture({ providerPaymentId }, { idempotencyKey: `${wf}/charge/capture` });
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          if (providerPaymentId) await gateway().cancel({ providerPaymentId, reason: 'abandoned' }, { idempotencyKey: `${wf}/charge/cancel` }).catch(() => undefined);
          countPayment(deps, await recordPaymentChange(db, paymentId(input.splitId), { status: 'failed', failureCode: error.code, failureMessage: error.message, ...(providerPaymentId ? { providerPaymentId } : {}) }, { id: `${wf}/charge/failed`, type: 'payment.failed', data: { code: error.code }, correlationId: wf }));
          await append(input, `${wf}/charge/failed`, 'split.charge_failed', { code: error.code, declineCode: error.declineCode ?? null, message: error.message });
          throw paymentFailure(error as PaymentError);
        }
        countPayment(deps, await recordPaymentChange(db, paymentId(input.splitId), { status: 'captured', providerPaymentId, amountCaptured: input.total.amount }, { id: `${wf}/charge/captured`, type: 'payment.captured', data: { providerPaymentId }, correlationId: wf }), input.total.amount);
        const { event } = await append(input, `${wf}/charge`, 'split.charge_succeeded', { providerPaymentId, amount: input.total });
        return { providerPaymentId, eventId: event.id };
      });
    },

    /** Transfers one recipient's share to its connected account, tied to the charge (`<wf>/transfer/<payoutAccountId>`). */
    async splitTransfer(input: StepRef & { payoutAccountId: string; destination: string; amount: Money; sourcePaymentId: string }): Promise<{ providerTransferId: string; eventId: string }> {
      return timed(metrics, 'transfer', async () => {
        const key = `${input.workflowId}/transfer/${input.payoutAccountId}`;
        try {
          const t = await gateway().transfer(
            { amount: input.amount, destination: input.destination, sourcePaymentId: input.sourcePaymentId, transferGroup: input.workflowId, metadata: { splitId: input.splitId, payoutAccountId: input.payoutAccountId } },
            { idempotencyKey: key },
          );
          const { event } = await append(input, key, 'split.transfer_succeeded', { payoutAccountId: input.payoutAccountId, providerTransferId: t.providerTransferId, amount: input.amount });
          return { providerTransferId: t.providerTransferId, eventId: event.id };
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          await append(input, `${key}/failed`, 'split.transfer_failed', { payoutAccountId: input.payoutAccountId, code: error.code, message: error.message });
          throw paymentFailure(error);
        }
      });
    },

    /** Posts the balanced ledger transaction of the split (`<wf>/ledger`). */
    async splitPostLedger(input: StepRef & { total: Money; allocation: AllocationLine[] }): Promise<{ eventId: string }> {
      return timed(metrics, 'ledger', async () => {
        const id = await postSplitLedger(input);
        const { event } = await append(input, id, 'split.ledger_posted', { transactionId: id });
        return { eventId: event.id };
      });
    },

    /**
     * The last forward step of the saga (local activity, no server round trip): posts the balanced
     * ledger transaction (`<wf>/ledger`), then records `split.ledger_posted` and `split.succeeded`
     * together, in one write. From here the money result is final; the emails come after it.
     */
    async splitSettle(input: StepRef & { total: Money; allocation: AllocationLine[] }): Promise<{ eventId: string }> {
      return timed(metrics, 'settle', async () => {
        const id = await postSplitLedger(input);
        const base = { aggregateId: input.splitId, correlationId: input.workflowId };
        const { events, appended } = await appendSplitEvents(db, [
          { ...base, id, type: 'split.ledger_posted', data: { transactionId: id }, causationId: input.causationId },
          { ...base, id: `${input.workflowId}/succeeded`, type: 'split.succeeded', data: {}, causationId: id },
        ]);
        if (appended[1]) metrics.succeeded.inc();
        return { eventId: events[1].id };
      });
    },

    /** After the saga succeeded: records which recipients were emailed (and which could not be), in one write. */
    async splitRecordNotices(input: StepRef & { notified: string[]; notifyFailed: { payoutAccountId: string; reason: string }[] }): Promise<void> {
      return timed(metrics, 'notices', async () => {
        const base = { aggregateId: input.splitId, correlationId: input.workflowId, causationId: input.causationId };
        const events: NewSplitEvent[] = [
          ...input.notified.map((pa) => ({ ...base, id: `${input.workflowId}/notify/${pa}`, type: 'split.recipient_notified' as const, data: { payoutAccountId: pa } })),
          ...input.notifyFailed.map((f) => ({ ...base, id: `${input.workflowId}/notify/${f.payoutAccountId}/failed`, type: 'split.recipient_notification_failed' as const, data: { payoutAccountId: f.payoutAccountId, reason: f.reason } })),
        ];
        if (events.length) await appendSplitEvents(db, events);
      });
    },

    /** Records the notifications and the success of the saga (histories from before splitSettle). */
    async splitComplete(input: StepRef & { notified: string[]; notifyFailed: { payoutAccountId: string; reason: string }[] }): Promise<{ eventId: string }> {
      return timed(metrics, 'complete', async () => {
        let cause = input.causationId;
        for (const pa of input.notified) cause = (await append({ ...input, causationId: cause }, `${input.workflowId}/notify/${pa}`, 'split.recipient_notified', { payoutAccountId: pa })).event.id;
        for (const f of input.notifyFailed) cause = (await append({ ...input, causationId: cause }, `${input.workflowId}/notify/${f.payoutAccountId}/failed`, 'split.recipient_notification_failed', { payoutAccountId: f.payoutAccountId, reason: f.reason })).event.id;
        const { event, appended } = await append({ ...input, causationId: cause }, `${input.workflowId}/succeeded`, 'split.succeeded', {});
        if (appended) metrics.succeeded.inc();
        return { eventId: event.id };
      });
    },

    /** Starts the compensation: the saga failed for `reason`. */
    async splitBeginCompensation(input: StepRef & { reason: string; code: string }): Promise<{ eventId: string }> {
      const { event, appended } = await append(input, `${input.workflowId}/compensation`, 'split.compensation_started', { reason: input.reason, code: input.code });
      if (appended) metrics.compensationsRun.inc();
      return { eventId: event.id };
    },

    /**
     * Compensation: reverses one recipient's transfer (`<wf>/reverse/<payoutAccountId>`); a refusal is
     * recorded and raised, not thrown. A transfer in doubt (its step gave up, so its id is unknown) is
     * first replayed with its own idempotency key: the provider answers the transfer it made, if any.
     */
    async splitReverseTransfer(input: StepRef & { payoutAccountId: string; providerTransferId?: string; replay?: { destination: string; amount: Money; sourcePaymentId: string } }): Promise<CompensationOutcome> {
      return timed(metrics, 'reverse_transfer', async () => {
        const key = `${input.workflowId}/reverse/${input.payoutAccountId}`;
        let providerTransferId = input.providerTransferId;
        let cause = input.causationId;
        if (!providerTransferId) {
          if (!input.replay) throw ApplicationFailure.nonRetryable('nothing to reverse: no transfer id and nothing to replay', 'SplitCompensationInput');
          const transferKey = `${input.workflowId}/transfer/${input.payoutAccountId}`;
          try {
            const t = await gateway().transfer(
              { amount: input.replay.amount, destination: input.replay.destination, sourcePaymentId: input.replay.sourcePaymentId, transferGroup: input.workflowId, metadata: { splitId: input.splitId, payoutAccountId: input.payoutAccountId } },
              { idempotencyKey: transferKey },
            );
            providerTransferId = t.providerTransferId;
            cause = (await append(input, transferKey, 'split.transfer_succeeded', { payoutAccountId: input.payoutAccountId, providerTransferId, amount: input.replay.amount, resolvedInCompensation: true })).event.id;
          } catch (error) {
            if (!isPaymentError(error) || error.retryable) throw error;
            return { status: 'done', eventId: input.causationId }; // refused: no transfer was ever made
          }
        }
        try {
          const r = await gateway().reverseTransfer({ providerTransferId }, { idempotencyKey: key });
          const { event } = await append({ ...input, causationId: cause }, key, 'split.transfer_reversed', { payoutAccountId: input.payoutAccountId, providerReversalId: r.providerReversalId, amount: r.amount });
          return { status: 'done', eventId: event.id };
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          const { alertId, adminEmails } = await raiseAlert(key, input.splitId, `Transfer reversal refused for split ${input.splitId}`, { payoutAccountId: input.payoutAccountId, providerTransferId, code: error.code, message: error.message });
          const { event, appended } = await append({ ...input, causationId: cause }, `${key}/refused`, 'split.transfer_reversal_refused', { payoutAccountId: input.payoutAccountId, providerTransferId, code: error.code, message: error.message, alertId });
          if (appended) metrics.compensationsFailed.inc({ step: 'reverse_transfer' });
          // The money stays with the recipient while the payer is refunded: the platform bears it, and the
          // ledger says so (else the provider's balance and the books disagree; npm run check:money).
          const line = (await getSplitState(db, input.splitId))?.allocation.find((l) => l.party === input.payoutAccountId);
          if (line && line.amount.amount > 0) {
            await postLedgerTransaction(db, {
              id: `${key}/unrecovered`,
              kind: 'split.unrecovered',
              reference: input.splitId,
              description: `transfer to ${input.payoutAccountId} not reversed (split ${input.splitId} failed)`,
              entries: [
                { account: 'platform:unrecovered_transfers', amount: line.amount },
                { account: `payout:${input.payoutAccountId}:transferred`, amount: { amount: -line.amount.amount, currency: line.amount.currency } },
              ],
            });
          }
          return { status: 'refused', eventId: event.id, alertId, code: error.code, message: error.message, adminEmails };
        }
      });
    },

    /**
     * Compensation: refunds the charge in full (`<wf>/refund`); a refusal is recorded and raised, not
     * thrown. A charge in doubt (its step gave up) is first replayed with its own idempotency key: a
     * captured charge is then refunded, a mere authorisation voided, a decline needs nothing.
     */
    async splitRefundCharge(input: StepRef & { providerPaymentId?: string; amount: Money; replay?: { paymentMethod: string; description: string } }): Promise<CompensationOutcome> {
      return timed(metrics, 'refund_charge', async () => {
        const key = `${input.workflowId}/refund`;
        let providerPaymentId = input.providerPaymentId;
        let cause = input.causationId;
        if (!providerPaymentId) {
          if (!input.replay) throw ApplicationFailure.nonRetryable('nothing to refund: no payment id and nothing to replay', 'SplitCompensationInput');
          const wf = input.workflowId;
          let authorised;
          try {
            authorised = await gateway().authorize({ amount: input.amount, paymentMethod: input.replay.paymentMethod, description: input.replay.description, metadata: { splitId: input.splitId, workflowId: wf } }, { idempotencyKey: `${wf}/charge` });
          } catch (error) {
            if (!isPaymentError(error) || error.retryable) throw error;
            return { status: 'done', eventId: input.causationId }; // declined: nothing was charged
          }
          if (authorised.status === 'requires_capture') {
            await gateway().cancel({ providerPaymentId: authorised.providerPaymentId, reason: 'abandoned' }, { idempotencyKey: `${wf}/charge/cancel` });
            return { status: 'done', eventId: input.causationId };
          }
          if (authorised.status !== 'succeeded') return { status: 'done', eventId: input.causationId };
          providerPaymentId = authorised.providerPaymentId;
          await createPayment(db, { id: paymentId(input.splitId), kind: 'split', reference: input.splitId, provider: gateway().provider, amount: input.amount, workflowId: wf });
          cause = (await append(input, `${wf}/charge`, 'split.charge_succeeded', { providerPaymentId, amount: input.amount, resolvedInCompensation: true })).event.id;
        }
        try {
          const r = await gateway().refund({ providerPaymentId, reason: 'split payment failed' }, { idempotencyKey: key });
          countPayment(deps, await recordPaymentChange(db, paymentId(input.splitId), { status: 'refunded', amountRefunded: input.amount.amount }, { id: key, type: 'payment.refunded', data: { providerRefundId: r.providerRefundId }, correlationId: input.workflowId }), input.amount.amount);
          const { event } = await append({ ...input, causationId: cause }, key, 'split.charge_refunded', { providerRefundId: r.providerRefundId, amount: r.amount });
          return { status: 'done', eventId: event.id };
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          const { alertId, adminEmails } = await raiseAlert(key, input.splitId, `Refund of the charge refused for split ${input.splitId}`, { providerPaymentId, code: error.code, message: error.message });
          const { event, appended } = await append({ ...input, causationId: cause }, `${key}/refused`, 'split.charge_refund_refused', { providerPaymentId, code: error.code, message: error.message, alertId });
          if (appended) metrics.compensationsFailed.inc({ step: 'refund_charge' });
          return { status: 'refused', eventId: event.id, alertId, code: error.code, message: error.message, adminEmails };
        }
      });
    },

    /** Ends the saga as failed, saying whether the compensation left nothing behind. */
    async splitFail(input: StepRef & { reason: string; code: string; compensated: boolean }): Promise<{ eventId: string }> {
      const { event, appended } = await append(input, `${input.workflowId}/failed`, 'split.failed', { reason: input.reason, code: input.code, compensated: input.compensated });
      if (appended) metrics.failed.inc({ reason: input.code });
      return { eventId: event.id };
    },

    // ---- refunds of a succeeded split (workflow splitRefund) ----

    /** Takes one recipient's part of a refund back (`<refund wf>/reverse/<payoutAccountId>`); a refusal is raised, not thrown. */
    async splitRefundReverseTransfer(input: StepRef & { refundId: string; refundWorkflowId: string; payoutAccountId: string; providerTransferId: string; amount: Money }): Promise<{ status: 'done' } | { status: 'refused'; alertId: string; code: string; message: string; adminEmails: string[] }> {
      return timed(metrics, 'refund_reverse_transfer', async () => {
        const key = `${input.refundWorkflowId}/reverse/${input.payoutAccountId}`;
        try {
          await gateway().reverseTransfer({ providerTransferId: input.providerTransferId, amount: input.amount.amount }, { idempotencyKey: key });
          return { status: 'done' };
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          const { alertId, adminEmails } = await raiseAlert(key, input.splitId, `Refund reversal refused for split ${input.splitId}`, { refundId: input.refundId, payoutAccountId: input.payoutAccountId, amount: input.amount, code: error.code, message: error.message });
          metrics.compensationsFailed.inc({ step: 'refund_reverse_transfer' });
          return { status: 'refused', alertId, code: error.code, message: error.message, adminEmails };
        }
      });
    },

    /** Refunds the payer `amount` of the charge (`<refund wf>/refund`), then records the refund and its balanced ledger entries. */
    async splitRefundFinish(input: StepRef & { refundId: string; refundWorkflowId: string; providerPaymentId: string; amount: Money; allocation: AllocationLine[]; refused: string[]; alertIds: string[] }): Promise<{ eventId: string; status: 'succeeded' | 'failed' }> {
      return timed(metrics, 'refund_charge', async () => {
        const key = `${input.refundWorkflowId}/refund`;
        let providerRefundId: string;
        try {
          providerRefundId = (await gateway().refund({ providerPaymentId: input.providerPaymentId, amount: input.amount.amount, reason: 'requested_by_customer' }, { idempotencyKey: key })).providerRefundId;
        } catch (error) {
          if (!isPaymentError(error) || error.retryable) throw error;
          const { alertId } = await raiseAlert(key, input.splitId, `Refund refused for split ${input.splitId}`, { refundId: input.refundId, code: error.code, message: error.message });
          const { event } = await append(input, `${key}/failed`, 'split.refund_failed', { refundId: input.refundId, reason: `${error.code}: ${error.message}`, alertIds: [...input.alertIds, alertId] });
          return { eventId: event.id, status: 'failed' };
        }
        const provider = gateway().provider;
        const currency = input.amount.currency;
        const entries: LedgerEntry[] = [
          { account: `provider:${provider}:clearing`, amount: { amount: -input.amount.amount, currency } },
          ...input.allocation.map((l) => ({
            account: l.party === PLATFORM_PARTY ? 'platform:fees' : input.refused.includes(l.party) ? 'platform:unrecovered_refunds' : `payout:${l.party}:transferred`,
            amount: l.amount,
          })),
        ].filter((e) => e.amount.amount !== 0);
        await postLedgerTransaction(db, { id: `${input.refundWorkflowId}/ledger`, kind: 'split.refund', reference: input.splitId, description: `refund ${input.refundId} of split payment ${input.splitId}`, entries });
        const payment = await getPayment(db, paymentId(input.splitId));
        const refunded = (payment?.amountRefunded ?? 0) + input.amount.amount;
        countPayment(deps, await recordPaymentChange(db, paymentId(input.splitId), { amountRefunded: refunded, status: refunded >= (payment?.amountCaptured ?? 0) ? 'refunded' : 'partially_refunded' }, { id: key, type: 'payment.refunded', data: { providerRefundId, amount: input.amount }, correlationId: input.workflowId }), input.amount.amount);
        const { event } = await append(input, key, 'split.refund_completed', { refundId: input.refundId, providerRefundId, refused: input.refused, alertIds: input.alertIds });
        return { eventId: event.id, status: 'succeeded' };
      });
    },
  };
}

export type SplitStepActivities = ReturnType<typeof createSplitStepActivities>;
