import { z } from 'zod';
import { duration, optionalString } from './env';

/**
 * Variables of the payments capability.
 *
 * - STRIPE_SECRET_KEY: when set, the `stripe` adapter is used; otherwise the PostgreSQL `sandbox`.
 * - STRIPE_API_HOST / STRIPE_API_PORT / STRIPE_API_PROTOCOL: point the SDK elsewhere (stripe-mock in tests).
 * - STRIPE_WEBHOOK_SECRET: the endpoint's signing secret (`whsec_…`). The default only serves
 *   development and tests; it MUST be set in production (anyone knowing the default could forge events).
 * - STRIPE_WEBHOOK_TOLERANCE: how old a signed webhook may be before it is refused as a replay.
 */
export const DEV_STRIPE_WEBHOOK_SECRET = 'whsec_dev_only_limelight_change_me_in_production';

/** An empty variable (`FOO=` in a .env file) means unset. */
const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

export const paymentsSchema = z.object({
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_API_HOST: optionalString,
  STRIPE_API_PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(65535).optional()),
  STRIPE_API_PROTOCOL: z.preprocess(blankAsUnset, z.enum(['http', 'https']).optional()),
  STRIPE_MAX_NETWORK_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  STRIPE_TIMEOUT: duration('30s'),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .optional()
    .transform((v) => (v ? v : DEV_STRIPE_WEBHOOK_SECRET)),
  STRIPE_WEBHOOK_TOLERANCE: duration('5m'),
});

export type PaymentsConfig = z.infer<typeof paymentsSchema>;
