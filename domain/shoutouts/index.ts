import { allocate, percentOf, type Money } from '../money';

/**
 * Pure rules of shoutout orders, shared by the workflow (deterministic code), the activities and
 * the API. No I/O here.
 */
export const SHOUTOUT_STATUSES = [
  'authorizing',
  'requested',
  'accepted',
  'processing',
  'delivered',
  'refunded',
  'payment_failed',
  'declined',
  'cancelled',
  'expired',
] as const;
export type ShoutoutStatus = (typeof SHOUTOUT_STATUSES)[number];

/** States in which the workflow has finished (nothing more happens but admin refunds). */
export const CLOSED_STATUSES: readonly ShoutoutStatus[] = ['delivered', 'refunded', 'payment_failed', 'declined', 'cancelled', 'expired'];

export const isClosed = (status: ShoutoutStatus): boolean => CLOSED_STATUSES.includes(status);
export const canAccept = (status: ShoutoutStatus): boolean => status === 'requested';
export const canDecline = (status: ShoutoutStatus): boolean => status === 'requested';
/** The fan may cancel until the talent accepts. */
export const canCancel = (status: ShoutoutStatus): boolean => status === 'authorizing' || status === 'requested';
/** A video is accepted once the talent accepted, and again after an unreadable one. */
export const canUpload = (status: ShoutoutStatus): boolean => status === 'accepted';

export interface TimelineEvent {
  seq: number;
  type: string;
  at: string;
  data?: Record<string, unknown>;
}

/** fan payment = talent share + platform fee, to the minor unit. The fee rounds half up. */
export function splitOrder(price: Money, platformFeeBps: number): { talentShare: Money; platformFee: Money } {
  if (platformFeeBps < 0 || platformFeeBps > 10_000) throw new RangeError('platform fee must be 0..10000 basis points');
  const fee = percentOf(price.amount, platformFeeBps);
  return { talentShare: { amount: price.amount - fee, currency: price.currency }, platformFee: { amount: fee, currency: price.currency } };
}

/**
 * How a refund is taken back from the talent and the platform: in proportion to the order's
 * split (largest remainder), so a full refund reverses exactly what the capture posted.
 */
export function refundPortions(refund: number, talentShare: number, platformFee: number): { talentPortion: number; feePortion: number } {
  if (!Number.isSafeInteger(refund) || refund <= 0) throw new RangeError('refund must be a positive integer');
  if (refund > talentShare + platformFee) throw new RangeError('refund exceeds the order');
  if (talentShare + platformFee === 0) return { talentPortion: 0, feePortion: 0 };
  const [talentPortion, feePortion] = allocate(refund, [talentShare, platformFee]);
  return { talentPortion, feePortion };
}

/** Ledger accounts the shoutout money moves between. */
export const ledgerAccounts = {
  customer: (fanId: string) => `customer:${fanId}`,
  talentPayable: (talentId: string) => `talent:${talentId}:payable`,
  platformFees: 'platform:fees',
};

/** The reminder's offset into the deadline (bps of the turnaround), the re-authorisation's into the window. */
export function fractionOf(ms: number, bps: number): number {
  return Math.floor((ms * bps) / 10_000);
}

/** "2026-10" → [start, end) of that month in UTC; undefined when malformed. */
export function monthRange(month: string): { start: Date; end: Date } | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return undefined;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { start: new Date(Date.UTC(year, index, 1)), end: new Date(Date.UTC(year, index + 1, 1)) };
}
