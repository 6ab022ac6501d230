import { z } from 'zod';
import { duration, int, optionalString } from './env';

/** Variables of the shoutouts capability. */
export const shoutoutsSchema = z.object({
  /**
   * Overrides every talent's turnaround (their profile's days) with one duration: tests shrink
   * the whole order deadline to seconds with it ("6s"). Unset in production.
   */
  SHOUTOUT_TURNAROUND: optionalString.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const parsed = duration('1s').safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `not a duration: "${v}"` });
      return z.NEVER;
    }
    return parsed.data;
  }),
  /** The reminder email goes to the talent at this share of the deadline (basis points; 7500 = 75 %). */
  SHOUTOUT_REMINDER_AT_BPS: int(7500),
  /**
   * How long the provider keeps a manual-capture authorisation (Stripe: 7 days for cards). When
   * the order's deadline reaches past it, the workflow re-authorises before it lapses (at
   * SHOUTOUT_REAUTH_AT_BPS of the window) and voids the old authorisation.
   */
  SHOUTOUT_AUTH_WINDOW: duration('7d'),
  SHOUTOUT_REAUTH_AT_BPS: int(9000),
  /** How long a talent's accept / decline waits for a payment still authorising before answering 409. */
  SHOUTOUT_AUTHORIZATION_WAIT: duration('20s'),
  /** The platform's share of every order (basis points; 2500 = 25 %). */
  SHOUTOUT_PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(2500),
  /** Heartbeat timeout of the transcode activity: a crashed media worker's attempt is retried after it. */
  SHOUTOUT_TRANSCODE_HEARTBEAT_TIMEOUT: duration('30s'),
  /** Longest a single transcode attempt may take. */
  SHOUTOUT_TRANSCODE_TIMEOUT: duration('30m'),
  /** How long the refund endpoint waits for its workflow before answering 202 instead of 201. */
  SHOUTOUT_REFUND_WAIT: duration('20s'),
});

export type ShoutoutsConfig = z.infer<typeof shoutoutsSchema>;
