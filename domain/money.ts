/**
 * Money is an integer number of minor units plus an ISO 4217 currency. Never floats.
 */
export interface Money {
  amount: number;
  currency: string;
}

/** Minor units per currency (ISO 4217 exponent). Anything not listed is not accepted. */
export const CURRENCY_EXPONENT: Readonly<Record<string, number>> = Object.freeze({
  USD: 2, EUR: 2, GBP: 2, BRL: 2, CAD: 2, AUD: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, MXN: 2, INR: 2, CNY: 2, NZD: 2, SGD: 2, HKD: 2, ZAR: 2,
  JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0,
  BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3,
});

export function isKnownCurrency(currency: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENT, currency);
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer number of minor units, got ${amount}`);
  if (!isKnownCurrency(currency)) throw new RangeError(`unknown currency ${currency}`);
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: a.amount - b.amount, currency: a.currency };
}

export function sum(items: Money[], currency: string): Money {
  return items.reduce((acc, m) => add(acc, m), { amount: 0, currency });
}

/**
 * Splits `total` in proportion to integer `weights` with the largest-remainder method:
 * each part gets floor(total·w/Σw); the leftover units go one each to the parts with the
 * largest remainders, ties to the earlier part. The parts always sum to `total` exactly and
 * each is within one unit of its exact share.
 */
export function allocate(total: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError('total must be an integer');
  if (weights.length === 0) throw new RangeError('at least one weight');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers');
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) throw new RangeError('weights must not all be zero');
  const sign = total < 0 ? -1 : 1;
  const abs = BigInt(Math.abs(total));
  const bigSum = BigInt(weightSum);
  const parts = weights.map((w) => (abs * BigInt(w)) / bigSum);
  const remainders = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % bigSum }));
  let leftover = Number(abs - parts.reduce((a, b) => a + b, 0n));
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (let k = 0; leftover > 0; k++, leftover--) parts[remainders[k].i] += 1n;
  return parts.map((p) => sign * Number(p));
}

/** A share of `amount` in basis points (1/100 of a percent), rounded half up. */
export function percentOf(amount: number, basisPoints: number): number {
  return Number((BigInt(amount) * BigInt(basisPoints) + 5_000n) / 10_000n);
}

/** Formats for emails and receipts ("$12.50", "R$ 10,00" is left to the client). */
export function formatMoney(m: Money): string {
  const exp = CURRENCY_EXPONENT[m.currency] ?? 2;
  const negative = m.amount < 0;
  const abs = Math.abs(m.amount);
  const major = Math.floor(abs / 10 ** exp);
  const minor = exp === 0 ? '' : '.' + String(abs % 10 ** exp).padStart(exp, '0');
  return `${negative ? '-' : ''}${major}${minor} ${m.currency}`;
}
