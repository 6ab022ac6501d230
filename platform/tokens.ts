import { sign } from 'hono/jwt';
import type { AccessTokenClaims, Principal } from '../domain/auth';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** An access token (JWT HS256, 15 minutes) for `principal`. */
export async function signAccessToken(secret: string, principal: Principal, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const claims: AccessTokenClaims = { sub: principal.accountId, roles: principal.roles, kind: principal.kind, iat: nowSeconds, exp: nowSeconds + ACCESS_TOKEN_TTL_SECONDS };
  return sign(claims, secret, 'HS256');
}
