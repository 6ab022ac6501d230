import type { MoneyViolation } from '../../domain/operations/invariants';
import type { Db } from '../../platform/db';

/**
 * Read-only: every split's allocation sums to its total, and once it succeeded its transfers (as
 * recorded in its event log) equal its allocation, recipient by recipient.
 */
export async function splitViolations(db: Db): Promise<MoneyViolation[]> {
  const violations: MoneyViolation[] = [];
  const splits: { id: string; status: string; total_amount: string; currency: string; state: { allocation?: { party: string; amount: { amount: number; currency: string } }[] } }[] = await db('split_payments').select('id', 'status', 'total_amount', 'currency', 'state');
  const transfers: { aggregate_id: string; data: { payoutAccountId: string; amount: { amount: number; currency: string } } }[] = await db('split_events').where({ type: 'split.transfer_succeeded' }).select('aggregate_id', 'data');
  const transferred = new Map<string, Map<string, number>>();
  for (const t of transfers) {
    const byParty = transferred.get(t.aggregate_id) ?? new Map<string, number>();
    byParty.set(t.data.payoutAccountId, (byParty.get(t.data.payoutAccountId) ?? 0) + Number(t.data.amount?.amount ?? 0));
    transferred.set(t.aggregate_id, byParty);
  }
  for (const s of splits) {
    const allocation = s.state.allocation ?? [];
    const allocated = allocation.reduce((acc, l) => acc + Number(l.amount.amount), 0);
    const wrongCurrency = allocation.filter((l) => l.amount.currency !== s.currency);
    if (allocated !== Number(s.total_amount) || wrongCurrency.length) {
      violations.push({ invariant: 'splits.allocation=total', rows: [`split_payments:${s.id}`], detail: `split ${s.id} allocates ${allocated} of its total ${s.total_amount} ${s.currency}${wrongCurrency.length ? ` (lines in another currency: ${wrongCurrency.map((l) => l.party).join(', ')})` : ''}` });
    }
    if (!['succeeded', 'partially_refunded', 'refunded'].includes(s.status)) continue;
    const byParty = transferred.get(s.id) ?? new Map<string, number>();
    for (const line of allocation) {
      if (line.party === 'platform') continue;
      const sent = byParty.get(line.party) ?? 0;
      if (sent !== Number(line.amount.amount)) {
        violations.push({ invariant: 'splits.transfers=allocation', rows: [`split_payments:${s.id}`, `payout_accounts:${line.party}`], detail: `split ${s.id} transferred ${sent} to ${line.party}, its allocation says ${line.amount.amount} ${line.amount.currency}` });
      }
    }
  }
  return violations;
}

/**
 * Payout accounts held at the sandbox provider, with whether a split touching them is still moving
 * money (their ledger and provider balance may differ until it settles).
 */
export async function sandboxPayoutAccounts(db: Db): Promise<{ id: string; providerAccountId: string; settling: boolean }[]> {
  const accounts: { id: string; provider_account_id: string }[] = await db('payout_accounts').where({ provider: 'sandbox' }).select('id', 'provider_account_id');
  const moving: { state: { recipients?: { payoutAccountId: string }[] } }[] = await db('split_payments').whereIn('status', ['processing', 'compensating']).select('state');
  const busy = new Set(moving.flatMap((s) => (s.state.recipients ?? []).map((r) => r.payoutAccountId)));
  const pendingRefunds: { state: { refunds?: { status: string }[]; recipients?: { payoutAccountId: string }[] } }[] = await db('split_payments').whereIn('status', ['succeeded', 'partially_refunded']).select('state');
  for (const s of pendingRefunds) if ((s.state.refunds ?? []).some((r) => r.status === 'pending')) for (const r of s.state.recipients ?? []) busy.add(r.payoutAccountId);
  return accounts.map((a) => ({ id: a.id, providerAccountId: a.provider_account_id, settling: busy.has(a.id) }));
}
