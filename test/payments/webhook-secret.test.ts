import type { AppOpenAPI } from '../../api/app-types';
import { registerPaymentsRoutes } from '../../api/routes/payments';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';

describe('STRIPE_WEBHOOK_SECRET in production', () => {
  const deps = (env: Record<string, string>) => ({ config: configWith({ STRIPE_WEBHOOK_SECRET: '', ...env }) }) as unknown as CoreDeps;

  it('refuses to serve Stripe webhooks in production with the development secret', () => {
    expect(() => registerPaymentsRoutes({} as AppOpenAPI, deps({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars!!', STRIPE_SECRET_KEY: 'sk_live_x' }))).toThrow(/STRIPE_WEBHOOK_SECRET must be set in production/);
  });
});
