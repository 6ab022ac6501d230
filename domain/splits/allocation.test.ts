import fc from 'fast-check';
import { allocateRefund, PERCENT_SCALE, planSplit, type SplitSpec } from './allocation';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const amounts = (spec: SplitSpec) => {
  const plan = planSplit(spec);
  if (!plan.ok) throw new Error(`${plan.error.field}: ${plan.error.message}`);
  return plan.allocation.map((l) => [l.party, l.amount.amount]);
};

describe('planSplit', () => {
  it('splits 100.00 three ways after a 7.5 % fee exactly to the cent', () => {
    const parts = amounts({
      total: usd(10_000),
      platformFee: { percent: 7.5 },
      recipients: [
        { payoutAccountId: 'a', share: { percent: 33.3333 } },
        { payoutAccountId: 'b', share: { percent: 33.3333 } },
        { payoutAccountId: 'c', share: { percent: 33.3334 } },
      ],
    });
    // Exact shares: 3083.33025, 3083.33025, 3083.3395 and a fee of 750: the one leftover cent goes to the largest remainder (c).
    expect(parts).toEqual([['a', 3083], ['b', 3083], ['c', 3084], ['platform', 750]]);
  });

  it('gives ties to the recipients in request order, then the platform', () => {
    expect(amounts({ total: usd(100), platformFee: { percent: 25 }, recipients: [
      { payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'b', share: { percent: 50 } },
    ] })).toEqual([['a', 38], ['b', 37], ['platform', 25]]);
    // 10 split 4 ways after 20 %: exact 2, 2, 2, 2 and 2 — no leftover; 11: every remainder equal → first recipient wins.
    expect(amounts({ total: usd(11), platformFee: { percent: 20 }, recipients: ['a', 'b', 'c', 'd'].map((p) => ({ payoutAccountId: p, share: { percent: 25 } })) }))
      .toEqual([['a', 3], ['b', 2], ['c', 2], ['d', 2], ['platform', 2]]);
  });

  it('handles currencies without minor units (JPY) and with three (BHD)', () => {
    expect(amounts({ total: { amount: 1000, currency: 'JPY' }, platformFee: { percent: 10 }, recipients: [
      { payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'b', share: { percent: 50 } },
    ] })).toEqual([['a', 450], ['b', 450], ['platform', 100]]);
    expect(amounts({ total: { amount: 1001, currency: 'BHD' }, platformFee: { fixed: { amount: 1, currency: 'BHD' } }, recipients: [
      { payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'b', share: { percent: 50 } },
    ] })).toEqual([['a', 500], ['b', 500], ['platform', 1]]);
  });

  it('takes fixed shares exactly and lets percent shares split the rest', () => {
    expect(amounts({ total: usd(1000), platformFee: { fixed: usd(100) }, recipients: [
      { payoutAccountId: 'a', share: { fixed: usd(300) } }, { payoutAccountId: 'b', share: { fixed: usd(600) } },
    ] })).toEqual([['a', 300], ['b', 600], ['platform', 100]]);
    expect(amounts({ total: usd(1000), platformFee: { percent: 10 }, recipients: [
      { payoutAccountId: 'a', share: { fixed: usd(300) } }, { payoutAccountId: 'b', share: { percent: 100 } },
    ] })).toEqual([['a', 300], ['b', 600], ['platform', 100]]);
  });

  it.each([
    [{ total: usd(1000), platformFee: { percent: 10 }, recipients: [{ payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'b', share: { percent: 40 } }] }, 'recipients[1].share.percent'],
    [{ total: usd(1000), platformFee: { fixed: usd(100) }, recipients: [{ payoutAccountId: 'a', share: { fixed: usd(300) } }, { payoutAccountId: 'b', share: { fixed: usd(500) } }] }, 'recipients[1].share.fixed.amount'],
    [{ total: usd(1000), platformFee: { percent: 10 }, recipients: [{ payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'a', share: { percent: 50 } }] }, 'recipients[1].payoutAccountId'],
    [{ total: usd(1000), platformFee: { percent: 10 }, recipients: [] }, 'recipients'],
    [{ total: usd(1000), platformFee: { percent: 10 }, recipients: Array.from({ length: 21 }, (_, i) => ({ payoutAccountId: `p${i}`, share: { percent: 100 / 21 } })) }, 'recipients'],
    [{ total: usd(0), platformFee: { percent: 10 }, recipients: [{ payoutAccountId: 'a', share: { percent: 100 } }] }, 'total.amount'],
    [{ total: { amount: 100, currency: 'XYZ' }, platformFee: { percent: 10 }, recipients: [{ payoutAccountId: 'a', share: { percent: 100 } }] }, 'total.currency'],
    [{ total: usd(1000), platformFee: { fixed: { amount: 10, currency: 'EUR' } }, recipients: [{ payoutAccountId: 'a', share: { percent: 100 } }] }, 'platformFee.fixed.currency'],
    [{ total: usd(1000), platformFee: { percent: 10.00001 }, recipients: [{ payoutAccountId: 'a', share: { percent: 100 } }] }, 'platformFee.percent'],
    [{ total: usd(1000), platformFee: { percent: 10 }, recipients: [{ payoutAccountId: 'a', share: { fixed: usd(0) } }, { payoutAccountId: 'b', share: { percent: 100 } }] }, 'recipients[0].share.fixed.amount'],
    [{ total: usd(1), platformFee: { percent: 0 }, recipients: [{ payoutAccountId: 'a', share: { percent: 50 } }, { payoutAccountId: 'b', share: { percent: 50 } }] }, 'recipients[1].share'],
  ] as [SplitSpec, string][])('rejects bad input naming the field (%#)', (spec, field) => {
    const plan = planSplit(spec);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.error.field).toBe(field);
  });
});

describe('planSplit property: 100,000 random splits', () => {
  it('sums exactly, none negative, each within one minor unit of its exact share', () => {
    // n shares summing to 100 % (cut points), a fee in 1/10,000 %, any total.
    const arbSplit = fc.record({
      total: fc.integer({ min: 1, max: 1_000_000_000_000 }),
      feeUnits: fc.integer({ min: 0, max: PERCENT_SCALE - 1 }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: PERCENT_SCALE - 1 }), { maxLength: 19 }),
      currency: fc.constantFrom('USD', 'JPY', 'BHD'),
    });
    fc.assert(
      fc.property(arbSplit, ({ total, feeUnits, cuts, currency }) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), PERCENT_SCALE];
        const shares = points.slice(1).map((p, i) => p - points[i]);
        const spec: SplitSpec = {
          total: { amount: total, currency },
          platformFee: { percent: feeUnits / 10_000 },
          recipients: shares.map((u, i) => ({ payoutAccountId: `r${i}`, share: { percent: u / 10_000 } })),
        };
        const plan = planSplit(spec);
        // Exact share of recipient i = total × (1 − fee) × share_i, as a fraction over SCALE².
        const scale2 = BigInt(PERCENT_SCALE) ** 2n;
        const exact = [...shares.map((u) => BigInt(total) * BigInt(PERCENT_SCALE - feeUnits) * BigInt(u)), BigInt(total) * BigInt(feeUnits) * BigInt(PERCENT_SCALE)];
        if (!plan.ok) {
          // Only refused when some recipient's exact share is below one unit.
          if (!exact.slice(0, -1).some((e) => e < scale2)) throw new Error(`refused ${plan.error.field}: ${plan.error.message}`);
          return;
        }
        const parts = plan.allocation.map((l) => l.amount.amount);
        if (parts.reduce((a, b) => a + b, 0) !== total) throw new Error('does not sum to the total');
        parts.forEach((p, i) => {
          if (p < 0) throw new Error('negative part');
          const diff = BigInt(p) * scale2 - exact[i];
          if (diff >= scale2 || -diff >= scale2) throw new Error(`part ${i} = ${p} is not within one unit of ${Number(exact[i]) / Number(scale2)}`);
        });
      }),
      { numRuns: 100_000 },
    );
  });
});

describe('allocateRefund', () => {
  it('splits a refund pro rata to what each party still holds, exactly', () => {
    const held = [{ party: 'a', amount: usd(3083) }, { party: 'b', amount: usd(3083) }, { party: 'c', amount: usd(3084) }, { party: 'platform', amount: usd(750) }];
    const first = allocateRefund(2500, held);
    expect(first.map((l) => l.amount.amount)).toEqual([771, 771, 771, 187]);
    const rest = held.map((l, i) => ({ party: l.party, amount: usd(l.amount.amount - first[i].amount.amount) }));
    expect(allocateRefund(7500, rest).map((l, i) => l.amount.amount + first[i].amount.amount)).toEqual([3083, 3083, 3084, 750]);
  });
  it('never takes more from a party than it holds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 21 }), fc.double({ min: 0, max: 1, noNaN: true }), (held, f) => {
        const sum = held.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        const amount = Math.max(1, Math.floor(sum * f));
        const parts = allocateRefund(amount, held.map((h, i) => ({ party: `p${i}`, amount: usd(h) })));
        expect(parts.reduce((a, l) => a + l.amount.amount, 0)).toBe(amount);
        parts.forEach((l, i) => expect(l.amount.amount).toBeLessThanOrEqual(held[i]));
        parts.forEach((l) => expect(l.amount.amount).toBeGreaterThanOrEqual(0));
      }),
      { numRuns: 2_000 },
    );
  });
});
