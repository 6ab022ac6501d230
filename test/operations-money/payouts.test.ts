import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent } from '../shoutouts/helpers';

/**
 * Payouts pay every delivered order exactly once: the current month is only a preview (a refund
 * after it is still deducted, a later delivery still paid), and what lands in a month after it was
 * frozen is carried into the next payout as an adjustment.
 */
describe('payouts freeze only closed months and carry late arrivals', () => {
  let stack: TestStack;
  let admin: TestAccount;
  let fan: TestAccount;

  const currentMonth = () => new Date().toISOString().slice(0, 7);
  const get = async (month: string) => {
    const res = await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: admin.token });
    expect(res.status).toBe(200);
    return res.body as { month: string; preview: boolean; items: { id: string; talentId: string; orders: number; gross: { amount: number }; platformFee: { amount: number }; refunds: { amount: number }; adjustments: { amount: number }; amountDue: { amount: number } }[] };
  };
  const mine = (body: Awaited<ReturnType<typeof get>>, talentId: string) => body.items.find((p) => p.talentId === talentId);

  /** A delivered order written straight to the table (delivery itself is covered end to end elsewhere); 25 % fee. */
  async function delivered(talentId: string, price: number, deliveredAt: Date | string): Promise<string> {
    const id = `sho_money_${Math.random().toString(36).slice(2, 12)}`;
    const fee = Math.round(price / 4);
    await stack.deps.db('shoutout_orders').insert({
      id, workflow_id: `shoutout-${id}`, fan_id: fan.id, talent_id: talentId, status: 'delivered', recipient_name: 'Ana', occasion: 'birthday',
      price_amount: price, currency: 'USD', platform_fee_amount: fee, talent_share_amount: price - fee, delivered_at: deliveredAt, closed_at: deliveredAt,
    });
    return id;
  }
  async function refunded(orderId: string, talentId: string, amount: number, talentPortion: number, completedAt: Date | string): Promise<string> {
    const id = `ref_money_${Math.random().toString(36).slice(2, 12)}`;
    await stack.deps.db('shoutout_refunds').insert({
      id, order_id: orderId, talent_id: talentId, amount, currency: 'USD', talent_portion: talentPortion, fee_portion: amount - talentPortion,
      reason: 'fixture', status: 'succeeded', requested_by: admin.id, completed_at: completedAt,
    });
    return id;
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    admin = await createActiveAccount(stack.deps, { kind: 'fan', roles: ['admin'] });
    fan = await createFan(stack);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the current month as a preview: a later refund is deducted and a later delivery is paid', async () => {
    const month = currentMonth();
    const talent = await createTalent(stack);
    const first = await delivered(talent.id, 4000, new Date());

    const before = await get(month);
    expect(before.preview).toBe(true);
    expect(mine(before, talent.id)).toMatchObject({ orders: 1, gross: { amount: 4000 }, refunds: { amount: 0 }, amountDue: { amount: 3000 } });
    expect(mine(before, talent.id)!.id).toMatch(/^preview_/);
    expect(await stack.deps.db('shoutout_payouts').where({ month }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await stack.deps.db('shoutout_payout_months').where({ month }).first()).toBeUndefined();

    // The case: a 7.50 refund after the export, and an order delivered later the same month.
    await refunded(first, talent.id, 1000, 750, new Date());
    await delivered(talent.id, 2000, new Date());
    const after = await get(month);
    expect(after.preview).toBe(true);
    expect(mine(after, talent.id)).toMatchObject({ orders: 2, gross: { amount: 6000 }, platformFee: { amount: 1500 }, refunds: { amount: 750 }, amountDue: { amount: 3750 } });

    const csv = await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: admin.token, headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-disposition')).toContain(`payouts-${month}-preview.csv`);
  });

  it('carries deliveries and refunds that land in a frozen month into the next payout, paying each order once', async () => {
    const talent = await createTalent(stack);
    const other = await createTalent(stack);
    const june = await delivered(talent.id, 5000, '2025-06-10T10:00:00Z');
    await delivered(other.id, 8000, '2025-06-11T10:00:00Z');

    const frozen = await get('2025-06');
    expect(frozen.preview).toBe(false);
    expect(mine(frozen, talent.id)).toMatchObject({ orders: 1, gross: { amount: 5000 }, adjustments: { amount: 0 }, amountDue: { amount: 3750 } });

    // Late arrivals in June (a delivery committed after the freeze, a refund dated June), and July's own.
    const late = await delivered(talent.id, 2000, '2025-06-30T23:59:59Z');
    await refunded(june, talent.id, 1000, 750, '2025-06-20T10:00:00Z');
    await delivered(talent.id, 3000, '2025-07-05T10:00:00Z');
    // June stays as it was frozen.
    expect(mine(await get('2025-06'), talent.id)).toMatchObject({ orders: 1, amountDue: { amount: 3750 } });

    const july = await get('2025-07');
    expect(july.preview).toBe(false);
    // July: its own order (3000 − 750 fee) + adjustments (late delivery 2000 − 500 fee, late refund −750).
    expect(mine(july, talent.id)).toMatchObject({ orders: 1, gross: { amount: 3000 }, platformFee: { amount: 750 }, refunds: { amount: 0 }, adjustments: { amount: 750 }, amountDue: { amount: 3000 } });
    expect(mine(july, other.id)).toBeUndefined();

    // Every delivered order of the talent is in exactly one payout.
    const items = await stack.deps.db('shoutout_payout_items').join('shoutout_orders', 'shoutout_orders.id', 'shoutout_payout_items.ref_id').where({ kind: 'delivery', 'shoutout_orders.talent_id': talent.id }).select('ref_id', 'adjustment');
    expect(items).toHaveLength(3);
    expect(items.find((i: { ref_id: string }) => i.ref_id === late)).toMatchObject({ adjustment: true });
    // Exported again: the same rows, nothing new.
    const again = await get('2025-07');
    expect(again.items.map((p) => p.id)).toEqual(july.items.map((p) => p.id));
  });
});
