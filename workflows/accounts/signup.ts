import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AccountsActivities } from '../../activities/accounts';

/**
 * `signup-<accountId>`: emails a 6-digit code, waits for it until the signup deadline, and then
 * either activates the account (POST /v1/accounts/verify, an update) or deletes it so the email is
 * free again. Only HMACs of codes ever enter this workflow's history (see activities/accounts/codes.ts).
 */
export interface SignupInput {
  accountId: string;
  email: string;
  name: string;
  /** Durations come in the input (from configuration at start), so a running signup keeps its rules. */
  codeTtlMs: number;
  maxAttempts: number;
  resendIntervalMs: number;
  deadlineMs: number;
}

export type SignupStatus = 'pending_verification' | 'active' | 'expired';

export interface SignupState {
  accountId: string;
  status: SignupStatus;
  codesSent: number;
  attemptsLeft: number;
  codeExpiresAt?: string;
  nextResendAt: string;
  deadline: string;
  /** Why the last code could not be sent, if it could not. */
  lastSendError?: string;
}

export interface VerifyResult {
  status: 'active';
}

export interface ResendResult {
  /** Null while the email is still being retried. */
  codeExpiresAt: string | null;
  nextResendAt: string;
}

/** Failure types the API turns into problems (ApplicationFailure.type). */
export const SignupFailure = {
  wrongCode: 'WrongVerificationCode',
  locked: 'VerificationCodeLocked',
  expired: 'VerificationCodeExpired',
  tooSoon: 'ResendTooSoon',
  notPending: 'SignupNotPending',
  sendFailed: 'VerificationEmailFailed',
} as const;

export const verifyAccountUpdate = defineUpdate<VerifyResult, [{ codeHash: string }]>('verifyAccount');
export const resendCodeUpdate = defineUpdate<ResendResult, []>('resendVerificationCode');
export const signupStateQuery = defineQuery<SignupState>('signupState');

// Activation and deletion are short database writes; bounded so a stuck database surfaces to the
// update's caller instead of holding the request forever.
const { accountsActivate } = proxyActivities<AccountsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});
const { accountsDeleteUnverified } = proxyActivities<AccountsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const RESEND_ANSWER_WAIT = '20 seconds';

/** Workflow time: the sandbox's Date is deterministic (the time of the current workflow task). */
const now = () => new Date().getTime();
const iso = (ms: number) => new Date(ms).toISOString();

/** An activity failure's own message is generic ("Activity task failed"): the cause says what happened. */
function rootMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  while (e && typeof e === 'object' && e.cause) e = e.cause as typeof e;
  return e?.message ?? String(error);
}

function fail(type: string, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}

export async function signup(input: SignupInput): Promise<{ status: SignupStatus }> {
  const { workflowId } = workflowInfo();
  const deadlineAt = now() + input.deadlineMs;
  let status: SignupStatus = 'pending_verification';
  let codeHash: string | undefined;
  let codeExpiresAt = 0;
  let attemptsLeft = 0;
  let codesSent = 0;
  let lastIssuedAt = 0;
  let lastSendError: string | undefined;
  let activating = false;
  // A code that could only be delivered after it expired is useless: retries stop at its lifetime.
  const { accountsSendVerificationCode } = proxyActivities<AccountsActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: Math.max(input.codeTtlMs, 60_000),
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

  /** Sends code number n; a newer code supersedes it even if this send finishes later. */
  const issueCode = async (): Promise<void> => {
    codesSent += 1;
    const sequence = codesSent;
    // The old code stops working the moment a new one is asked for.
    codeHash = undefined;
    lastIssuedAt = now();
    try {
      const sent = await accountsSendVerificationCode({
        accountId: input.accountId,
        workflowId,
        email: input.email,
        name: input.name,
        sequence,
        ttlMs: input.codeTtlMs,
      });
      if (sequence === codesSent) {
        codeHash = sent.codeHash;
        codeExpiresAt = now() + input.codeTtlMs;
        attemptsLeft = input.maxAttempts;
        lastSendError = undefined;
      }
    } catch (error) {
      if (sequence === codesSent) lastSendError = rootMessage(error);
      throw error;
    }
  };

  const requirePending = () => {
    if (status !== 'pending_verification' || activating) throw fail(SignupFailure.notPending, `This signup is ${activating ? 'being activated' : status}.`, { status });
  };
  const resendWaitMs = () => lastIssuedAt + input.resendIntervalMs - now();

  setHandler(signupStateQuery, () => ({
    accountId: input.accountId,
    status,
    codesSent,
    attemptsLeft,
    codeExpiresAt: codeHash ? iso(codeExpiresAt) : undefined,
    nextResendAt: iso(lastIssuedAt + input.resendIntervalMs),
    deadline: iso(deadlineAt),
    lastSendError,
  }));

  setHandler(
    verifyAccountUpdate,
    async ({ codeHash: submitted }) => {
      // Checked again here: another update may have changed the state since validation.
      requirePending();
      if (!codeHash || now() > codeExpiresAt) throw fail(SignupFailure.expired, 'The code has expired or was replaced; ask for a new one.', { attemptsLeft: 0 });
      if (attemptsLeft <= 0) throw fail(SignupFailure.locked, 'Too many wrong codes: this code is locked; ask for a new one.', { attemptsLeft: 0 });
      if (submitted !== codeHash) {
        attemptsLeft -= 1;
        throw fail(SignupFailure.wrongCode, attemptsLeft > 0 ? 'The code is wrong.' : 'The code is wrong, and now locked; ask for a new one.', { attemptsLeft });
      }
      activating = true;
      try {
        const { status: accountStatus } = await accountsActivate({ accountId: input.accountId });
        if (accountStatus !== 'active') throw fail(SignupFailure.notPending, `The account is ${accountStatus}.`, { status: accountStatus });
        status = 'active';
      } finally {
        activating = false;
      }
      return { status: 'active' };
    },
    {
      // Rejections in the validator leave no trace in history: shapes and closed signups end here.
      validator: (arg) => {
        if (!arg || typeof arg.codeHash !== 'string' || arg.codeHash.length === 0) throw fail('InvalidArgument', 'codeHash is required.');
        requirePending();
      },
    },
  );

  setHandler(
    resendCodeUpdate,
    async () => {
      requirePending();
      const wait = resendWaitMs();
      if (wait > 0) throw fail(SignupFailure.tooSoon, 'A code was sent less than the resend interval ago.', { retryAfterMs: wait });
      // The caller waits a bounded time for the email; a slow mail server keeps retrying in the
      // background and the answer then says the code is on its way (codeExpiresAt null).
      let settled = false;
      let sendError: unknown;
      issueCode().then(
        () => (settled = true),
        (error) => {
          settled = true;
          sendError = error;
        },
      );
      const done = await condition(() => settled, RESEND_ANSWER_WAIT);
      if (sendError) {
        const permanent = sendError instanceof ActivityFailure && sendError.cause instanceof ApplicationFailure && sendError.cause.nonRetryable;
        throw fail(SignupFailure.sendFailed, `The code could not be sent: ${rootMessage(sendError)}`, { permanent });
      }
      return { codeExpiresAt: done && codeHash ? iso(codeExpiresAt) : null, nextResendAt: iso(lastIssuedAt + input.resendIntervalMs) };
    },
    {
      // Spamming resend is refused before it reaches history.
      validator: () => {
        requirePending();
        const wait = resendWaitMs();
        if (wait > 0) throw fail(SignupFailure.tooSoon, 'A code was sent less than the resend interval ago.', { retryAfterMs: wait });
      },
    },
  );

  // The first code is not awaited: if the mail server is down for a long time the signup must
  // still expire on time. A failure is kept in the state; the user can ask for a new code.
  issueCode().catch(() => undefined);

  const verified = await condition(() => status === 'active', Math.max(0, deadlineAt - now()));
  if (!verified && activating) await condition(() => !activating);
  // (The cast: TypeScript does not see the update handlers assign `status`.)
  if ((status as SignupStatus) !== 'active') {
    // Closed before deleting, so no update slips in while the row goes away.
    status = 'expired';
    await accountsDeleteUnverified({ accountId: input.accountId });
  }
  await condition(allHandlersFinished);
  return { status };
}
