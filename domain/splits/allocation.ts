import { allocate, CURRENCY_EXPONENT, isKnownCurrency, type Money } from '../money';

/**
 * How a split payment's total is divided, computed once (when the split is created) in integer
 * minor units.
 *
 * Percentages have at most four decimals (`7.5`, `33.3333`) and are handled as integer
 * "percent units" of 1/10,000 of a percent, so 100 % = 1,000,000 units and no float ever
 * touches money.
 *
 * The leftover-unit rule (largest remainder, `domain/money.ts` `allocate`):
 * - a percent platform fee with percent recipients is ONE allocation over the total with weights
 *   `fee` for the platform and `(100 % − fee) × share` for each recipient: every party ends within
 *   one minor unit of its exact share of the total;
 * - otherwise the fee comes first (fixed: as given; percent: the larger-remainder half of a two-way
 *   allocation, i.e. rounded half up), fixed recipients get exactly their amounts, and percent
 *   recipients split what is left with one allocation;
 * - each party starts with the floor of its exact share; the units left over go one each to the
 *   parties with the largest fractional remainders; **on equal remainders the party listed earlier
 *   wins, and the order is the recipients in request order, then the platform** — so creators win
 *   ties against the platform, and the first-listed recipient wins ties against the later ones.
 */
export type ShareSpec = { percent: number } | { fixed: Money };

export interface SplitRecipientSpec {
  payoutAccountId: string;
  share: ShareSpec;
}

export interface SplitSpec {
  total: Money;
  platformFee: ShareSpec;
  recipients: SplitRecipientSpec[];
}

export const PLATFORM_PARTY = 'platform';

export interface AllocationLine {
  /** A payout account id, or `platform`. */
  party: string;
  amount: Money;
}

/** 100 % in percent units (1/10,000 of a percent). */
export const PERCENT_SCALE = 1_000_000;
export const MAX_RECIPIENTS = 20;

export interface SplitFieldError {
  field: string;
  message: string;
}

export type SplitPlan = { ok: true; allocation: AllocationLine[] } | { ok: false; error: SplitFieldError };

const fail = (field: string, message: string): SplitPlan => ({ ok: false, error: { field, message } });

/** A percentage with at most four decimals as integer percent units; undefined if it has more. */
export function percentUnits(percent: number): number | undefined {
  if (!Number.isFinite(percent)) return undefined;
  const units = Math.round(percent * 10_000);
  return Math.abs(percent * 10_000 - units) < 1e-6 ? units : undefined;
}

function isPercent(share: ShareSpec): share is { percent: number } {
  return 'percent' in share;
}

/**
 * Validates a split and computes its allocation: recipients in request order, then the platform.
 * Errors name the offending field the way the API reports it (`recipients[1].share.percent`).
 */
export function planSplit(spec: SplitSpec): SplitPlan {
  const { total, platformFee, recipients } = spec;
  const currency = total.currency;
  if (!isKnownCurrency(currency)) return fail('total.currency', `unknown currency ${currency}`);
  if (!Number.isSafeInteger(total.amount) || total.amount <= 0) return fail('total.amount', 'must be a positive integer number of minor units');
  if (recipients.length < 1 || recipients.length > MAX_RECIPIENTS) return fail('recipients', `between 1 and ${MAX_RECIPIENTS} recipients`);

  const seen = new Map<string, number>();
  for (const [i, r] of recipients.entries()) {
    const first = seen.get(r.payoutAccountId);
    if (first !== undefined) return fail(`recipients[${i}].payoutAccountId`, `duplicate of recipients[${first}]`);
    seen.set(r.payoutAccountId, i);
  }

  // The platform fee.
  let feeUnits: number | undefined;
  let fixedFee: number | undefined;
  if (isPercent(platformFee)) {
    feeUnits = percentUnits(platformFee.percent);
    if (feeUnits === undefined) return fail('platformFee.percent', 'at most four decimals');
    if (feeUnits < 0 || feeUnits >= PERCENT_SCALE) return fail('platformFee.percent', 'must be at least 0 and below 100');
  } else {
    const f = checkFixed(platformFee.fixed, currency, 'platformFee.fixed', true);
    if (typeof f !== 'number') return f;
    fixedFee = f;
    if (fixedFee >= total.amount) return fail('platformFee.fixed.amount', 'must be less than the total');
  }

  // The recipients' shares.
  const percentIdx: number[] = [];
  const percentW: number[] = [];
  let fixedSum = 0;
  for (const [i, r] of recipients.entries()) {
    if (isPercent(r.share)) {
      const u = percentUnits(r.share.percent);
      if (u === undefined) return fail(`recipients[${i}].share.percent`, 'at most four decimals');
      if (u <= 0 || u > PERCENT_SCALE) return fail(`recipients[${i}].share.percent`, 'must be above 0 and at most 100');
      percentIdx.push(i);
      percentW.push(u);
    } else {
      const f = checkFixed(r.share.fixed, currency, `recipients[${i}].share.fixed`, false);
      if (typeof f !== 'number') return f;
      fixedSum += f;
    }
  }
  const percentSum = percentW.reduce((a, b) => a + b, 0);
  if (percentIdx.length > 0 && percentSum !== PERCENT_SCALE) {
    return fail(`recipients[${percentIdx[percentIdx.length - 1]}].share.percent`, `percent shares must sum to 100 of what remains after the fee; they sum to ${percentSum / 10_000}`);
  }

  const amounts = new Array<number>(recipients.length).fill(0);
  let fee: number;
  if (feeUnits !== undefined && percentIdx.length === recipients.length) {
    // One allocation over the total: everybody within one unit of the exact share of the total.
    const weights = [...percentW.map((w) => (PERCENT_SCALE - feeUnits!) * w), feeUnits * PERCENT_SCALE];
    const parts = allocate(total.amount, weights);
    parts.slice(0, -1).forEach((p, k) => (amounts[percentIdx[k]] = p));
    fee = parts[parts.length - 1];
  } else {
    fee = fixedFee ?? (feeUnits === 0 ? 0 : allocate(total.amount, [feeUnits!, PERCENT_SCALE - feeUnits!])[0]);
    const remaining = total.amount - fee;
    for (const [i, r] of recipients.entries()) if (!isPercent(r.share)) amounts[i] = r.share.fixed.amount;
    if (percentIdx.length === 0) {
      if (fixedSum !== remaining) return fail(`recipients[${recipients.length - 1}].share.fixed.amount`, `fixed shares must sum exactly to ${remaining} (the total less the fee); they sum to ${fixedSum}`);
    } else {
      if (fixedSum >= remaining) return fail('recipients', `fixed shares (${fixedSum}) leave nothing for the percent shares out of ${remaining}`);
      allocate(remaining - fixedSum, percentW).forEach((p, k) => (amounts[percentIdx[k]] = p));
    }
  }

  for (const [i, a] of amounts.entries()) if (a <= 0) return fail(`recipients[${i}].share`, 'this share comes to zero minor units of the total');
  return {
    ok: true,
    allocation: [
      ...recipients.map((r, i) => ({ party: r.payoutAccountId, amount: { amount: amounts[i], currency } })),
      { party: PLATFORM_PARTY, amount: { amount: fee, currency } },
    ],
  };
}

function checkFixed(m: Money, currency: string, field: string, allowZero: boolean): number | SplitPlan {
  if (!isKnownCurrency(m.currency)) return fail(`${field}.currency`, `unknown currency ${m.currency}`);
  if (m.currency !== currency) return fail(`${field}.currency`, `must be ${currency}, the currency of the total`);
  if (!Number.isSafeInteger(m.amount) || m.amount < 0 || (!allowZero && m.amount === 0)) return fail(`${field}.amount`, allowZero ? 'must be a non-negative integer' : 'must be a positive integer');
  return m.amount;
}

/**
 * Splits a refund of `amount` among the parties in proportion to what each still holds of the
 * split (its allocation less what earlier refunds took back), with the same largest-remainder rule.
 * Weighting by the remainder never takes more from a party than it still holds, and refunding
 * everything returns each party's allocation exactly.
 */
export function allocateRefund(amount: number, remaining: AllocationLine[]): AllocationLine[] {
  const held = remaining.reduce((a, l) => a + l.amount.amount, 0);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > held) throw new RangeError(`refund must be between 1 and ${held}`);
  const parts = allocate(amount, remaining.map((l) => l.amount.amount));
  return remaining.map((l, i) => ({ party: l.party, amount: { amount: parts[i], currency: l.amount.currency } }));
}

export function minorUnits(currency: string): number {
  return CURRENCY_EXPONENT[currency];
}
