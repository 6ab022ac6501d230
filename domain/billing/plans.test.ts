import { isUpgrade, periodEnd, priceForPeriod, prorate, upgradeProration, webhookRetryDelay } from './plans';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('billing rules', () => {
  it('computes period ends for every interval', () => {
    const start = Date.UTC(2026, 0, 31, 12);
    expect(periodEnd(start, 'second', 3, 86_400_000)).toBe(start + 3000);
    expect(periodEnd(start, 'day', 2, 1000)).toBe(start + 2000);
    expect(new Date(periodEnd(start, 'month', 1, 86_400_000)).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(periodEnd(start, 'year', 1, 86_400_000)).toISOString()).toBe('2027-01-31T12:00:00.000Z');
  });

  it('prorates the unused part, rounding down and clamping', () => {
    expect(prorate(1000, 5000, 10_000)).toBe(500);
    expect(prorate(999, 1, 3)).toBe(333);
    expect(prorate(1000, -5, 10)).toBe(0);
    expect(prorate(1000, 50, 10)).toBe(1000);
  });

  it('charges an upgrade the difference for the rest of the period', () => {
    expect(upgradeProration({ paid: 1000, newPrice: 3000, remainingMs: 5, periodMs: 10, newPeriodMs: 10 })).toBe(1000);
    expect(upgradeProration({ paid: 3000, newPrice: 1000, remainingMs: 5, periodMs: 10, newPeriodMs: 10 })).toBe(0);
    expect(isUpgrade({ price: usd(1000), periodMs: 10 }, { price: usd(1500), periodMs: 10 })).toBe(true);
    expect(isUpgrade({ price: usd(1000), periodMs: 10 }, { price: usd(1500), periodMs: 20 })).toBe(false);
  });

  it('applies a price change only to periods starting at least the notice after it', () => {
    const locked = { price: usd(1000), lockedAt: 0 };
    const changes = [{ price: usd(1500), changedAt: 100 }];
    expect(priceForPeriod(locked, changes, 150, 100).price.amount).toBe(1000);
    expect(priceForPeriod(locked, changes, 200, 100).price.amount).toBe(1500);
    // Subscribed after the change: already on the new price.
    expect(priceForPeriod({ price: usd(1500), lockedAt: 120 }, changes, 1000, 100).price.amount).toBe(1500);
  });

  it('backs off webhooks up to the retry window', () => {
    const options = { initialMs: 1000, maxMs: 4000, retryForMs: 10_000 };
    expect(webhookRetryDelay(1, 0, options)).toBe(1000);
    expect(webhookRetryDelay(2, 1000, options)).toBe(2000);
    expect(webhookRetryDelay(5, 3000, options)).toBe(4000);
    expect(webhookRetryDelay(6, 9000, options)).toBeUndefined();
  });
});
