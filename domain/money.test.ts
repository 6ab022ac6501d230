import fc from 'fast-check';
import { allocate, formatMoney, money, percentOf } from './money';

describe('allocate (largest remainder)', () => {
  it('splits 100 three ways as 34/33/33', () => expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]));
  it('gives leftover units to the largest remainders, ties to the earlier part', () => {
    expect(allocate(10, [1, 2])).toEqual([3, 7]);
    expect(allocate(5, [1, 1, 1, 1])).toEqual([2, 1, 1, 1]);
  });
  it('handles negative totals symmetrically', () => expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]));

  it('sums exactly, never negative, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const parts = allocate(total, weights);
        const weightSum = weights.reduce((a, b) => a + b, 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(Math.abs(p - (total * weights[i]) / weightSum)).toBeLessThan(1 + 1e-6);
        });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('money', () => {
  it('rejects fractions and unknown currencies', () => {
    expect(() => money(1.5, 'USD')).toThrow(/integer/);
    expect(() => money(1, 'XXX')).toThrow(/currency/);
  });
  it('formats with the currency exponent', () => {
    expect(formatMoney({ amount: 1050, currency: 'USD' })).toBe('10.50 USD');
    expect(formatMoney({ amount: 1050, currency: 'JPY' })).toBe('1050 JPY');
    expect(formatMoney({ amount: 1050, currency: 'BHD' })).toBe('1.050 BHD');
  });
  it('takes percentages in basis points, rounding half up', () => {
    expect(percentOf(10_000, 2_500)).toBe(2_500);
    expect(percentOf(999, 2_500)).toBe(250);
  });
});
