import { CURRENCY_EXPONENT, type Money } from './money';

/**
 * Money, dates and billing intervals written for people (emails and receipts), not for machines:
 * "$1,234.50", "R$ 10.00", "30 November 2026, 14:05 UTC", "every 3 months". Pure and
 * deterministic (no Intl: the same text in the workflow sandbox, on every machine).
 */

const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', BRL: 'R$ ', CAD: 'CA$', AUD: 'A$', INR: '₹', KRW: '₩', MXN: 'MX$', NZD: 'NZ$', HKD: 'HK$', SGD: 'S$', CNY: 'CN¥' };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "$1,234.50", "-€3.00", "¥1,200", "12.50 CHF" for currencies without a well-known symbol. */
export function formatAmount(m: Money): string {
  const exp = CURRENCY_EXPONENT[m.currency] ?? 2;
  const abs = Math.abs(m.amount);
  const major = String(Math.floor(abs / 10 ** exp)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = exp === 0 ? major : `${major}.${String(abs % 10 ** exp).padStart(exp, '0')}`;
  const sign = m.amount < 0 ? '-' : '';
  const symbol = SYMBOLS[m.currency];
  return symbol ? `${sign}${symbol}${number}` : `${sign}${number} ${m.currency}`;
}

const toDate = (at: number | string | Date) => (at instanceof Date ? at : new Date(at));

/** "30 November 2026" (UTC). */
export function formatDate(at: number | string | Date): string {
  const d = toDate(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "30 November 2026, 14:05 UTC". */
export function formatDateTime(at: number | string | Date): string {
  const d = toDate(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(d)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** "every month", "every 3 months", "every year"; `second` exists for tests of the billing clock. */
export function formatInterval(interval: 'second' | 'day' | 'month' | 'year', count: number): string {
  return count === 1 ? `every ${interval}` : `every ${count} ${interval}s`;
}
