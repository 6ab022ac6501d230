import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import type { PaymentGateway } from './port';
import { SandboxPaymentGateway } from './sandbox';
import { StripePaymentGateway } from './stripe';

export { PaymentError, isPaymentError } from './port';
export type * from './port';
export { SandboxPaymentGateway, isSandboxGateway, SANDBOX_TEST_CARDS } from './sandbox';
export { StripePaymentGateway } from './stripe';

/** The real Stripe API when STRIPE_SECRET_KEY is set, otherwise the PostgreSQL sandbox. */
export function createPaymentGateway(config: Config, db: Db, logger: Logger): PaymentGateway {
  if (config.STRIPE_SECRET_KEY) {
    logger.info({ host: config.STRIPE_API_HOST ?? 'api.stripe.com' }, 'payments: stripe adapter');
    return new StripePaymentGateway({
      secretKey: config.STRIPE_SECRET_KEY,
      host: config.STRIPE_API_HOST,
      port: config.STRIPE_API_PORT,
      protocol: config.STRIPE_API_PROTOCOL,
      maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
      timeoutMs: config.STRIPE_TIMEOUT,
    });
  }
  logger.info('payments: sandbox adapter (STRIPE_SECRET_KEY is not set)');
  return new SandboxPaymentGateway(db, logger);
}
