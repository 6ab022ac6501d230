import { getPayoutAccounts } from '../../stores/splits/payout-accounts';
import { getSplitState } from '../../stores/splits/projection';
import type { Money } from '../../domain/money';
import type { CoreDeps } from '../../platform/deps';

/** One recipient told that a refund took part of their share back. */
export interface ClawbackNotice {
  payoutAccountId: string;
  email: string;
  name: string;
  description: string;
  /** The recipient's share of the split, and what is left of it after every refund so far. */
  allocated: Money;
  kept: Money;
}

export function createSplitNoticeActivities(deps: CoreDeps) {
  const { db } = deps;
  return {
    /** Read after the refund was recorded: who to email about their clawback, with their share before and after. */
    async splitClawbackNotices(input: { splitId: string; payoutAccountIds: string[] }): Promise<ClawbackNotice[]> {
      const state = await getSplitState(db, input.splitId);
      if (!state || input.payoutAccountIds.length === 0) return [];
      const accounts = await getPayoutAccounts(db, input.payoutAccountIds);
      return accounts.flatMap((a) => {
        const recipient = state.recipients.find((r) => r.payoutAccountId === a.id);
        if (!recipient) return [];
        return [{ payoutAccountId: a.id, email: a.email, name: a.name, description: state.description, allocated: recipient.amount, kept: { amount: recipient.amount.amount - recipient.refunded, currency: recipient.amount.currency } }];
      });
    },
  };
}
