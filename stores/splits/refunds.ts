import { allocateRefund } from '../../domain/splits/allocation';
import type { SplitState } from '../../domain/splits/fold';
import type { Db } from '../../platform/db';
import { appendInTransaction, lockSplitState, type AppendResult } from './events';

/**
 * Refunds of a succeeded split are reserved here, under the aggregate's lock, so two concurrent
 * refunds can never take back more than was paid. The API maps the refusals to problems.
 */

/** Remaining (not yet refunded) money of each party of a split. */
export function heldByParty(state: SplitState): { party: string; amount: { amount: number; currency: string } }[] {
  const currency = state.total.currency;
  const recipientsRefunded = state.recipients.reduce((a, r) => a + r.refunded, 0);
  return state.allocation.map((line) => {
    const r = state.recipients.find((x) => x.payoutAccountId === line.party);
    const taken = r ? r.refunded : state.refundedAmount - recipientsRefunded;
    return { party: line.party, amount: { amount: line.amount.amount - taken, currency } };
  });
}

export class RefundRefused extends Error {
  constructor(readonly reason: 'not_found' | 'state' | 'amount', message: string) {
    super(message);
  }
}

/**
 * Reserves a refund: under the aggregate's lock, checks the split can be refunded by `amount`
 * (default: all that is left), splits it pro rata among what each party still holds, and appends
 * `split.refund_requested`. Throws RefundRefused when it cannot.
 */
export async function reserveRefund(db: Db, input: { splitId: string; refundId: string; workflowId: string; amount?: number; requestedBy: string }): Promise<AppendResult> {
  return db.transaction(async (trx) => {
    const state = await lockSplitState(trx, input.splitId);
    if (!state) throw new RefundRefused('not_found', `split payment ${input.splitId}`);
    if (state.status !== 'succeeded' && state.status !== 'partially_refunded') throw new RefundRefused('state', `The split payment is ${state.status}; only a succeeded split payment can be refunded.`);
    const held = heldByParty(state);
    const refundable = held.reduce((a, l) => a + l.amount.amount, 0);
    const amount = input.amount ?? refundable;
    if (amount <= 0 || amount > refundable) throw new RefundRefused('amount', `must be between 1 and ${refundable} (what is left to refund)`);
    const allocation = allocateRefund(amount, held);
    return appendInTransaction(trx, {
      id: `${input.workflowId}/requested`,
      aggregateId: input.splitId,
      type: 'split.refund_requested',
      data: { refundId: input.refundId, amount: { amount, currency: state.total.currency }, allocation, requestedBy: input.requestedBy },
      correlationId: input.workflowId,
      causationId: null,
    });
  });
}
