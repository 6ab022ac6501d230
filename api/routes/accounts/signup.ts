import { createRoute, z } from '@hono/zod-openapi';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { hashVerificationCode } from '../../../platform/verification-codes';
import { hashPassword, passwordProblem, PASSWORD_MAX_LENGTH, scryptParamsOf } from '../../../platform/passwords';
import { isUniqueViolation } from '../../../platform/db';
import { deletePendingAccount, findAccountByEmail, insertAccount, normalizeEmail, type AccountRow } from '../../../stores/accounts/accounts';
import { recordThenStart } from '../../../platform/record-then-start';
import { hitRateLimit } from '../../../stores/accounts/rate-limit';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { resendCodeUpdate, signup, SignupFailure, verifyAccountUpdate } from '../../../workflows/accounts';
import type { AppOpenAPI } from '../../app-types';
import { ProblemError, problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { clientIp } from './auth';
import { EmailField } from './schemas';

export const signupWorkflowId = (accountId: string) => `signup-${accountId}`;

const SignupAccepted = z.object({ id: z.string(), status: z.literal('pending_verification') }).openapi('SignupAccepted');

const createAccount = createRoute({
  method: 'post',
  path: '/v1/accounts',
  tags: ['accounts'],
  summary: 'Sign up: creates a pending account and emails a 6-digit verification code',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            email: EmailField,
            password: z.string().max(PASSWORD_MAX_LENGTH).openapi({ description: 'At least 10 characters.', example: 'correct horse battery' }),
            name: z.string().trim().min(1).max(120),
            kind: z.enum(['fan', 'talent']),
          }),
        },
      },
    },
  },
  responses: {
    202: { description: 'Pending verification (the code is on its way)', content: { 'application/json': { schema: SignupAccepted } } },
    ...problemResponses(400, 409, 422, 429),
  },
});

const verifyAccount = createRoute({
  method: 'post',
  path: '/v1/accounts/verify',
  tags: ['accounts'],
  summary: 'Verify the emailed code (a workflow update): right → active; wrong → 422 with attemptsLeft',
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({ email: EmailField, code: z.string().trim().regex(/^\d{6}$/, 'must be 6 digits') }) } } },
  },
  responses: {
    200: { description: 'Verified and active', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.literal('active') }).openapi('Verified') } } },
    ...problemResponses(400, 404, 409, 422),
  },
});

const resendCode = createRoute({
  method: 'post',
  path: '/v1/accounts/resend-code',
  tags: ['accounts'],
  summary: 'Email a new code (at most once per resend interval); the old code stops working',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ email: EmailField }) } } } },
  responses: {
    202: {
      description: 'A new code was sent',
      content: { 'application/json': { schema: z.object({ id: z.string(), status: z.literal('pending_verification'), codeExpiresAt: z.string().nullable(), nextResendAt: z.string() }).openapi('CodeResent') } },
    },
    ...problemResponses(400, 404, 409, 429),
  },
});

/** The account a verify/resend is about: it must exist and still wait for its code. */
async function pendingAccount(deps: CoreDeps, email: string): Promise<AccountRow> {
  const account = await findAccountByEmail(deps.db, email);
  if (!account) throw new ProblemError(404, 'signup-not-found', 'No signup is waiting for verification with this email.', [{ field: 'email', message: 'no pending signup' }]);
  if (account.status !== 'pending_verification') throw signupClosed(account.status);
  return account;
}

function signupClosed(status: string): ProblemError {
  return new ProblemError(409, 'signup-closed', status === 'active' ? 'This account is already verified.' : `This signup is no longer pending (${status}).`, undefined, { accountStatus: status });
}

/** Update failures (from the handler or its validator) → problems; anything else is rethrown. */
function signupUpdateProblem(error: unknown): unknown {
  if (error instanceof WorkflowNotFoundError) return signupClosed('closed');
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure)) return error;
  const failure = error.cause;
  const details = (failure.details?.[0] ?? {}) as { attemptsLeft?: number; retryAfterMs?: number; status?: string; permanent?: boolean };
  switch (failure.type) {
    case SignupFailure.wrongCode:
      return new ProblemError(422, 'wrong-code', failure.message, [{ field: 'code', message: 'is wrong' }], { attemptsLeft: details.attemptsLeft ?? 0 });
    case SignupFailure.locked:
      return new ProblemError(422, 'code-locked', failure.message, [{ field: 'code', message: 'is locked after too many wrong attempts' }], { attemptsLeft: 0 });
    case SignupFailure.expired:
      return new ProblemError(422, 'code-expired', failure.message, [{ field: 'code', message: 'has expired or was replaced' }], { attemptsLeft: 0 });
    case SignupFailure.tooSoon: {
      const seconds = Math.max(1, Math.ceil((details.retryAfterMs ?? 1000) / 1000));
      return problems.tooMany(`A new code can be requested in ${seconds} s.`, seconds);
    }
    case SignupFailure.notPending:
      return signupClosed(details.status ?? 'closed');
    case SignupFailure.sendFailed:
      // A mail server that refuses the address for good will refuse it again: that is the email's fault.
      return details.permanent ? new ProblemError(422, 'email-rejected', failure.message, [{ field: 'email', message: 'was rejected by the mail server' }]) : problems.unavailable(failure.message);
    default:
      return error;
  }
}

export function registerSignupRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, temporal, config } = deps;

  app.openapi(createAccount, async (c) => {
    const body = c.req.valid('json');
    // Throttled like login, before any password hash or email: per client address and per email domain.
    const byIp = await hitRateLimit(db, `signup:ip:${clientIp(c, config.TRUST_PROXY)}`, config.SIGNUP_MAX_PER_IP, config.SIGNUP_RATE_WINDOW);
    if (!byIp.allowed) throw problems.tooMany('Too many signups from this address; try again later.', byIp.retryAfterSeconds);
    const domain = normalizeEmail(body.email).split('@').pop() ?? '';
    const byDomain = await hitRateLimit(db, `signup:domain:${domain}`, config.SIGNUP_MAX_PER_EMAIL_DOMAIN, config.SIGNUP_RATE_WINDOW);
    if (!byDomain.allowed) throw problems.tooMany(`Too many signups with @${domain} addresses; try again later.`, byDomain.retryAfterSeconds);
    const problem = passwordProblem(body.password);
    if (problem) throw problems.field('password', problem);
    const email = normalizeEmail(body.email);
    if (await findAccountByEmail(db, email)) throw emailTaken();

    const id = newId('acc');
    const passwordHash = await hashPassword(body.password, scryptParamsOf(config));
    try {
      await recordThenStart({
        record: () => insertAccount(db, { id, email, name: body.name, kind: body.kind, status: 'pending_verification', passwordHash }),
        start: () =>
          temporal.workflow.start(signup, {
            taskQueue: config.TASK_QUEUE,
            workflowId: signupWorkflowId(id),
            args: [{ accountId: id, email, name: body.name, codeTtlMs: config.VERIFICATION_CODE_TTL, maxAttempts: config.VERIFICATION_MAX_ATTEMPTS, resendIntervalMs: config.VERIFICATION_RESEND_INTERVAL, deadlineMs: config.SIGNUP_DEADLINE }],
          }),
        // Without its workflow the account could never be verified nor expire: take it back.
        undo: () => deletePendingAccount(db, id),
      });
    } catch (error) {
      // Two signups racing for one email: the unique index decides.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
    return c.json({ id, status: 'pending_verification' as const }, 202);
  });

  app.openapi(verifyAccount, async (c) => {
    const { email, code } = c.req.valid('json');
    const account = await pendingAccount(deps, email);
    try {
      await temporal.workflow.getHandle(signupWorkflowId(account.id)).executeUpdate(verifyAccountUpdate, { args: [{ codeHash: hashVerificationCode(config.JWT_SECRET, account.id, code) }] });
    } catch (error) {
      throw signupUpdateProblem(error);
    }
    return c.json({ id: account.id, status: 'active' as const }, 200);
  });

  app.openapi(resendCode, async (c) => {
    const { email } = c.req.valid('json');
    const account = await pendingAccount(deps, email);
    try {
      const result = await temporal.workflow.getHandle(signupWorkflowId(account.id)).executeUpdate(resendCodeUpdate, { args: [] });
      return c.json({ id: account.id, status: 'pending_verification' as const, ...result }, 202);
    } catch (error) {
      throw signupUpdateProblem(error);
    }
  });
}

function emailTaken(): ProblemError {
  return new ProblemError(409, 'email-taken', 'An account with this email already exists.', [{ field: 'email', message: 'is already registered' }]);
}
