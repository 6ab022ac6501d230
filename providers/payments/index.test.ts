import pino from 'pino';
import { configWith } from '../../platform/config';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../../platform/config/payments';
import type { Db } from '../../platform/db';
import { createPaymentGateway } from './index';

const logger = pino({ level: 'silent' });
// The adapters only touch the database when called; the factory must not.
const db = {} as Db;
const base = { STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', STRIPE_API_HOST: '', STRIPE_API_PORT: undefined, STRIPE_API_PROTOCOL: undefined, STRIPE_WEBHOOK_TOLERANCE: undefined };

describe('createPaymentGateway', () => {
  it('uses the PostgreSQL sandbox when STRIPE_SECRET_KEY is unset', () => {
    expect(createPaymentGateway(configWith(base), db, logger).provider).toBe('sandbox');
  });

  it('uses Stripe when STRIPE_SECRET_KEY is set, with stripe-mock coordinates when given', () => {
    const config = configWith({ ...base, STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: '12111', STRIPE_API_PROTOCOL: 'http' });
    expect(config).toMatchObject({ STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: 12111, STRIPE_API_PROTOCOL: 'http' });
    expect(createPaymentGateway(config, db, logger).provider).toBe('stripe');
  });

  it('defaults the webhook secret for development and the signature tolerance to 5 minutes', () => {
    const config = configWith(base);
    expect(config.STRIPE_WEBHOOK_SECRET).toBe(DEV_STRIPE_WEBHOOK_SECRET);
    expect(config.STRIPE_WEBHOOK_TOLERANCE).toBe(5 * 60 * 1000);
  });
});
