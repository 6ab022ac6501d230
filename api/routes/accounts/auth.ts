import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { dummyPasswordHash, PASSWORD_MAX_LENGTH, scryptParamsOf, verifyPassword } from '../../../platform/passwords';
import { hitRateLimit, resetRateLimit } from '../../../stores/accounts/rate-limit';
import { issueRefreshToken, revokeRefreshTokenFamily, rotateRefreshToken } from '../../../stores/accounts/refresh-tokens';
import { accountView, findAccount, findAccountByEmail, normalizeEmail, type AccountRow } from '../../../stores/accounts/accounts';
import type { CoreDeps } from '../../../platform/deps';
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../../platform/tokens';
import type { AppEnv, AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { ProblemError, problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { AccountSchema, bearer, TokenPairSchema } from './schemas';

const issueToken = createRoute({
  method: 'post',
  path: '/v1/auth/token',
  tags: ['auth'],
  summary: 'Log in with email and password: an access token (JWT, 15 min) and a rotating refresh token',
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }) } } },
  },
  responses: {
    200: { description: 'Logged in', content: { 'application/json': { schema: TokenPairSchema } } },
    ...problemResponses(400, 401, 403, 429),
  },
});

const refresh = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token for a new pair (the old one is spent; reusing it revokes the session)',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ refreshToken: z.string().min(1).max(200) }) } } } },
  responses: {
    200: { description: 'A new token pair', content: { 'application/json': { schema: TokenPairSchema } } },
    ...problemResponses(400, 401, 403),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['auth'],
  summary: 'End the session of a refresh token (its whole rotation family)',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ refreshToken: z.string().min(1).max(200) }) } } } },
  responses: { 204: { description: 'Logged out (also for an unknown token)' }, ...problemResponses(400) },
});

export function registerAuthRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config } = deps;
  const scrypt = scryptParamsOf(config);
  const refreshTtl = config.REFRESH_TOKEN_TTL;

  const tokenPair = async (account: Pick<AccountRow, 'id' | 'roles' | 'kind'>, refreshToken: string) => ({
    accessToken: await signAccessToken(config.JWT_SECRET, { accountId: account.id, roles: account.roles, kind: account.kind }),
    refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    tokenType: 'Bearer' as const,
  });

  const me = createRoute({
    method: 'get',
    path: '/v1/me',
    tags: ['auth'],
    summary: 'The account of the access token',
    security: bearer,
    middleware: [requireAuth(config.JWT_SECRET)],
    responses: { 200: { description: 'The account', content: { 'application/json': { schema: AccountSchema } } }, ...problemResponses(401, 403) },
  });

  app.openapi(issueToken, async (c) => {
    const body = c.req.valid('json');
    const email = normalizeEmail(body.email);
    // Per IP first (bounds scrypt work per client), then per email (bounds guessing one account).
    const ip = clientIp(c, config.TRUST_PROXY);
    const byIp = await hitRateLimit(db, `login:ip:${ip}`, config.LOGIN_MAX_ATTEMPTS_PER_IP, config.LOGIN_RATE_WINDOW);
    if (!byIp.allowed) throw problems.tooMany('Too many login attempts from this address; try again later.', byIp.retryAfterSeconds);
    const byEmail = await hitRateLimit(db, `login:email:${email}`, config.LOGIN_MAX_ATTEMPTS_PER_EMAIL, config.LOGIN_RATE_WINDOW);
    if (!byEmail.allowed) throw problems.tooMany('Too many login attempts for this account; try again later.', byEmail.retryAfterSeconds);

    const account = await findAccountByEmail(db, email);
    // Unknown emails still pay for one scrypt, so timing does not reveal which accounts exist.
    const ok = await verifyPassword(body.password, account?.password_hash ?? (await dummyPasswordHash(scrypt)));
    if (!account || !account.password_hash || !ok) throw new ProblemError(401, 'invalid-credentials', 'The email or the password is wrong.');
    await resetRateLimit(db, `login:email:${email}`);
    // The status is told only to whoever knows the password.
    if (account.status === 'pending_verification') throw notVerified();
    if (account.status === 'deactivated') throw deactivated();

    const { token } = await issueRefreshToken(db, account.id, refreshTtl);
    return c.json(await tokenPair(account, token), 200);
  });

  app.openapi(refresh, async (c) => {
    const { refreshToken } = c.req.valid('json');
    const result = await rotateRefreshToken(db, refreshToken, refreshTtl);
    switch (result.outcome) {
      case 'rotated':
        // Roles are read again: a premium granted or revoked since the last token shows now.
        return c.json(await tokenPair(result.account, result.token), 200);
      case 'reused':
        throw new ProblemError(401, 'refresh-token-reused', 'This refresh token was already used; the session has been revoked for safety. Log in again.');
      case 'inactive':
        throw result.status === 'pending_verification' ? notVerified() : result.status === 'deactivated' ? deactivated() : new ProblemError(401, 'invalid-refresh-token', 'The account no longer exists.');
      default:
        throw new ProblemError(401, 'invalid-refresh-token', `The refresh token is ${result.outcome === 'unknown' ? 'not valid' : result.outcome}.`);
    }
  });

  app.openapi(logout, async (c) => {
    const { refreshToken } = c.req.valid('json');
    await revokeRefreshTokenFamily(db, refreshToken);
    return c.body(null, 204);
  });

  app.openapi(me, async (c) => {
    const account = await findAccount(db, c.get('principal').accountId);
    if (!account) throw problems.unauthorized('The account of this token no longer exists.');
    // Access tokens are stateless for 15 minutes; this route at least tells a deactivated account so at once.
    if (account.status === 'deactivated') throw deactivated();
    return c.json(accountView(account), 200);
  });
}

function notVerified(): ProblemError {
  return new ProblemError(403, 'account-not-verified', 'This account is not verified yet: enter the code we emailed (POST /v1/accounts/verify) or ask for a new one.', undefined, { reason: 'pending_verification' });
}

function deactivated(): ProblemError {
  return new ProblemError(403, 'account-deactivated', 'This account has been deactivated.', undefined, { reason: 'deactivated' });
}

/** The client address: the socket's, or with TRUST_PROXY the one our proxy appended last to X-Forwarded-For. */
export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
