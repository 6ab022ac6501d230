import { formatAmount, formatDate, formatDateTime, formatInterval } from './format';

describe('formatting for people', () => {
  it('writes money with the currency symbol, thousands separators and the currency decimals', () => {
    expect(formatAmount({ amount: 123450, currency: 'USD' })).toBe('$1,234.50');
    expect(formatAmount({ amount: 750, currency: 'USD' })).toBe('$7.50');
    expect(formatAmount({ amount: -300, currency: 'EUR' })).toBe('-€3.00');
    expect(formatAmount({ amount: 1200, currency: 'JPY' })).toBe('¥1,200');
    expect(formatAmount({ amount: 1000, currency: 'BRL' })).toBe('R$ 10.00');
    expect(formatAmount({ amount: 1250, currency: 'CHF' })).toBe('12.50 CHF');
    expect(formatAmount({ amount: 1234, currency: 'KWD' })).toBe('1.234 KWD');
  });

  it('writes dates in words, in UTC', () => {
    expect(formatDate('2026-11-30T23:59:00Z')).toBe('30 November 2026');
    expect(formatDateTime(Date.UTC(2026, 0, 5, 9, 7))).toBe('5 January 2026, 09:07 UTC');
  });

  it('writes the billing interval', () => {
    expect(formatInterval('month', 1)).toBe('every month');
    expect(formatInterval('month', 3)).toBe('every 3 months');
    expect(formatInterval('year', 1)).toBe('every year');
  });
});
