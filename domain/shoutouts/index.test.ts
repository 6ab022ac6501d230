import fc from 'fast-check';
import { canAccept, canCancel, canUpload, monthRange, refundPortions, splitOrder } from '.';

describe('shoutout money rules', () => {
  it('splits 25 % to the platform, balanced to the cent', () => {
    expect(splitOrder({ amount: 5000, currency: 'USD' }, 2500)).toEqual({ talentShare: { amount: 3750, currency: 'USD' }, platformFee: { amount: 1250, currency: 'USD' } });
    expect(splitOrder({ amount: 999, currency: 'USD' }, 2500)).toEqual({ talentShare: { amount: 749, currency: 'USD' }, platformFee: { amount: 250, currency: 'USD' } });
  });

  it('share + fee = price and a full refund reverses the split exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (price, bps) => {
        const { talentShare, platformFee } = splitOrder({ amount: price, currency: 'USD' }, bps);
        expect(talentShare.amount + platformFee.amount).toBe(price);
        expect(talentShare.amount).toBeGreaterThanOrEqual(0);
        expect(refundPortions(price, talentShare.amount, platformFee.amount)).toEqual({ talentPortion: talentShare.amount, feePortion: platformFee.amount });
      }),
    );
  });

  it('partial refunds split proportionally and sum to the refund', () => {
    expect(refundPortions(1000, 3750, 1250)).toEqual({ talentPortion: 750, feePortion: 250 });
    expect(refundPortions(1, 3750, 1250)).toEqual({ talentPortion: 1, feePortion: 0 });
    expect(() => refundPortions(6000, 3750, 1250)).toThrow(/exceeds/);
  });
});

describe('shoutout states', () => {
  it('accepts only while requested, cancels until accepted, uploads once accepted', () => {
    expect(canAccept('requested')).toBe(true);
    expect(canAccept('accepted')).toBe(false);
    expect(canCancel('authorizing')).toBe(true);
    expect(canCancel('accepted')).toBe(false);
    expect(canUpload('accepted')).toBe(true);
    expect(canUpload('processing')).toBe(false);
  });

  it('reads months', () => {
    expect(monthRange('2026-10')).toEqual({ start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') });
    expect(monthRange('2026-12')!.end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthRange('2026-13')).toBeUndefined();
    expect(monthRange('26-1')).toBeUndefined();
  });
});
