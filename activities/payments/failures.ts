import { ApplicationFailure } from '@temporalio/common';
import { isPaymentError, type PaymentError } from '../../providers/payments/port';

/** The `details[0]` of a payment ApplicationFailure, for workflows that branch on the decline. */
export interface PaymentFailureDetails {
  code: string;
  declineCode?: string;
  providerPaymentId?: string;
}

/** The ApplicationFailure type every capability's workflows match on (`failure.type === 'PaymentError'`). */
export const PAYMENT_FAILURE_TYPE = 'PaymentError';

/**
 * Converts a PaymentError into the Temporal failure every capability raises, so declines are
 * handled the same way everywhere: a business failure (decline, invalid request) is non-retryable
 * and reaches the workflow at once; a retryable one (rate limit, provider outage) lets the
 * activity's retry policy try again with the same idempotency key.
 */
export function paymentFailure(error: PaymentError): ApplicationFailure {
  const details: PaymentFailureDetails = {
    code: error.code,
    ...(error.declineCode ? { declineCode: error.declineCode } : {}),
    ...(error.providerPaymentId ? { providerPaymentId: error.providerPaymentId } : {}),
  };
  return ApplicationFailure.create({
    type: PAYMENT_FAILURE_TYPE,
    message: error.message,
    nonRetryable: !error.retryable,
    details: [details],
    cause: error,
  });
}

/** Runs a gateway call inside an activity, turning a PaymentError into `paymentFailure(error)`; other errors pass through. */
export async function withPaymentFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isPaymentError(error)) throw paymentFailure(error);
    throw error;
  }
}
