import { ActivityFailure, ApplicationFailure, defineQuery, proxyActivities, setHandler, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { EmailActivities } from '../../activities/email/activities';
import type { SplitsActivities } from '../../activities/splits';
import type { SplitLiveState, SplitPaymentInput, SplitRefundInput, SplitStepTimeouts } from '../../domain/splits/saga';

/**
 * The split-payment saga, `split-<id>`: charge the payer → one transfer per recipient, tied to the
 * charge → the balanced ledger transaction → email the recipients. A non-retryable failure at any
 * step runs the compensation in reverse: reverse every transfer made, refund the charge, end
 * `failed` with the reason. Compensation steps retry until done; a reversal the provider refuses
 * (the recipient was already paid out) is recorded, raised to the admins and emailed to them.
 * Every step is an activity named for what it does, so the Temporal UI reads like the saga.
 */
export const splitPaymentStateQuery = defineQuery<SplitLiveState>('splitPaymentState');

function forward(t: SplitStepTimeouts) {
  return proxyActivities<SplitsActivities>({
    startToCloseTimeout: t.stepMs,
    // Infrastructure failures retry (same idempotency keys) until the give-up window; then the saga compensates.
    scheduleToCloseTimeout: t.stepGiveUpMs,
    retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });
}

function mustComplete(t: SplitStepTimeouts) {
  // Compensation and bookkeeping: no attempt limit, no give-up window. They retry until done.
  return proxyActivities<SplitsActivities>({
    startToCloseTimeout: t.stepMs,
    retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: t.compensationMaxIntervalMs },
  });
}

function mail(t: SplitStepTimeouts) {
  return proxyActivities<EmailActivities>({ startToCloseTimeout: t.stepMs, retry: { initialInterval: '1 second', maximumAttempts: 5 } });
}

/** A failure as a stable code (metrics label) and a readable reason. */
export function describeFailure(step: string, error: unknown): { code: string; reason: string } {
  let cause: unknown = error;
  if (error instanceof ActivityFailure && error.cause) cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { code?: string };
    const code = details.code ?? cause.type ?? 'application_error';
    return { code, reason: `${step}: ${code}: ${cause.message}` };
  }
  if (cause instanceof TimeoutFailure) return { code: 'timeout', reason: `${step}: gave up after timing out (${cause.timeoutType})` };
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'error', reason: `${step}: ${message}` };
}

async function alertAdmins(t: SplitStepTimeouts, wf: string, splitId: string, outcome: { alertId: string; code: string; message: string; adminEmails: string[] }, what: string): Promise<void> {
  const { sendEmail } = mail(t);
  for (const to of outcome.adminEmails) {
    try {
      await sendEmail({ to, template: 'split-admin-alert', vars: { splitId, what, code: outcome.code, message: outcome.message, alertId: outcome.alertId }, idempotencyKey: `${wf}/alert/${outcome.alertId}/${to}` });
    } catch {
      // The alert is in admin_alerts and the event log whatever the mailer does.
    }
  }
}

export async function splitPayment(input: SplitPaymentInput): Promise<SplitLiveState> {
  const wf = workflowInfo().workflowId;
  const { splitId, timeouts } = input;
  const state: SplitLiveState = { splitId, status: 'processing', step: 'charge', providerPaymentId: null, transfers: {}, failureReason: null };
  setHandler(splitPaymentStateQuery, () => state);
  const steps = forward(timeouts);
  const finish = mustComplete(timeouts);
  const ref = (causationId: string) => ({ splitId, workflowId: wf, causationId });

  let cause = input.createdEventId;
  const made: { payoutAccountId: string; providerTransferId: string }[] = [];
  try {
    const charge = await steps.splitCharge({ ...ref(cause), total: input.total, paymentMethod: input.paymentMethod, description: input.description, createdBy: input.createdBy });
    state.providerPaymentId = charge.providerPaymentId;
    cause = charge.eventId;
    const chargeEvent = charge.eventId;

    for (const r of input.recipients) {
      state.step = `transfer:${r.payoutAccountId}`;
      const t = await steps.splitTransfer({ ...ref(chargeEvent), payoutAccountId: r.payoutAccountId, destination: r.destination, amount: r.amount, sourcePaymentId: charge.providerPaymentId });
      made.push({ payoutAccountId: r.payoutAccountId, providerTransferId: t.providerTransferId });
      state.transfers[r.payoutAccountId] = t.providerTransferId;
      cause = t.eventId;
    }

    state.step = 'ledger';
    cause = (await steps.splitPostLedger({ ...ref(cause), total: input.total, allocation: input.allocation })).eventId;
  } catch (error) {
    const failure = describeFailure(state.step ?? 'saga', error);
    state.status = 'compensating';
    state.failureReason = failure.reason;
    state.step = 'compensate:begin';
    cause = (await finish.splitBeginCompensation({ ...ref(cause), reason: failure.reason, code: failure.code })).eventId;
    let compensated = true;
    for (const t of [...made].reverse()) {
      state.step = `compensate:reverse:${t.payoutAccountId}`;
      const outcome = await finish.splitReverseTransfer({ ...ref(cause), ...t });
      cause = outcome.eventId;
      if (outcome.status === 'refused') {
        compensated = false;
        await alertAdmins(timeouts, wf, splitId, outcome, `reversing the transfer to ${t.payoutAccountId}`);
      }
    }
    if (state.providerPaymentId) {
      state.step = 'compensate:refund';
      const outcome = await finish.splitRefundCharge({ ...ref(cause), providerPaymentId: state.providerPaymentId, amount: input.total });
      cause = outcome.eventId;
      if (outcome.status === 'refused') {
        compensated = false;
        await alertAdmins(timeouts, wf, splitId, outcome, 'refunding the charge');
      }
    }
    state.step = 'compensate:done';
    await finish.splitFail({ ...ref(cause), reason: failure.reason, code: failure.code, compensated });
    state.status = 'failed';
    state.step = null;
    return state;
  }

  // Money has moved and is recorded: from here nothing undoes the split. Emails are best effort.
  state.step = 'notify';
  const { sendEmail } = mail(timeouts);
  const notified: string[] = [];
  const notifyFailed: { payoutAccountId: string; reason: string }[] = [];
  for (const r of input.recipients) {
    try {
      await sendEmail({
        to: r.email,
        template: 'split-received',
        vars: { name: r.name, amount: formatAmount(r.amount.amount, r.amount.currency, input.exponent), description: input.description, splitId },
        idempotencyKey: `${wf}/email/${r.payoutAccountId}`,
      });
      notified.push(r.payoutAccountId);
    } catch (error) {
      notifyFailed.push({ payoutAccountId: r.payoutAccountId, reason: describeFailure('notify', error).reason });
    }
  }
  await finish.splitComplete({ ...ref(cause), notified, notifyFailed });
  state.status = 'succeeded';
  state.step = null;
  return state;
}

/** "30.84 USD" without node modules (the workflow sandbox). */
function formatAmount(amount: number, currency: string, exponent: number): string {
  const abs = Math.abs(amount);
  const major = Math.floor(abs / 10 ** exponent);
  const minor = exponent === 0 ? '' : '.' + String(abs % 10 ** exponent).padStart(exponent, '0');
  return `${amount < 0 ? '-' : ''}${major}${minor} ${currency}`;
}

/**
 * A refund of a succeeded split, `split-<id>-refund-<refundId>`: takes each recipient's pro-rata
 * part back (a refusal is raised to the admins and the platform absorbs that part), then refunds
 * the payer and records it with balanced ledger entries.
 */
export async function splitRefund(input: SplitRefundInput): Promise<{ status: 'succeeded' | 'failed'; refused: string[] }> {
  const wf = workflowInfo().workflowId;
  const finish = mustComplete(input.timeouts);
  const ref = { splitId: input.splitId, workflowId: wf, causationId: input.requestedEventId };
  const refused: string[] = [];
  const alertIds: string[] = [];
  for (const line of input.allocation) {
    const transfer = input.transfers.find((t) => t.payoutAccountId === line.party);
    if (!transfer || line.amount.amount === 0) continue;
    const outcome = await finish.splitRefundReverseTransfer({ ...ref, refundId: input.refundId, refundWorkflowId: wf, payoutAccountId: line.party, providerTransferId: transfer.providerTransferId, amount: line.amount });
    if (outcome.status === 'refused') {
      refused.push(line.party);
      alertIds.push(outcome.alertId);
      await alertAdmins(input.timeouts, wf, input.splitId, outcome, `taking refund ${input.refundId} back from ${line.party}`);
    }
  }
  const done = await finish.splitRefundFinish({ ...ref, refundId: input.refundId, refundWorkflowId: wf, providerPaymentId: input.providerPaymentId, amount: input.amount, allocation: input.allocation, refused, alertIds });
  return { status: done.status, refused };
}
