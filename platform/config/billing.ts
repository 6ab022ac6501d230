import { z } from 'zod';
import { parseDuration } from '../../domain/duration';
import { duration, int } from './env';

/** A comma-separated list of durations ("1d,3d,7d"), yielding milliseconds. */
const durationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        const list = text.split(',').map((part) => part.trim()).filter(Boolean).map(parseDuration);
        if (list.length === 0) throw new Error('at least one duration');
        return list;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** Variables of the billing capability (films, plans, subscriptions, outbound webhooks). */
export const billingSchema = z.object({
  /** Delays between renewal retries of a past-due subscription; after the last one fails it is cancelled. */
  BILLING_DUNNING_SCHEDULE: durationList('1d,3d,7d').describe('Delays between renewal retries of a past-due subscription (comma-separated durations); when the last retry fails it is cancelled.'),
  /** A price change reaches existing subscribers from their first period starting at least this long after it. */
  BILLING_PRICE_CHANGE_NOTICE: duration('30d').describe('A plan price change reaches existing subscribers from their first period starting at least this long after it.'),
  /** The length of one "day" of accessDays/trialDays/interval 'day' (tests shrink it to seconds). */
  BILLING_DAY_LENGTH: duration('1d').describe('Length of one day of accessDays, trialDays and day plans (tests shrink it to seconds).'),
  /** Outbound webhooks: first retry delay, its cap (doubling in between), and how long to keep trying. */
  BILLING_WEBHOOK_BACKOFF: duration('30s').describe('Outbound webhooks: delay before the first retry (doubling after each failure).'),
  BILLING_WEBHOOK_BACKOFF_MAX: duration('1h').describe('Outbound webhooks: the longest delay between retries.'),
  BILLING_WEBHOOK_RETRY_FOR: duration('3d').describe('Outbound webhooks: how long a delivery keeps retrying before it is marked failed.'),
  BILLING_WEBHOOK_TIMEOUT: duration('10s').describe('Outbound webhooks: timeout of one POST.'),
  /** Each renewal adds ~7 history events; every new run costs the server a close and a start (visibility writes included). */
  BILLING_RENEWALS_PER_RUN: int(1).describe('Renewals a subscription workflow run makes before it continues as new (1: every period, the smallest history; more: less Temporal server work per renewal). Applies to subscriptions started afterwards.'),
  /** Subscribers emailed per activity when a price changes. */
  BILLING_NOTICE_BATCH: int(200).describe('Subscribers read per page when emailing a price change notice.'),
});

export type BillingConfig = z.infer<typeof billingSchema>;
