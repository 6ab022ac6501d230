import { ActivityFailure, type ActivityOptions, ApplicationFailure, defineQuery, patched, proxyActivities, proxyLocalActivities, setHandler, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { EmailActivities } from '../../activities/email/activities';
import type { SplitsActivities } from '../../activities/splits';
import type { SplitLiveState, SplitPaymentInput, SplitRecipientTarget, SplitRefundInput, SplitStepTimeouts } from '../../domain/splits/saga';
import { formatAmount as formatForPeople, formatDateTime } from '../../domain/format';

/**
 * The split-payment saga, `split-<id>`: charge the payer → one transfer per recipient, tied to the
 * charge, all at once → the balanced ledger transaction and the success, recorded together → email
 * the recipients (after the money result is final). A non-retryable failure at any
 * step runs the compensation in reverse: reverse every transfer made, refund the charge, end
 * `failed` with the reason. Compensation steps retry until done; a reversal the provider refuses
 * (the recipient was already paid out) is recorded, raised to the admins and emailed to them.
 * Every step is an activity named for what it does, so the Temporal UI reads like the saga.
 */
export const splitPaymentStateQuery = defineQuery<SplitLiveState>('splitPaymentState');

function forwardOptions(t: SplitStepTimeouts): ActivityOptions {
  return {
    startToCloseTimeout: t.stepMs,
    // Infrastructure failures retry (same idempotency keys) until the give-up window; then the saga compensates.
    scheduleToCloseTimeout: t.stepGiveUpMs,
    retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  };
}

function mustCompleteOptions(t: SplitStepTimeouts): ActivityOptions {
  // Compensation and bookkeeping: no attempt limit, no give-up window. They retry until done.
  return { startToCloseTimeout: t.stepMs, retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: t.compensationMaxIntervalMs } };
}

function mustComplete(t: SplitStepTimeouts) {
  return proxyActivities<SplitsActivities>(mustCompleteOptions(t));
}

function mailOptions(t: SplitStepTimeouts) {
  return { startToCloseTimeout: t.stepMs, retry: { initialInterval: '1 second', maximumAttempts: 5 } };
}

function mail(t: SplitStepTimeouts) {
  return proxyActivities<EmailActivities>(mailOptions(t));
}

/** A failure as a stable code (metrics label) and a readable reason. */
export function describeFailure(step: string, error: unknown): { code: string; reason: string; inDoubt: boolean } {
  let cause: unknown = error;
  if (error instanceof ActivityFailure && error.cause) cause = error.cause;
  // A business refusal is certain: the provider did nothing. Anything else (a step that gave up
  // retrying) may have moved money the saga never heard of: the compensation replays it to find out.
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { code?: string };
    const code = details.code ?? cause.type ?? 'application_error';
    return { code, reason: `${step}: ${code}: ${cause.message}`, inDoubt: !cause.nonRetryable };
  }
  if (cause instanceof TimeoutFailure) return { code: 'timeout', reason: `${step}: gave up after timing out (${cause.timeoutType})`, inDoubt: true };
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'error', reason: `${step}: ${message}`, inDoubt: true };
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

/** Everything a saga path and its compensation share. */
interface SagaContext {
  input: SplitPaymentInput;
  state: SplitLiveState;
  wf: string;
  /** `{ splitId, workflowId, causationId }` of a step. */
  ref: (causationId: string) => { splitId: string; workflowId: string; causationId: string };
  money: (m: { amount: number; currency: string }) => string;
}

/** A transfer to undo: made (its id known), or in doubt (its step gave up; replayed with its key to learn whether it happened). */
type Reversal = { payoutAccountId: string; providerTransferId?: string; replay?: { destination: string; amount: SplitRecipientTarget['amount']; sourcePaymentId: string } };

export async function splitPayment(input: SplitPaymentInput): Promise<SplitLiveState> {
  const wf = workflowInfo().workflowId;
  const { splitId } = input;
  const state: SplitLiveState = { splitId, status: 'processing', step: 'charge', providerPaymentId: null, transfers: {}, failureReason: null };
  setHandler(splitPaymentStateQuery, () => state);
  const ctx: SagaContext = {
    input,
    state,
    wf,
    ref: (causationId: string) => ({ splitId, workflowId: wf, causationId }),
    money: (m) => formatAmount(m.amount, m.currency, input.exponent),
  };
  // Sagas started before this change replay the sequential path (one server round trip per step).
  if (patched('split-parallel-transfers-local-bookkeeping')) return parallelSaga(ctx);
  return sequentialSaga(ctx);
}

/**
 * The saga in as few server round trips as its steps allow: the charge (a provider call, remote),
 * the transfers all at once (they depend on the charge, not on each other), then the ledger and the
 * success recorded by one local activity (database only: no round trip). The money result is final
 * there. Then, still in the same workflow task, the recipients are emailed and which ones were is
 * recorded (local activities: a kill re-runs them on the next worker, their keys keep them once).
 */
async function parallelSaga(ctx: SagaContext): Promise<SplitLiveState> {
  const { input, state, ref, money } = ctx;
  const { timeouts } = input;
  const fwd = forwardOptions(timeouts);
  const steps = proxyActivities<SplitsActivities>(fwd);
  const local = proxyLocalActivities<SplitsActivities>(fwd);
  const localFinish = proxyLocalActivities<SplitsActivities>(mustCompleteOptions(timeouts));

  let cause = input.createdEventId;
  const reversals: Reversal[] = [];
  let failure: { code: string; reason: string; inDoubt: boolean; step: string } | undefined;
  try {
    const charge = await steps.splitCharge.executeWithOptions({ ...fwd, summary: `charge ${money(input.total)} to ${input.paymentMethod}` }, [
      { ...ref(cause), total: input.total, paymentMethod: input.paymentMethod, description: input.description, createdBy: input.createdBy },
    ]);
    state.providerPaymentId = charge.providerPaymentId;
    cause = charge.eventId;

    state.step = 'transfers';
    // Every transfer runs to its end (made, refused or given up) before the saga decides: the
    // compensation starts only once no transfer is still in flight, so it sees every one made.
    const outcomes = await Promise.allSettled(
      input.recipients.map((r) =>
        steps.splitTransfer.executeWithOptions({ ...fwd, summary: `transfer ${money(r.amount)} to ${r.payoutAccountId}` }, [
          { ...ref(charge.eventId), payoutAccountId: r.payoutAccountId, destination: r.destination, amount: r.amount, sourcePaymentId: charge.providerPaymentId },
        ]),
      ),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const r = input.recipients[i];
      if (outcome.status === 'fulfilled') {
        reversals.push({ payoutAccountId: r.payoutAccountId, providerTransferId: outcome.value.providerTransferId });
        state.transfers[r.payoutAccountId] = outcome.value.providerTransferId;
        cause = outcome.value.eventId;
        continue;
      }
      const step = `transfer:${r.payoutAccountId}`;
      const described = describeFailure(step, outcome.reason);
      // A refusal moved nothing; a step that gave up may have: the compensation replays it to find out.
      if (described.inDoubt) reversals.push({ payoutAccountId: r.payoutAccountId, replay: { destination: r.destination, amount: r.amount, sourcePaymentId: charge.providerPaymentId } });
      failure ??= { ...described, step };
    }

    if (!failure) {
      state.step = 'ledger';
      cause = (await local.splitSettle({ ...ref(cause), total: input.total, allocation: input.allocation })).eventId;
    }
  } catch (error) {
    const step = state.step ?? 'saga';
    failure = { ...describeFailure(step, error), step };
  }
  if (failure) return compensate(ctx, failure, reversals, cause, localFinish);

  // Money has moved and is recorded (split.succeeded): from here nothing undoes the split. Emails are best effort.
  state.status = 'succeeded';
  state.step = 'notify';
  // Local too: the mail outbox (or the SMTP send it records) is keyed by `<wf>/email/<payoutAccountId>`,
  // so emails re-run after a worker died in the middle are not sent twice.
  const { notified, notifyFailed } = await notifyRecipients(ctx, proxyLocalActivities<EmailActivities>(mailOptions(timeouts)).sendEmail);
  await localFinish.splitRecordNotices({ ...ref(cause), notified, notifyFailed });
  state.step = null;
  return state;
}

/** The saga as it ran before parallelSaga: each step waits for the one before, each is a remote activity. */
async function sequentialSaga(ctx: SagaContext): Promise<SplitLiveState> {
  const { input, state, ref, money } = ctx;
  const { timeouts } = input;
  const fwd = forwardOptions(timeouts);
  const steps = proxyActivities<SplitsActivities>(fwd);
  const finish = mustComplete(timeouts);

  let cause = input.createdEventId;
  const made: Reversal[] = [];
  let inDoubtTransfer: Reversal | undefined;
  try {
    // Call-site summaries make each step read in the Temporal UI ("transfer 30.83 USD to pa_…").
    const charge = await steps.splitCharge.executeWithOptions({ ...fwd, summary: `charge ${money(input.total)} to ${input.paymentMethod}` }, [
      { ...ref(cause), total: input.total, paymentMethod: input.paymentMethod, description: input.description, createdBy: input.createdBy },
    ]);
    state.providerPaymentId = charge.providerPaymentId;
    cause = charge.eventId;
    const chargeEvent = charge.eventId;

    for (const r of input.recipients) {
      state.step = `transfer:${r.payoutAccountId}`;
      inDoubtTransfer = { payoutAccountId: r.payoutAccountId, replay: { destination: r.destination, amount: r.amount, sourcePaymentId: charge.providerPaymentId } };
      const t = await steps.splitTransfer.executeWithOptions({ ...fwd, summary: `transfer ${money(r.amount)} to ${r.payoutAccountId}` }, [
        { ...ref(chargeEvent), payoutAccountId: r.payoutAccountId, destination: r.destination, amount: r.amount, sourcePaymentId: charge.providerPaymentId },
      ]);
      made.push({ payoutAccountId: r.payoutAccountId, providerTransferId: t.providerTransferId });
      state.transfers[r.payoutAccountId] = t.providerTransferId;
      inDoubtTransfer = undefined;
      cause = t.eventId;
    }

    state.step = 'ledger';
    cause = (await steps.splitPostLedger({ ...ref(cause), total: input.total, allocation: input.allocation })).eventId;
  } catch (error) {
    const step = state.step ?? 'saga';
    const failure = { ...describeFailure(step, error), step };
    // A transfer that gave up (not refused) may have happened: reverse it too, after replaying it to learn its id.
    return compensate(ctx, failure, failure.inDoubt && inDoubtTransfer ? [...made, inDoubtTransfer] : made, cause, finish);
  }

  // Money has moved and is recorded: from here nothing undoes the split. Emails are best effort.
  state.step = 'notify';
  const { notified, notifyFailed } = await notifyRecipients(ctx, mail(timeouts).sendEmail);
  await finish.splitComplete({ ...ref(cause), notified, notifyFailed });
  state.status = 'succeeded';
  state.step = null;
  return state;
}

/** Emails every recipient their share at once; a recipient the mailer could not reach is reported, not thrown. */
async function notifyRecipients({ input, wf }: SagaContext, sendEmail: EmailActivities['sendEmail']): Promise<{ notified: string[]; notifyFailed: { payoutAccountId: string; reason: string }[] }> {
  const notified: string[] = [];
  const notifyFailed: { payoutAccountId: string; reason: string }[] = [];
  await Promise.all(
    input.recipients.map(async (r) => {
      try {
        await sendEmail({
          to: r.email,
          template: 'split-received',
          vars: { name: r.name, amount: formatForPeople(r.amount), description: input.description, splitId: input.splitId },
          idempotencyKey: `${wf}/email/${r.payoutAccountId}`,
        });
        notified.push(r.payoutAccountId);
      } catch (error) {
        notifyFailed.push({ payoutAccountId: r.payoutAccountId, reason: describeFailure('notify', error).reason });
      }
    }),
  );
  // Recorded in request order, whatever order the emails finished in.
  const order = (pa: string) => input.recipients.findIndex((r) => r.payoutAccountId === pa);
  notified.sort((a, b) => order(a) - order(b));
  notifyFailed.sort((a, b) => order(a.payoutAccountId) - order(b.payoutAccountId));
  return { notified, notifyFailed };
}

/**
 * The compensation, in reverse: reverse every transfer in `reversals` (last first), refund the
 * charge, end `failed`. `bookkeeping` records its start and end (remote activities on the
 * sequential path, local ones on the parallel path); the provider calls are always remote.
 */
async function compensate(
  ctx: SagaContext,
  failure: { code: string; reason: string; inDoubt: boolean; step: string },
  reversals: Reversal[],
  cause: string,
  bookkeeping: ReturnType<typeof mustComplete>,
): Promise<SplitLiveState> {
  const { input, state, wf, ref, money } = ctx;
  const { splitId, timeouts } = input;
  const comp = mustCompleteOptions(timeouts);
  const finish = mustComplete(timeouts);
  state.status = 'compensating';
  state.failureReason = failure.reason;
  state.step = 'compensate:begin';
  cause = (await bookkeeping.splitBeginCompensation({ ...ref(cause), reason: failure.reason, code: failure.code })).eventId;
  let compensated = true;
  const chargeInDoubt = failure.inDoubt && !state.providerPaymentId && failure.step === 'charge';
  for (const t of [...reversals].reverse()) {
    state.step = `compensate:reverse:${t.payoutAccountId}`;
    const outcome = await finish.splitReverseTransfer.executeWithOptions({ ...comp, summary: `compensate: reverse the transfer to ${t.payoutAccountId}` }, [{ ...ref(cause), ...t }]);
    cause = outcome.eventId;
    if (outcome.status === 'refused') {
      compensated = false;
      await alertAdmins(timeouts, wf, splitId, outcome, `reversing the transfer to ${t.payoutAccountId}`);
    }
  }
  if (state.providerPaymentId || chargeInDoubt) {
    state.step = 'compensate:refund';
    const outcome = await finish.splitRefundCharge.executeWithOptions({ ...comp, summary: `compensate: refund ${money(input.total)} to the payer` }, [
      {
        ...ref(cause),
        providerPaymentId: state.providerPaymentId ?? undefined,
        amount: input.total,
        replay: chargeInDoubt ? { paymentMethod: input.paymentMethod, description: input.description } : undefined,
      },
    ]);
    cause = outcome.eventId;
    if (outcome.status === 'refused') {
      compensated = false;
      await alertAdmins(timeouts, wf, splitId, outcome, 'refunding the charge');
    }
  }
  state.step = 'compensate:done';
  await bookkeeping.splitFail({ ...ref(cause), reason: failure.reason, code: failure.code, compensated });
  state.status = 'failed';
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
  // Each recipient whose share was taken back is told (best effort); histories from before these emails replay without them.
  const clawedBack = input.allocation.filter((l) => l.amount.amount > 0 && !refused.includes(l.party) && input.transfers.some((t) => t.payoutAccountId === l.party));
  if (done.status === 'succeeded' && clawedBack.length && patched('split-clawback-email')) {
    const { sendEmail } = mail(input.timeouts);
    const notices = await finish.splitClawbackNotices({ splitId: input.splitId, payoutAccountIds: clawedBack.map((l) => l.party) });
    for (const n of notices) {
      const line = clawedBack.find((l) => l.party === n.payoutAccountId)!;
      try {
        await sendEmail({
          to: n.email,
          template: 'split-clawback',
          vars: { name: n.name, amount: formatForPeople(line.amount), splitId: input.splitId, description: n.description, reversedAt: formatDateTime(new Date()), kept: formatForPeople(n.kept), allocated: formatForPeople(n.allocated) },
          idempotencyKey: `${wf}/email/clawback/${n.payoutAccountId}`,
        });
      } catch {
        // the refund is done and recorded whatever the mailer does
      }
    }
  }
  return { status: done.status, refused };
}
