import type { AppOpenAPI } from '../../api/app-types';
import { registerPaymentsRoutes } from '../../api/routes/payments';
import { configWith, ConfigError, publicBaseUrl } from '../../platform/config';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../../platform/config/payments';
import type { CoreDeps } from '../../platform/deps';

/**
 * Findings 4 and 9 of the hardening issue: production refuses to start with any documented default
 * secret (with or without STRIPE_SECRET_KEY), without PUBLIC_BASE_URL, or with webhooks allowed into
 * private networks.
 */
describe('hardening: what production refuses at start', () => {
  const base = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars!!', STRIPE_WEBHOOK_SECRET: 'whsec_production', PUBLIC_BASE_URL: 'https://api.limelight.example', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false', STRIPE_SECRET_KEY: '' };
  const refusal = (overrides: Record<string, string | undefined>) => {
    try {
      configWith({ ...base, ...overrides }, {});
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
  };

  it('starts with every secret set and PUBLIC_BASE_URL', () => {
    expect(refusal({})).toBeUndefined();
  });

  it('refuses the documented Stripe webhook secret even without STRIPE_SECRET_KEY (the sandbox still takes webhooks)', () => {
    expect(refusal({ STRIPE_WEBHOOK_SECRET: '' })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: must be set in production/)]);
    expect(refusal({ STRIPE_WEBHOOK_SECRET: DEV_STRIPE_WEBHOOK_SECRET })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET/)]);
    // However the config was built, the webhook route refuses to exist with it.
    const config = { ...configWith(base, {}), STRIPE_WEBHOOK_SECRET: DEV_STRIPE_WEBHOOK_SECRET };
    expect(() => registerPaymentsRoutes({} as AppOpenAPI, { config } as unknown as CoreDeps)).toThrow(/STRIPE_WEBHOOK_SECRET must be set in production/);
  });

  it('refuses the documented JWT secret, names every problem at once', () => {
    expect(refusal({ JWT_SECRET: undefined, STRIPE_WEBHOOK_SECRET: '', PUBLIC_BASE_URL: '', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: must be set in production/),
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: must be set in production/),
      expect.stringMatching(/^PUBLIC_BASE_URL: must be set in production/),
      expect.stringMatching(/^OUTBOUND_ALLOW_PRIVATE_NETWORKS: must not be true/),
    ]);
  });

  it('outside production, links use the configured origin, never a request header', () => {
    const dev = configWith({ NODE_ENV: 'development', HOST: '0.0.0.0', PORT: '3000', PUBLIC_BASE_URL: '' }, {});
    expect(publicBaseUrl(dev)).toBe('http://127.0.0.1:3000');
    expect(publicBaseUrl(configWith({ ...base, PUBLIC_BASE_URL: 'https://api.limelight.example/' }, {}))).toBe('https://api.limelight.example');
  });
});
