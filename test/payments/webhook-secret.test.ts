import type { AppOpenAPI } from '../../api/app-types';
import { registerPaymentsRoutes } from '../../api/routes/payments';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';

describe('STRIPE_WEBHOOK_SECRET in production', () => {

  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars!!', STRIPE_SECRET_KEY: 'sk_live_x', PUBLIC_BASE_URL: 'https://api.limelight.example' };

  it('refuses a production configuration with the development secret', () => {
    expect(() => configWith({ STRIPE_WEBHOOK_SECRET: '', ...production })).toThrow(/STRIPE_WEBHOOK_SECRET: must be set in production/);
  });

  it('refuses to serve Stripe webhooks in production with the development secret, however the config was built', () => {
    const config = { ...configWith({ STRIPE_WEBHOOK_SECRET: 'whsec_real', ...production }), STRIPE_WEBHOOK_SECRET: configWith({ STRIPE_WEBHOOK_SECRET: '' }).STRIPE_WEBHOOK_SECRET };
    expect(() => registerPaymentsRoutes({} as AppOpenAPI, { config } as unknown as CoreDeps)).toThrow(/STRIPE_WEBHOOK_SECRET must be set in production/);
  });
});
