import { z } from 'zod';
import { CAPABILITIES } from '../../capabilities';
import type { Env } from './env';
import { DEV_STRIPE_WEBHOOK_SECRET } from './payments';
import { platformSchema } from './platform';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type CapabilityShapes = UnionToIntersection<(typeof CAPABILITIES)[number]['config']['shape']>;

/** Every capability's variables (capabilities/index.ts); a variable belongs to exactly one capability. */
function mergeCapabilityConfigs(): CapabilityShapes {
  const shape: Record<string, unknown> = {};
  for (const capability of CAPABILITIES) {
    for (const [name, schema] of Object.entries(capability.config.shape)) {
      if (name in shape) throw new Error(`configuration variable ${name} is declared by two capabilities (the second: ${capability.name})`);
      shape[name] = schema;
    }
  }
  return shape as CapabilityShapes;
}

export const configSchema = z.object(mergeCapabilityConfigs());

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
