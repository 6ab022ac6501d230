import { createHmac } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { signAccessToken, verifyAccessToken } from './tokens';

const principal = { accountId: 'acc_1', roles: ['normal' as const], kind: 'fan' as const };

describe('access token verification', () => {
  it('answers the claims of a valid token, again from the cache, as the same frozen object', async () => {
    const token = await signAccessToken('s1', principal);
    const first = await verifyAccessToken('s1', token);
    expect(first).toMatchObject({ sub: 'acc_1', roles: ['normal'], kind: 'fan' });
    expect(await verifyAccessToken('s1', token)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a token verified before under another secret', async () => {
    const token = await signAccessToken('s2', principal);
    await verifyAccessToken('s2', token);
    await expect(verifyAccessToken('other', token)).rejects.toThrow();
  });

  it('refuses a cached token once it has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signAccessToken('s3', principal, now - 60);
    const claims = await verifyAccessToken('s3', token);
    await expect(verifyAccessToken('s3', token, claims.exp)).rejects.toThrow();
  });

  it('refuses a forged or expired token, and caches no token without exp', async () => {
    const token = await signAccessToken('s4', principal);
    await expect(verifyAccessToken('s4', `${token.slice(0, -2)}xx`)).rejects.toThrow();
    await expect(verifyAccessToken('s4', await signAccessToken('s4', principal, Math.floor(Date.now() / 1000) - 3600))).rejects.toThrow();
    const eternal = await sign({ sub: 'acc_1', roles: [], kind: 'fan' }, 's4', 'HS256');
    const a = await verifyAccessToken('s4', eternal);
    expect(await verifyAccessToken('s4', eternal)).not.toBe(a);
  });

  it('agrees with hono verify on what it accepts and refuses', async () => {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const valid = await sign({ sub: 'acc_2', roles: ['normal'], kind: 'fan', iat: now, exp: now + 60 }, 's5', 'HS256');
    const [, payload, signature] = valid.split('.');
    const signed = (header: unknown) => `${b64(header)}.${payload}.${createHmac('sha256', 's5').update(`${b64(header)}.${payload}`).digest('base64url')}`;
    const cases: [string, string][] = [
      ['valid', valid],
      ['another algorithm', await sign({ sub: 'acc_2', exp: now + 60 }, 's5', 'HS512')],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      ['a swapped header', `${b64({ alg: 'HS256', typ: 'JWT', kid: 'x' })}.${payload}.${signature}`],
      ['typ not JWT', signed({ alg: 'HS256', typ: 'at+jwt' })],
      ['typ application/jwt', signed({ alg: 'HS256', typ: 'application/JWT' })],
      ['no typ', signed({ alg: 'HS256' })],
      ['crit', signed({ alg: 'HS256', typ: 'JWT', crit: ['x'] })],
      ['not yet valid', await sign({ sub: 'acc_2', nbf: now + 600, exp: now + 900 }, 's5', 'HS256')],
      ['issued in the future', await sign({ sub: 'acc_2', iat: now + 600, exp: now + 900 }, 's5', 'HS256')],
      ['expired', await sign({ sub: 'acc_2', exp: now - 1 }, 's5', 'HS256')],
      ['two parts', valid.split('.').slice(0, 2).join('.')],
      ['bad base64', `${valid}!`],
    ];
    expect(await verifyAccessToken('s5', valid)).toMatchObject({ sub: 'acc_2' });
    for (const [what, token] of cases) {
      const theirs = await verify(token, 's5', 'HS256').then(() => 'ok', () => 'refused');
      const ours = await verifyAccessToken('s5', token).then(() => 'ok', () => 'refused');
      expect(`${what}: ${ours}`).toBe(`${what}: ${theirs}`);
    }
  });
});
