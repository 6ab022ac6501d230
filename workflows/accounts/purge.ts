import { proxyActivities, sleep } from '@temporalio/workflow';
import type { AccountsActivities } from '../../activities/accounts';

/**
 * `account-purge-<accountId>`: started when an admin deactivates an account; after the retention
 * period it deletes the account (grants and refresh tokens cascade) unless it is no longer
 * deactivated. A durable timer replaces a periodic clean-up job.
 */
export interface AccountPurgeInput {
  accountId: string;
  retentionMs: number;
}

const { accountsPurgeDeactivated } = proxyActivities<AccountsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

export async function accountPurge(input: AccountPurgeInput): Promise<{ purged: boolean }> {
  await sleep(input.retentionMs);
  return accountsPurgeDeactivated({ accountId: input.accountId });
}
