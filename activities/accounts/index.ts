import { ApplicationFailure } from '@temporalio/activity';
import type { CoreDeps } from '../../platform/deps';
import { createEmailActivities } from '../email/activities';
import { deriveVerificationCode, hashVerificationCode } from '../../platform/verification-codes';
import type { AccountStatus } from '../../stores/accounts/accounts';

/** Activities of the accounts capability. Names are unique across the platform (they share one worker). */
export function createAccountsActivities(deps: CoreDeps) {
  const { db, config, logger } = deps;
  const { sendEmail } = createEmailActivities(deps);

  return {
    /**
     * Derives code number `sequence` of this signup, emails it, and hands the workflow only its
     * HMAC. Deterministic per (workflowId, sequence), so a retry re-derives the same code and the
     * email's idempotency key stops it from going out twice.
     */
    async accountsSendVerificationCode(input: { accountId: string; workflowId: string; email: string; name: string; sequence: number; ttlMs: number }): Promise<{ codeHash: string }> {
      const code = deriveVerificationCode(config.JWT_SECRET, input.workflowId, input.sequence);
      await sendEmail({
        to: input.email,
        template: 'verification-code',
        vars: { name: input.name, code, validFor: humanDuration(input.ttlMs) },
        idempotencyKey: `${input.workflowId}/email/verification-code-${input.sequence}`,
      });
      return { codeHash: hashVerificationCode(config.JWT_SECRET, input.accountId, code) };
    },

    /** pending_verification → active; answers the status the account ends in (idempotent). */
    async accountsActivate(input: { accountId: string }): Promise<{ status: AccountStatus }> {
      await db('accounts')
        .where({ id: input.accountId, status: 'pending_verification' })
        .update({ status: 'active', verified_at: db.fn.now(), updated_at: db.fn.now() });
      const row = await db('accounts').where({ id: input.accountId }).first('status');
      if (!row) throw ApplicationFailure.nonRetryable(`account ${input.accountId} does not exist`, 'AccountNotFound');
      return { status: row.status as AccountStatus };
    },

    /** Deletes the account only if it is still unverified: the email becomes free again. */
    async accountsDeleteUnverified(input: { accountId: string }): Promise<{ deleted: boolean }> {
      const deleted = await db('accounts').where({ id: input.accountId, status: 'pending_verification' }).delete();
      if (deleted) logger.info({ accountId: input.accountId }, 'unverified account expired and deleted');
      return { deleted: deleted > 0 };
    },

    /**
     * Purges a deactivated account; a reactivated one stays. Without business records the row goes
     * (grants and refresh tokens cascade). Orders, subscriptions and splits must outlive it (money
     * was moved), so when they still reference the account it is anonymised instead: personal data
     * scrubbed, the email freed, sessions gone.
     */
    async accountsPurgeDeactivated(input: { accountId: string }): Promise<{ purged: boolean; mode?: 'deleted' | 'anonymized' }> {
      try {
        const purged = await db('accounts').where({ id: input.accountId, status: 'deactivated' }).delete();
        if (purged) logger.info({ accountId: input.accountId }, 'deactivated account purged');
        return purged ? { purged: true, mode: 'deleted' } : { purged: false };
      } catch (error) {
        if ((error as { code?: string }).code !== '23503') throw error; // foreign_key_violation
      }
      const anonymized = await db.transaction(async (trx) => {
        const n = await trx('accounts')
          .where({ id: input.accountId, status: 'deactivated' })
          .update({ email: `purged+${input.accountId}@purged.invalid`, name: 'Deleted account', password_hash: null, updated_at: trx.fn.now() });
        if (n) await trx('refresh_tokens').where({ account_id: input.accountId }).delete();
        return n;
      });
      if (anonymized) logger.info({ accountId: input.accountId }, 'deactivated account anonymised (business records keep referencing it)');
      return anonymized ? { purged: true, mode: 'anonymized' } : { purged: false };
    },
  };
}

/** "15 minutes", "1 hour", "30 seconds": for the email text. */
export function humanDuration(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size) {
      const n = Math.round(ms / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return '1 second';
}

export type AccountsActivities = ReturnType<typeof createAccountsActivities>;
