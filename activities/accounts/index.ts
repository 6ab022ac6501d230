import { ApplicationFailure } from '@temporalio/activity';
import type { CoreDeps } from '../../platform/deps';
import { createEmailActivities } from '../email/activities';
import { deriveVerificationCode, hashVerificationCode } from '../../platform/verification-codes';
import { activateAccount, deletePendingAccount, purgeDeactivatedAccount, type AccountStatus } from '../../stores/accounts/accounts';

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
      const status = await activateAccount(db, input.accountId);
      if (!status) throw ApplicationFailure.nonRetryable(`account ${input.accountId} does not exist`, 'AccountNotFound');
      return { status };
    },

    /** Deletes the account only if it is still unverified: the email becomes free again. */
    async accountsDeleteUnverified(input: { accountId: string }): Promise<{ deleted: boolean }> {
      const deleted = await deletePendingAccount(db, input.accountId);
      if (deleted) logger.info({ accountId: input.accountId }, 'unverified account expired and deleted');
      return { deleted };
    },

    /**
     * Purges a deactivated account; a reactivated one stays. Deleted when nothing references it,
     * anonymised when orders, subscriptions or splits must outlive it (see the store).
     */
    async accountsPurgeDeactivated(input: { accountId: string }): Promise<{ purged: boolean; mode?: 'deleted' | 'anonymized' }> {
      const mode = await purgeDeactivatedAccount(db, input.accountId);
      if (mode === 'deleted') logger.info({ accountId: input.accountId }, 'deactivated account purged');
      if (mode === 'anonymized') logger.info({ accountId: input.accountId }, 'deactivated account anonymised (business records keep referencing it)');
      return mode ? { purged: true, mode } : { purged: false };
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
