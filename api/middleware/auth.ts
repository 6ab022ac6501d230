import type { MiddlewareHandler } from 'hono';
import type { AccessTokenClaims, Principal, Role } from '../../domain/auth';
import { verifyAccessToken } from '../../platform/tokens';
import type { AppEnv } from '../app-types';
import { problems } from '../problem';

/** Verifies the bearer access token (JWT HS256; a token seen before is not checked again, see verifyAccessToken) and sets `principal`. */
export function requireAuth(secret: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw problems.unauthorized();
    let claims: AccessTokenClaims;
    try {
      claims = await verifyAccessToken(secret, match[1]);
    } catch {
      throw problems.unauthorized('The access token is invalid or expired.');
    }
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) throw problems.unauthorized('The access token is malformed.');
    const principal: Principal = { accountId: claims.sub, roles: claims.roles, kind: claims.kind };
    c.set('principal', principal);
    // Every later line of this request names the account.
    c.set('logger', c.get('logger')?.child({ accountId: principal.accountId }));
    await next();
  };
}

/** Allows the request when the principal holds any of `roles` (after requireAuth). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw problems.unauthorized();
    if (!roles.some((r) => principal.roles.includes(r))) throw problems.forbidden(`This needs the role ${roles.join(' or ')}.`);
    await next();
  };
}

export function isAdmin(principal: Principal): boolean {
  return principal.roles.includes('admin');
}
