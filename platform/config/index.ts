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

/** Variables holding secrets: in production none may keep a default written in this repository. */
const SECRET_NAME = /(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY)$/;

/** Every secret variable's documented default (its schema's value when unset), by name. */
function documentedSecretDefaults(): Map<string, unknown> {
  const defaults = new Map<string, unknown>([['JWT_SECRET', DEV_JWT_SECRET], ['STRIPE_WEBHOOK_SECRET', DEV_STRIPE_WEBHOOK_SECRET]]);
  for (const [name, schema] of Object.entries(configSchema.shape as Record<string, z.ZodType>)) {
    if (!SECRET_NAME.test(name)) continue;
    const unset = schema.safeParse(undefined);
    if (unset.success && unset.data !== undefined && unset.data !== '') defaults.set(name, unset.data);
  }
  return defaults;
}

/**
 * What production refuses to start with: any documented default secret (anyone can read them here;
 * with the default Stripe webhook secret anyone could forge payment events, with the JWT one mint
 * admin tokens), no PUBLIC_BASE_URL (email links must never follow a request's Host header), and
 * webhooks allowed into private networks.
 */
export function productionProblems(config: Config): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const values = config as unknown as Record<string, unknown>;
  for (const [name, fallback] of documentedSecretDefaults()) {
    if (values[name] === fallback) problems.push(`${name}: must be set in production (it still has the documented development default)`);
  }
  if (!config.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: must be set in production (links in emails point there)');
  if (config.OUTBOUND_ALLOW_PRIVATE_NETWORKS) problems.push('OUTBOUND_ALLOW_PRIVATE_NETWORKS: must not be true in production');
  return problems;
}

/** Reads the configuration from the environment; every bad variable is named at once. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = parsed.data;
  const refused = productionProblems(config);
  if (refused.length) throw new ConfigError(refused);
  return config;
}

/** Tests and tools build a config from the defaults plus what they override. */
export function configWith(overrides: Env, base: Env = process.env): Config {
  return loadConfig({ ...base, ...overrides });
}

// Import it from './platform' inside capabilities (this module imports every capability: a cycle).
export { publicBaseUrl } from './platform';
