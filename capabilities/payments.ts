import { registerPaymentsRoutes } from '../api/routes/payments';
import { paymentsSchema } from '../platform/config/payments';
import { defineCapability } from './capability';

/** The payment port's provider webhook (Stripe); payments themselves are moved by the capabilities that sell. */
export const paymentsCapability = defineCapability({
  name: 'payments',
  config: paymentsSchema,
  routes: registerPaymentsRoutes,
});
