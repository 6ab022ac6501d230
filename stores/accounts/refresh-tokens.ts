import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../../domain/ids';
import type { Db } from '../../platform/db';
import type { AccountRow } from './accounts';

/**
 * Refresh tokens are 256-bit random strings; only their SHA-256 is stored (high entropy makes a
 * slow hash unnecessary). Each login starts a family; each refresh marks the presented token
 * rotated and issues its successor in the same family. Presenting a rotated token again means it
 * was copied: the whole family is revoked, so the thief's and the victim's sessions both end.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function issueRefreshToken(db: Db, accountId: string, ttlMs: number, familyId = newId('rtf')): Promise<{ id: string; token: string; familyId: string }> {
  const token = `rt_${randomBytes(32).toString('base64url')}`;
  const id = newId('rtk');
  await db('refresh_tokens').insert({ id, account_id: accountId, family_id: familyId, token_hash: hashRefreshToken(token), expires_at: new Date(Date.now() + ttlMs) });
  return { id, token, familyId };
}

export type RotateOutcome =
  | { outcome: 'rotated'; account: AccountRow; token: string }
  | { outcome: 'unknown' | 'revoked' | 'expired' }
  | { outcome: 'reused' }
  | { outcome: 'inactive'; status: string };

async function revokeFamily(db: Db, familyId: string, reason: string): Promise<void> {
  await db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoke_reason: reason });
}

/**
 * Exchanges a refresh token for its successor. Runs in one transaction with the row locked, so
 * two concurrent uses of one token cannot both rotate it; the revocations that answer a reuse are
 * committed (the outcome is returned, not thrown, so the transaction is not rolled back).
 */
export async function rotateRefreshToken(db: Db, token: string, ttlMs: number): Promise<RotateOutcome> {
  return db.transaction(async (trx) => {
    const row = await trx('refresh_tokens').where({ token_hash: hashRefreshToken(token) }).forUpdate().first();
    if (!row) return { outcome: 'unknown' };
    if (row.revoked_at) return { outcome: 'revoked' };
    if (row.rotated_at) {
      await revokeFamily(trx, row.family_id, 'reuse-detected');
      return { outcome: 'reused' };
    }
    if (new Date(row.expires_at).getTime() <= Date.now()) return { outcome: 'expired' };
    const account = (await trx('accounts').where({ id: row.account_id }).first()) as AccountRow | undefined;
    if (!account || account.status !== 'active') {
      await revokeFamily(trx, row.family_id, 'account-inactive');
      return { outcome: 'inactive', status: account?.status ?? 'deleted' };
    }
    const next = await issueRefreshToken(trx, row.account_id, ttlMs, row.family_id);
    await trx('refresh_tokens').where({ id: row.id }).update({ rotated_at: trx.fn.now(), replaced_by: next.id });
    return { outcome: 'rotated', account, token: next.token };
  });
}

/** Logout: ends the session the token belongs to (its whole family). Unknown tokens are ignored. */
export async function revokeRefreshTokenFamily(db: Db, token: string, reason = 'logout'): Promise<boolean> {
  const row = await db('refresh_tokens').where({ token_hash: hashRefreshToken(token) }).first('family_id');
  if (!row) return false;
  await revokeFamily(db, row.family_id, reason);
  return true;
}

export async function revokeAllRefreshTokens(db: Db, accountId: string, reason: string): Promise<void> {
  await db('refresh_tokens').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoke_reason: reason });
}
