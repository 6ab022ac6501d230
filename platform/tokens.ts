import { createHmac, timingSafeEqual } from 'node:crypto';
import { sign } from 'hono/jwt';
import type { AccessTokenClaims, Principal } from '../domain/auth';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** An access token (JWT HS256, 15 minutes) for `principal`. */
export async function signAccessToken(secret: string, principal: Principal, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const claims: AccessTokenClaims = { sub: principal.accountId, roles: principal.roles, kind: principal.kind, iat: nowSeconds, exp: nowSeconds + ACCESS_TOKEN_TTL_SECONDS };
  return sign(claims, secret, 'HS256');
}

/**
 * HS256 verification with node:crypto (sync HMAC, timing-safe compare): the same checks as hono's
 * `verify(token, secret, 'HS256')` (header alg HS256, typ JWT if present, no `crit`; signature;
 * nbf, exp, iat against now), at a fraction of its cost: WebCrypto imports the key and hops to
 * the thread pool on every call, which was the largest cost of a vote or a view.
 */
const B64URL = /^[A-Za-z0-9_-]*$/;

function decodePart(part: string): unknown {
  if (!B64URL.test(part)) throw new Error('the access token is malformed');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function verifyHs256(token: string, secret: string, nowSeconds: number): AccessTokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('the access token is malformed');
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodePart(headerPart) as Record<string, unknown> | null;
  if (!header || typeof header !== 'object' || header.alg !== 'HS256' || 'crit' in header) throw new Error('the access token header is not HS256');
  if ('typ' in header && (typeof header.typ !== 'string' || header.typ.toLowerCase().replace(/^application\//, '') !== 'jwt')) throw new Error('the access token is not a JWT');
  if (!B64URL.test(signaturePart)) throw new Error('the access token is malformed');
  const signature = Buffer.from(signaturePart, 'base64url');
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new Error('the access token signature does not match');
  const claims = decodePart(payloadPart) as AccessTokenClaims | null;
  if (!claims || typeof claims !== 'object') throw new Error('the access token is malformed');
  const time = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (claims.nbf !== undefined && (!time(claims.nbf) || (claims.nbf as number) > nowSeconds)) throw new Error('the access token is not valid yet');
  if (claims.exp !== undefined && (!time(claims.exp) || claims.exp <= nowSeconds)) throw new Error('the access token has expired');
  if (claims.iat !== undefined && (!time(claims.iat) || nowSeconds < claims.iat)) throw new Error('the access token is issued in the future');
  return claims;
}

/**
 * Verified tokens, by their exact text, per secret, until their own `exp`. A signed-in client sends
 * the same token on every click for 15 minutes: a hit costs a map lookup. A cached answer is
 * exactly what verifying again would give (the token is stateless; only its expiry moves, and it
 * is checked on every hit). Bounded: the oldest entry goes when full. Tokens without `exp` are not
 * cached.
 */
const MAX_CACHED_TOKENS = 100_000;
const verified = new Map<string, Map<string, AccessTokenClaims>>();

/** The claims of a valid HS256 token signed with `secret`; throws when invalid, expired or not yet valid. */
export async function verifyAccessToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<AccessTokenClaims> {
  let cache = verified.get(secret);
  const hit = cache?.get(token);
  if (hit) {
    if (hit.exp > nowSeconds) return hit;
    cache!.delete(token);
    throw new Error('the access token has expired');
  }
  const claims = verifyHs256(token, secret, nowSeconds);
  if (typeof claims.exp === 'number') {
    if (!cache) verified.set(secret, (cache = new Map()));
    if (cache.size >= MAX_CACHED_TOKENS) cache.delete(cache.keys().next().value!);
    // Shared by every later request with this token: nobody may change it.
    cache.set(token, Object.freeze(claims));
  }
  return claims;
}
