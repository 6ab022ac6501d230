import { ApplicationFailure } from '@temporalio/common';
import { paymentFailure, PAYMENT_FAILURE_TYPE, withPaymentFailures } from './failures';
import { PaymentError } from '../../providers/payments/port';

describe('paymentFailure', () => {
  it('turns a decline into a non-retryable ApplicationFailure of type PaymentError with code and decline code', () => {
    const failure = paymentFailure(new PaymentError('card_declined', 'Your card has insufficient funds.', false, 'insufficient_funds', 'pi_1'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(PAYMENT_FAILURE_TYPE);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('Your card has insufficient funds.');
    expect(failure.details).toEqual([{ code: 'card_declined', declineCode: 'insufficient_funds', providerPaymentId: 'pi_1' }]);
  });

  it('keeps a retryable provider failure retryable', () => {
    const failure = paymentFailure(new PaymentError('rate_limit', 'Too many requests.', true));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.details).toEqual([{ code: 'rate_limit' }]);
  });

  it('withPaymentFailures converts PaymentErrors and lets other errors and results through', async () => {
    await expect(withPaymentFailures(async () => 42)).resolves.toBe(42);
    await expect(withPaymentFailures(() => Promise.reject(new PaymentError('balance_insufficient', 'paid out', false)))).rejects.toMatchObject({ type: 'PaymentError', nonRetryable: true });
    const infra = new Error('connection reset');
    await expect(withPaymentFailures(() => Promise.reject(infra))).rejects.toBe(infra);
  });
});
