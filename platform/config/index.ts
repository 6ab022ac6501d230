import { z } from 'zod';
import { accountsSchema } from './accounts';
import { billingSchema } from './billing';
import type { Env } from './env';
import { mailSchema } from './mail';
import { mediaSchema } from './media';
import { DEV_STRIPE_WEBHOOK_SECRET, paymentsSchema } from './payments';
import { platformSchema } from './platform';
import { shoutoutsSchema } from './shoutouts';
import { splitsSchema } from './splits';
import { starkbankSchema } from './starkbank';
import { webSchema } from './web';

export const configSchema = z.object({
  ...platformSchema.shape,
  ...accountsSchema.shape,
  ...mailSchema.shape,
  ...mediaSchema.shape,
  ...paymentsSchema.shape,
  ...shoutoutsSchema.shape,
  ...billingSchema.shape,
  ...starkbankSchema.shape,
  ...splitsSchema.shape,
  ...webSchema.shape,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

const DEV_JWT_SECRET = platformSchema.shape.JWT_SECRET.parse(undefined);

/** Reads the configuration from the environment; every bad variable is named at once. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: must be set in production']);
  }
  if (config.NODE_ENV === 'production' && config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET === DEV_STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(['STRIPE_WEBHOOK_SECRET: must be set in production when STRIPE_SECRET_KEY is']);
  }
  return config;
}

/** Tests and tools build a config from the defaults plus what they override. */
export function configWith(overrides: Env, base: Env = process.env): Config {
  return loadConfig({ ...base, ...overrides });
}
