import type { Money } from '../money';

/**
 * Pure billing rules shared by the API, the activities and the workflows (no I/O, no node
 * modules: workflows import this file).
 */
export type PlanInterval = 'second' | 'day' | 'month' | 'year';
export const PLAN_INTERVALS: readonly PlanInterval[] = ['day', 'month', 'year', 'second'];

export interface PlanTerms {
  id: string;
  name: string;
  price: Money;
  interval: PlanInterval;
  intervalCount: number;
  trialDays: number;
  grantsRole: 'premium' | 'admin';
}

/** Adds `count` UTC calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
function addMonths(ms: number, count: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + count, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/**
 * The end of a period starting at `startMs`. `dayMs` is the configured length of a day
 * (BILLING_DAY_LENGTH: 24 h in production, seconds in tests).
 */
export function periodEnd(startMs: number, interval: PlanInterval, intervalCount: number, dayMs: number): number {
  const n = Math.max(1, Math.floor(intervalCount));
  switch (interval) {
    case 'second':
      return startMs + n * 1000;
    case 'day':
      return startMs + n * dayMs;
    case 'month':
      return addMonths(startMs, n);
    case 'year':
      return addMonths(startMs, 12 * n);
  }
}

/** A nominal period length in ms, used to compare plans (month = 30 days, year = 365 days). */
export function nominalPeriodMs(interval: PlanInterval, intervalCount: number, dayMs: number): number {
  const n = Math.max(1, Math.floor(intervalCount));
  switch (interval) {
    case 'second':
      return n * 1000;
    case 'day':
      return n * dayMs;
    case 'month':
      return n * 30 * dayMs;
    case 'year':
      return n * 365 * dayMs;
  }
}

/**
 * Pro-rata share of `amount` for the unused part of a period, in integer minor units:
 *
 *   unused = floor(amount × remainingMs / periodMs),  remainingMs clamped to [0, periodMs]
 *
 * where periodMs = periodEnd − periodStart and remainingMs = periodEnd − now. Rounding down
 * means the platform never refunds more than was paid, and a cancel in the last instant
 * refunds 0. Computed with BigInt so large amounts and long periods stay exact.
 */
export function prorate(amount: number, remainingMs: number, periodMs: number): number {
  if (periodMs <= 0 || amount <= 0) return 0;
  const remaining = Math.min(Math.max(0, Math.floor(remainingMs)), Math.floor(periodMs));
  return Number((BigInt(amount) * BigInt(remaining)) / BigInt(Math.floor(periodMs)));
}

/**
 * Upgrade in the middle of a period (the cycle is kept): the customer pays for the rest of the
 * period at the new plan's rate, minus the unused value of what was paid for the old plan:
 *
 *   due = max(0, prorate(newPrice, remaining, newPeriodMs) − prorate(paid, remaining, periodMs))
 */
export function upgradeProration(input: { paid: number; newPrice: number; remainingMs: number; periodMs: number; newPeriodMs: number }): number {
  const credit = prorate(input.paid, input.remainingMs, input.periodMs);
  const cost = prorate(input.newPrice, input.remainingMs, input.newPeriodMs);
  return Math.max(0, cost - credit);
}

/** An upgrade costs more per unit of time than the current plan (same currency required). */
export function isUpgrade(current: { price: Money; periodMs: number }, next: { price: Money; periodMs: number }): boolean {
  // Compare price/period without floats: a/pa < b/pb  ⇔  a·pb < b·pa.
  return BigInt(current.price.amount) * BigInt(next.periodMs) < BigInt(next.price.amount) * BigInt(current.periodMs);
}

export interface PriceChange {
  price: Money;
  /** When the change was made (ms since epoch). */
  changedAt: number;
}

/**
 * The price a subscriber pays for a period starting at `periodStartMs`. A subscriber keeps the
 * price they locked in (`lockedAt`) until a later change has been announced at least `noticeMs`
 * before the period starts; then the latest such change applies.
 */
export function priceForPeriod(locked: { price: Money; lockedAt: number }, changes: PriceChange[], periodStartMs: number, noticeMs: number): { price: Money; lockedAt: number } {
  let result = locked;
  for (const change of [...changes].sort((a, b) => a.changedAt - b.changedAt)) {
    if (change.changedAt > result.lockedAt && change.changedAt + noticeMs <= periodStartMs) result = { price: change.price, lockedAt: change.changedAt };
  }
  return result;
}

/** Outbound webhook backoff: initial, doubling, capped; undefined once `retryForMs` would be exceeded. */
export function webhookRetryDelay(attempt: number, elapsedMs: number, options: { initialMs: number; maxMs: number; retryForMs: number }): number | undefined {
  const delay = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  if (elapsedMs + delay > options.retryForMs) return undefined;
  return delay;
}
