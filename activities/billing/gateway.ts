import { ApplicationFailure } from '@temporalio/activity';
import { PaymentError, type PaymentResult } from '../../providers/payments/port';

export interface Decline {
  code: string;
  message: string;
}

/**
 * A business refusal from the gateway (a decline, authentication required off-session) becomes
 * a value the workflow branches on; a retryable PaymentError (rate limit, outage) and any other
 * error are thrown so Temporal retries the activity with the same idempotency key.
 */
export function declineOf(error: unknown): Decline | undefined {
  const isPaymentError = error instanceof PaymentError || (error instanceof Error && error.name === 'PaymentError');
  if (!isPaymentError) return undefined;
  const e = error as PaymentError;
  if (e.retryable) return undefined;
  return { code: e.declineCode ?? e.code, message: e.message };
}

/** A result that did not move the money (requires_action off-session, failed) is a decline too. */
export function declineOfResult(result: PaymentResult): Decline | undefined {
  if (result.status === 'succeeded') return undefined;
  if (result.status === 'requires_action') return { code: 'authentication_required', message: 'The payment method needs the customer to authenticate.' };
  if (result.status === 'processing') throw new Error('payment still processing; retrying');
  return { code: result.status, message: `The payment ended ${result.status}.` };
}

/** For steps that cannot branch (refunds, set-up): a business refusal fails the activity for good. */
export function rethrowAsFailure(error: unknown): never {
  const decline = declineOf(error);
  if (decline) throw ApplicationFailure.nonRetryable(decline.message, 'PaymentDeclined', decline);
  throw error;
}
