import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { EmailActivities } from '../../activities/email/activities';
import type { ShoutoutsActivities } from '../../activities/shoutouts';
import type { OrderChange } from '../../stores/shoutouts/orders';
import { type Money } from '../../domain/money';
import { formatAmount, formatDateTime } from '../../domain/format';
import { canAccept, canCancel, canDecline, fractionOf, splitOrder, type ShoutoutStatus, type TimelineEvent } from '../../domain/shoutouts';

/**
 * One shoutout order, from payment to delivery: `shoutout-<orderId>`.
 *
 * authorise (manual capture) → the talent is emailed → accept / decline (updates) → wait for the
 * video until the deadline (reminder at 75 %) → transcode + watermark on the media queue → capture
 * → ledger → deliver. Decline, fan cancel and expiry void the authorisation.
 *
 * Authorisation window: a provider keeps a manual-capture authorisation only so long (cards: 7
 * days). When the deadline reaches past SHOUTOUT_REAUTH_AT_BPS of the window, the workflow
 * re-authorises the same amount before the window ends (`<workflowId>/authorize/<n>`) and then voids
 * the old one (`<workflowId>/void/<n-1>`), so the money stays held for the whole deadline. A decline
 * at re-authorisation ends the order as `payment_failed` (fan and talent emailed).
 */
export interface ShoutoutOrderInput {
  orderId: string;
  fan: { id: string; email: string; name: string };
  talent: { id: string; email: string; name: string };
  price: Money;
  paymentMethod: string;
  recipientName: string;
  occasion: string;
  instructions: string;
  businessUse: boolean;
  /** The deadline is this long after the order. */
  turnaroundMs: number;
  reminderAtBps: number;
  authWindowMs: number;
  reauthAtBps: number;
  platformFeeBps: number;
  /** Workflows cannot read configuration: the starter passes what they need. */
  mediaTaskQueue: string;
  transcodeTimeoutMs: number;
  transcodeHeartbeatTimeoutMs: number;
  /** Where links in emails point (PUBLIC_BASE_URL or the API's own origin). */
  baseUrl: string;
  /**
   * How long the talent's accept / decline waits for a payment still authorising before answering
   * 409 (absent in workflows started before it existed: DEFAULT_AUTHORIZATION_WAIT_MS).
   */
  authorizationWaitMs?: number;
}

/** The bound on an accept / decline waiting for the authorisation, when the input names none. */
export const DEFAULT_AUTHORIZATION_WAIT_MS = 20_000;

export interface VideoUpload {
  key: string;
  bytes: number;
  filename?: string;
}

export interface DeliveredVideo {
  videoKey: string;
  posterKey: string;
  width: number;
  height: number;
  durationSeconds: number;
  bytes: number;
  sourceBytes: number;
}

export interface ShoutoutView {
  id: string;
  workflowId: string;
  status: ShoutoutStatus;
  price: Money;
  deadlineAt: string;
  acceptedAt?: string;
  deliveredAt?: string;
  failureReason?: string;
  video?: DeliveredVideo;
  authorizations: number;
  timeline: TimelineEvent[];
}

/** The media queue's activity (activities/shoutouts/media.ts), by contract. */
export interface TranscodeShoutoutActivity {
  transcodeShoutoutVideo(input: { orderId: string; sourceKey: string }): Promise<DeliveredVideo>;
}

export interface ActorArgs {
  actorId: string;
}

export const shoutoutStateQuery = defineQuery<ShoutoutView>('shoutoutState');
export const acceptShoutoutUpdate = defineUpdate<ShoutoutView, [ActorArgs]>('shoutoutAccept');
export const declineShoutoutUpdate = defineUpdate<ShoutoutView, [ActorArgs & { reason: string }]>('shoutoutDecline');
export const cancelShoutoutUpdate = defineUpdate<ShoutoutView, [ActorArgs & { reason?: string }]>('shoutoutCancel');
export const videoUploadedSignal = defineSignal<[VideoUpload]>('shoutoutVideoUploaded');

/** ApplicationFailure types the API maps to HTTP answers. */
export const FORBIDDEN = 'Forbidden';
export const INVALID_STATE = 'InvalidState';

const db = proxyActivities<ShoutoutsActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '10 seconds' } });
const payments = proxyActivities<ShoutoutsActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '30 seconds', nonRetryableErrorTypes: ['PaymentError'] } });
const mail = proxyActivities<EmailActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute', maximumAttempts: 20 } });

const nowMs = () => new Date().getTime();
const iso = (ms: number) => new Date(ms).toISOString();

function businessMessage(error: unknown): string | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) return error.cause.message;
  return undefined;
}

function failureType(error: unknown): string | undefined {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? (error.cause.type ?? undefined) : undefined;
}

export async function shoutoutOrder(input: ShoutoutOrderInput): Promise<ShoutoutView> {
  const { workflowId } = workflowInfo();
  const orderedAt = nowMs();
  const deadlineAt = orderedAt + input.turnaroundMs;
  const reminderAt = orderedAt + fractionOf(input.turnaroundMs, input.reminderAtBps);
  const deadlineText = iso(deadlineAt);
  const orderUrl = `${input.baseUrl}/v1/shoutouts/${input.orderId}`;
  // Emails speak to people: "$50.00", "7 December 2026, 14:05 UTC" (the API keeps ISO timestamps).
  const price = formatAmount(input.price);
  const deadlineWords = formatDateTime(deadlineAt);

  const media = proxyActivities<TranscodeShoutoutActivity>({
    taskQueue: input.mediaTaskQueue,
    startToCloseTimeout: input.transcodeTimeoutMs,
    heartbeatTimeout: input.transcodeHeartbeatTimeoutMs,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: ['UnreadableVideo'] },
  });

  const state: ShoutoutView = { id: input.orderId, workflowId, status: 'authorizing', price: input.price, deadlineAt: deadlineText, authorizations: 0, timeline: [] };
  const pending: OrderChange[] = [];
  const uploads: VideoUpload[] = [];
  let seq = 0;

  /** Moves to `status` (if given) and appends a timeline event; the main loop writes both to PostgreSQL in order. */
  const emit = (type: string, data?: Record<string, unknown>, patch?: OrderChange['patch'], status?: ShoutoutStatus) => {
    if (status) state.status = status;
    const event: TimelineEvent = { seq: ++seq, type, at: iso(nowMs()), ...(data ? { data } : {}) };
    state.timeline.push(event);
    pending.push({ orderId: input.orderId, workflowId, status: state.status, event, patch });
  };
  const flush = async () => {
    while (pending.length) {
      await db.shoutoutRecord(pending[0]);
      pending.shift();
    }
  };
  const email = (to: string, template: string, what: string, vars: Record<string, string | number>) =>
    mail.sendEmail({ to, template, vars, idempotencyKey: `${workflowId}/email/${what}` });

  setHandler(shoutoutStateQuery, () => state);
  /**
   * An answer from the talent while the payment is still authorising waits for the authorisation
   * to settle (at most `authorizationWaitMs`, never past the deadline) and then applies, so clients
   * need not poll. Settled as declined, cancelled or still authorising at the bound → InvalidState.
   *
   * Replay safety: the old validators refused every answer while authorising, so no history holds
   * one; answers in any other status run synchronously, exactly as before (no timer, no extra
   * command). The wait can only happen in histories written by this code, hence no patch marker.
   */
  const afterAuthorization = async <T>(apply: () => T): Promise<T> => {
    const waitMs = Math.min(input.authorizationWaitMs ?? DEFAULT_AUTHORIZATION_WAIT_MS, deadlineAt - nowMs());
    if (waitMs > 0) await condition(() => state.status !== 'authorizing', waitMs);
    return apply();
  };
  const whenAuthorized = <T>(apply: () => T): T | Promise<T> => (state.status === 'authorizing' ? afterAuthorization(apply) : apply());
  const invalidState = (message: string) => ApplicationFailure.create({ type: INVALID_STATE, message, nonRetryable: true });
  const stillAuthorizing = (what: string) => invalidState(`The payment is still being authorised; try to ${what} again in a moment.`);

  setHandler(
    acceptShoutoutUpdate,
    ({ actorId }) =>
      whenAuthorized(() => {
        if (state.status === 'authorizing') throw stillAuthorizing('accept');
        if (!canAccept(state.status)) throw invalidState(`The order is ${state.status}; it can be accepted only while requested.`);
        state.acceptedAt = iso(nowMs());
        emit('accepted', { by: actorId }, { acceptedAt: state.acceptedAt }, 'accepted');
        return state;
      }),
    {
      validator: ({ actorId }) => {
        if (actorId !== input.talent.id) throw ApplicationFailure.create({ type: FORBIDDEN, message: 'Only the talent of this order may accept it.', nonRetryable: true });
        if (!canAccept(state.status) && state.status !== 'authorizing') throw invalidState(`The order is ${state.status}; it can be accepted only while requested.`);
      },
    },
  );
  setHandler(
    declineShoutoutUpdate,
    ({ actorId, reason }) =>
      whenAuthorized(() => {
        if (state.status === 'authorizing') throw stillAuthorizing('decline');
        if (!canDecline(state.status)) throw invalidState(`The order is ${state.status}; it can be declined only while requested.`);
        state.failureReason = reason;
        emit('declined', { by: actorId, reason }, { failureReason: reason }, 'declined');
        return state;
      }),
    {
      validator: ({ actorId }) => {
        if (actorId !== input.talent.id) throw ApplicationFailure.create({ type: FORBIDDEN, message: 'Only the talent of this order may decline it.', nonRetryable: true });
        if (!canDecline(state.status) && state.status !== 'authorizing') throw invalidState(`The order is ${state.status}; it can be declined only while requested.`);
      },
    },
  );
  setHandler(
    cancelShoutoutUpdate,
    ({ actorId, reason }) => {
      emit('cancelled', { by: actorId, ...(reason ? { reason } : {}) }, reason ? { failureReason: reason } : undefined, 'cancelled');
      return state;
    },
    {
      validator: ({ actorId }) => {
        if (actorId !== input.fan.id) throw ApplicationFailure.create({ type: FORBIDDEN, message: 'Only the fan who ordered may cancel.', nonRetryable: true });
        if (!canCancel(state.status)) throw ApplicationFailure.create({ type: INVALID_STATE, message: `The order is ${state.status}; it can be cancelled only before the talent accepts.`, nonRetryable: true });
      },
    },
  );
  setHandler(videoUploadedSignal, (upload) => {
    uploads.push(upload);
  });

  const finish = async (patch?: OrderChange['patch']) => {
    pending.push({ orderId: input.orderId, workflowId, status: state.status, patch: { closedAt: iso(nowMs()), ...(patch ?? {}) } });
    await flush();
    return state;
  };

  // 1. Authorise.
  emit('ordered', { price: input.price, deadlineAt: deadlineText }, { deadlineAt: deadlineText });
  let auth: { paymentId: string; attempt: number; authorizedAt: number };
  try {
    const first = await payments.shoutoutAuthorize({ orderId: input.orderId, workflowId, attempt: 1, fanId: input.fan.id, amount: input.price, paymentMethod: input.paymentMethod });
    auth = { paymentId: first.paymentId, attempt: 1, authorizedAt: nowMs() };
    state.authorizations = 1;
  } catch (error) {
    const reason = businessMessage(error);
    if (reason === undefined) throw error;
    if (state.status === 'cancelled') return finish();
    state.failureReason = reason;
    emit('payment_failed', { reason }, { failureReason: reason }, 'payment_failed');
    await flush();
    await email(input.fan.email, 'shoutout-payment-failed', 'payment-failed', { fanName: input.fan.name, talentName: input.talent.name, reason, price, orderUrl });
    return finish();
  }
  const cancelledEarly = state.status === 'cancelled';
  emit('authorized', { paymentId: auth.paymentId }, { paymentId: auth.paymentId }, cancelledEarly ? undefined : 'requested');

  const release = async (reason: string) => {
    const { action } = await payments.shoutoutRelease({ orderId: input.orderId, workflowId, paymentId: auth.paymentId, step: auth.attempt === 1 ? 'void' : `void/${auth.attempt}`, reason });
    emit(action === 'refunded' ? 'payment_refunded' : 'payment_voided', { paymentId: auth.paymentId, reason });
  };

  if (!cancelledEarly) {
    await flush();
    await email(input.talent.email, 'shoutout-requested', 'requested', {
      talentName: input.talent.name,
      fanName: input.fan.name,
      recipientName: input.recipientName,
      occasion: input.occasion,
      instructions: input.instructions || '(none)',
      businessUse: input.businessUse ? 'yes' : 'no',
      price,
      deadline: deadlineWords,
      orderUrl,
    });
  }

  // 2. Wait for the talent and the video, until the deadline.
  let reminderSent = false;
  let delivered: DeliveredVideo | undefined;
  let unreadable = 0;
  const reauthAt = () => {
    const at = auth.authorizedAt + fractionOf(input.authWindowMs, input.reauthAtBps);
    return at < deadlineAt ? at : Number.POSITIVE_INFINITY;
  };
  const reauthorize = async (): Promise<boolean> => {
    const attempt = auth.attempt + 1;
    try {
      const next = await payments.shoutoutAuthorize({ orderId: input.orderId, workflowId, attempt, fanId: input.fan.id, amount: input.price, paymentMethod: input.paymentMethod });
      const old = auth;
      auth = { paymentId: next.paymentId, attempt, authorizedAt: nowMs() };
      state.authorizations = attempt;
      emit('reauthorized', { paymentId: next.paymentId, replaces: old.paymentId }, { paymentId: next.paymentId });
      await payments.shoutoutRelease({ orderId: input.orderId, workflowId, paymentId: old.paymentId, step: old.attempt === 1 ? 'void' : `void/${old.attempt}`, reason: 'replaced by a new authorisation' });
      return true;
    } catch (error) {
      const reason = businessMessage(error);
      if (reason === undefined) throw error;
      state.failureReason = `re-authorisation failed: ${reason}`;
      emit('payment_failed', { reason, reauthorization: attempt }, { failureReason: state.failureReason }, 'payment_failed');
      await release('re-authorisation failed');
      await flush();
      await email(input.fan.email, 'shoutout-payment-failed', 'payment-failed', { fanName: input.fan.name, talentName: input.talent.name, reason, price, orderUrl });
      return false;
    }
  };

  for (;;) {
    await flush();
    if (state.status === 'cancelled') {
      await release('cancelled by the fan');
      await flush();
      if (!cancelledEarly) await email(input.talent.email, 'shoutout-cancelled', 'cancelled', { talentName: input.talent.name, recipientName: input.recipientName, orderUrl });
      return finish();
    }
    if (state.status === 'declined') {
      await release('declined by the talent');
      await flush();
      await email(input.fan.email, 'shoutout-declined', 'declined', { fanName: input.fan.name, talentName: input.talent.name, reason: state.failureReason ?? '', price, orderUrl });
      return finish();
    }
    if (state.status === 'accepted' && uploads.length > 0) {
      const upload = uploads.shift()!;
      emit('video_uploaded', { bytes: upload.bytes, ...(upload.filename ? { filename: upload.filename } : {}) }, undefined, 'processing');
      await flush();
      try {
        delivered = await media.transcodeShoutoutVideo({ orderId: input.orderId, sourceKey: upload.key });
        break;
      } catch (error) {
        unreadable++;
        const reason = failureType(error) === 'UnreadableVideo' ? businessMessage(error) ?? 'the video could not be read' : 'the video could not be processed';
        emit('video_rejected', { reason }, undefined, 'accepted');
        await flush();
        await email(input.talent.email, 'shoutout-video-unreadable', `video-unreadable/${unreadable}`, { talentName: input.talent.name, recipientName: input.recipientName, reason, deadline: deadlineWords, orderUrl });
        continue;
      }
    }
    const now = nowMs();
    if (now >= deadlineAt) {
      emit('expired', { deadlineAt: deadlineText }, { failureReason: 'the talent did not deliver before the deadline' }, 'expired');
      state.failureReason = 'the talent did not deliver before the deadline';
      await release('expired');
      await flush();
      await email(input.fan.email, 'shoutout-expired-fan', 'expired/fan', { fanName: input.fan.name, talentName: input.talent.name, recipientName: input.recipientName, price, orderUrl });
      await email(input.talent.email, 'shoutout-expired-talent', 'expired/talent', { talentName: input.talent.name, recipientName: input.recipientName, orderUrl });
      return finish();
    }
    if (!reminderSent && now >= reminderAt) {
      reminderSent = true;
      emit('reminder_sent');
      await flush();
      await email(input.talent.email, 'shoutout-reminder', 'reminder', { talentName: input.talent.name, recipientName: input.recipientName, deadline: deadlineWords, accepted: state.status === 'accepted' ? 'yes' : 'no', orderUrl });
      continue;
    }
    if (now >= reauthAt()) {
      if (!(await reauthorize())) return finish();
      continue;
    }
    const wakeAt = Math.min(deadlineAt, reminderSent ? Number.POSITIVE_INFINITY : reminderAt, reauthAt());
    await condition(() => pending.length > 0 || (state.status === 'accepted' && uploads.length > 0), Math.max(1, wakeAt - now));
  }

  // 3. Capture, ledger, deliver.
  // The hold must still be live at capture: past SHOUTOUT_REAUTH_AT_BPS of its window, renew it first.
  if (nowMs() >= auth.authorizedAt + fractionOf(input.authWindowMs, input.reauthAtBps)) {
    if (!(await reauthorize())) return finish();
  }
  try {
    await payments.shoutoutCapture({ orderId: input.orderId, workflowId, paymentId: auth.paymentId });
  } catch (error) {
    const reason = businessMessage(error);
    if (reason === undefined) throw error;
    state.failureReason = `capture failed: ${reason}`;
    emit('payment_failed', { reason, step: 'capture' }, { failureReason: state.failureReason }, 'payment_failed');
    await flush();
    await email(input.fan.email, 'shoutout-payment-failed', 'payment-failed', { fanName: input.fan.name, talentName: input.talent.name, reason, price, orderUrl });
    return finish();
  }
  emit('captured', { paymentId: auth.paymentId, amount: input.price });
  const { talentShare, platformFee } = splitOrder(input.price, input.platformFeeBps);
  await payments.shoutoutPostLedger({ orderId: input.orderId, workflowId, fanId: input.fan.id, talentId: input.talent.id, talentShare, platformFee });
  state.deliveredAt = iso(nowMs());
  state.video = delivered;
  emit(
    'delivered',
    { width: delivered.width, height: delivered.height, durationSeconds: delivered.durationSeconds, bytes: delivered.bytes },
    { deliveredAt: state.deliveredAt, videoKey: delivered.videoKey, posterKey: delivered.posterKey, videoBytes: delivered.bytes, platformFee: platformFee.amount, talentShare: talentShare.amount },
    'delivered',
  );
  await flush();
  await email(input.fan.email, 'shoutout-delivered', 'delivered', {
    fanName: input.fan.name,
    talentName: input.talent.name,
    recipientName: input.recipientName,
    videoUrl: `${orderUrl}/video`,
    posterUrl: `${orderUrl}/poster`,
    orderUrl,
    price,
  });
  return finish();
}

/** An admin refund after delivery: `shoutout-<orderId>-refund-<refundId>`. */
export interface ShoutoutRefundInput {
  refundId: string;
  orderId: string;
  fan: { email: string; name: string };
  talentName: string;
  amount: Money;
  reason: string;
}

export async function shoutoutRefund(input: ShoutoutRefundInput): Promise<{ refundId: string; status: 'succeeded' | 'failed'; refundedTotal?: number; reason?: string }> {
  const { workflowId } = workflowInfo();
  try {
    const result = await payments.shoutoutExecuteRefund({ refundId: input.refundId, workflowId });
    await mail.sendEmail({
      to: input.fan.email,
      template: 'shoutout-refunded',
      vars: { fanName: input.fan.name, talentName: input.talentName, amount: formatAmount(input.amount), reason: input.reason },
      idempotencyKey: `${workflowId}/email/refunded`,
    });
    return { refundId: input.refundId, status: 'succeeded', refundedTotal: result.refundedTotal };
  } catch (error) {
    const reason = businessMessage(error);
    if (reason === undefined) throw error;
    return { refundId: input.refundId, status: 'failed', reason };
  }
}
