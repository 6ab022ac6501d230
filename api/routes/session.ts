import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CoreDeps } from '../../platform/deps';
import type { AppEnv, AppOpenAPI } from '../app-types';
import { ProblemError } from '../problem';
import { problemResponses } from '../schemas';

/**
 * The browser session of the web app (and of any browser client): the refresh token lives in an
 * httpOnly, SameSite=Strict cookie scoped to /v1/auth/session, and the page keeps only the short-lived
 * access token in memory. These routes wrap the token endpoints (/v1/auth/token, /refresh, /logout)
 * through the app itself, so rate limits, rotation and reuse detection are exactly theirs.
 *
 * CSRF: besides SameSite=Strict, every route here needs the header `X-Limelight-Session: 1` (a cross-site
 * form cannot send it; a cross-origin fetch that sends it needs a CORS preflight this API never grants)
 * and, when the browser sends `Origin`, it must be this server's own origin.
 */
export const SESSION_COOKIE = 'limelight_refresh';
export const SESSION_HEADER = 'x-limelight-session';
const COOKIE_PATH = '/v1/auth/session';

const AccessTokenSchema = z
  .object({
    accessToken: z.string(),
    expiresIn: z.number().int().openapi({ description: 'Seconds the access token is valid.' }),
    tokenType: z.literal('Bearer'),
  })
  .openapi('SessionAccessToken');

const csrfHeader = z.object({ [SESSION_HEADER]: z.literal('1').openapi({ description: 'Must be 1: proves a same-origin script sent the request (CSRF guard).' }) });

const login = createRoute({
  method: 'post',
  path: '/v1/auth/session',
  tags: ['auth'],
  summary: 'Browser login: sets the refresh token as an httpOnly cookie and answers only the access token',
  request: {
    headers: csrfHeader,
    body: { required: true, content: { 'application/json': { schema: z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) }) } } },
  },
  responses: { 200: { description: 'Logged in; Set-Cookie carries the refresh token', content: { 'application/json': { schema: AccessTokenSchema } } }, ...problemResponses(400, 401, 403, 429) },
});

const refresh = createRoute({
  method: 'post',
  path: '/v1/auth/session/refresh',
  tags: ['auth'],
  summary: 'Browser refresh: rotates the refresh-token cookie and answers a new access token',
  request: { headers: csrfHeader },
  responses: { 200: { description: 'A new access token; Set-Cookie carries the rotated refresh token', content: { 'application/json': { schema: AccessTokenSchema } } }, ...problemResponses(400, 401, 403) },
});

const logout = createRoute({
  method: 'post',
  path: '/v1/auth/session/logout',
  tags: ['auth'],
  summary: 'Browser logout: revokes the session of the cookie and clears it',
  request: { headers: csrfHeader },
  responses: { 204: { description: 'Logged out' }, ...problemResponses(400, 403) },
});

export function registerSessionRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const secure = deps.config.NODE_ENV === 'production';
  const maxAge = deps.config.REFRESH_TOKEN_TTL > 0 ? Math.floor(deps.config.REFRESH_TOKEN_TTL / 1000) : undefined;

  const sameOrigin = (c: Context<AppEnv>) => {
    const origin = c.req.header('origin');
    if (!origin) return;
    const self = new URL(c.req.url);
    const host = c.req.header('host') ?? self.host;
    const ok = [`${self.protocol}//${host}`, deps.config.PUBLIC_BASE_URL?.replace(/\/$/, '')].filter(Boolean);
    if (!ok.includes(origin)) throw new ProblemError(403, 'cross-origin', 'Session requests must come from this site.');
  };
  const forward = (c: Context<AppEnv>, path: string, body: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const forwardedFor = c.req.header('x-forwarded-for');
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    // c.env carries the socket, so the per-IP login limit sees the real client.
    return app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }, c.env);
  };
  const keep = (c: Context<AppEnv>, token: string) =>
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure, path: COOKIE_PATH, maxAge });
  const answer = async (c: Context<AppEnv>, res: Response) => {
    if (res.status !== 200) {
      if (res.status === 401) deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure });
      // The token route's problem as it answered (Retry-After included), plus this context's cleared cookie.
      for (const [name, value] of res.headers) if (name !== 'content-length' && name !== 'set-cookie') c.header(name, value);
      return c.body(await res.text(), res.status as 400);
    }
    const pair = (await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    keep(c, pair.refreshToken);
    return c.json({ accessToken: pair.accessToken, expiresIn: pair.expiresIn, tokenType: 'Bearer' as const }, 200);
  };

  app.openapi(login, async (c) => {
    sameOrigin(c);
    return (await answer(c, await forward(c, '/v1/auth/token', c.req.valid('json')))) as never;
  });

  app.openapi(refresh, async (c) => {
    sameOrigin(c);
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) throw new ProblemError(401, 'no-session', 'There is no session; log in.');
    return (await answer(c, await forward(c, '/v1/auth/refresh', { refreshToken: token }))) as never;
  });

  app.openapi(logout, async (c) => {
    sameOrigin(c);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await forward(c, '/v1/auth/logout', { refreshToken: token });
    deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure });
    return c.body(null, 204);
  });
}
