import type { Money } from '../money';
import type { AllocationLine } from './allocation';

/** What the API hands the `splitPayment` workflow (everything it needs; it reads nothing itself). */
export interface SplitRecipientTarget {
  payoutAccountId: string;
  /** The connected account at the provider. */
  destination: string;
  amount: Money;
  email: string;
  name: string;
}

export interface SplitStepTimeouts {
  /** One attempt of a step (startToClose), ms. */
  stepMs: number;
  /** How long a forward step keeps retrying infrastructure failures before the saga compensates, ms. */
  stepGiveUpMs: number;
  /** The longest wait between two attempts of a compensation step (they retry until done), ms. */
  compensationMaxIntervalMs: number;
}

export interface SplitPaymentInput {
  splitId: string;
  /** The payer's account. */
  createdBy: string;
  total: Money;
  paymentMethod: string;
  description: string;
  /** Minor-unit digits of the currency (for the emails). */
  exponent: number;
  allocation: AllocationLine[];
  recipients: SplitRecipientTarget[];
  /** The id of the `split.created` event (the cause of the first step). */
  createdEventId: string;
  timeouts: SplitStepTimeouts;
}

export interface SplitRefundInput {
  splitId: string;
  refundId: string;
  providerPaymentId: string;
  amount: Money;
  /** Per party, what this refund takes back (the platform's part is simply not transferred back). */
  allocation: AllocationLine[];
  transfers: { payoutAccountId: string; providerTransferId: string }[];
  requestedEventId: string;
  timeouts: SplitStepTimeouts;
}

/** The live state the workflow answers to its query. */
export interface SplitLiveState {
  splitId: string;
  status: 'processing' | 'succeeded' | 'compensating' | 'failed';
  /** The step running now (`charge`, `transfers` (all at once; `transfer:<payoutAccountId>` in sagas from before), `ledger`, `notify`, `compensate:…`), null when done. */
  step: string | null;
  providerPaymentId: string | null;
  transfers: Record<string, string>;
  failureReason: string | null;
}

export const splitWorkflowId = (splitId: string) => `split-${splitId}`;
export const splitRefundWorkflowId = (splitId: string, refundId: string) => `split-${splitId}-refund-${refundId}`;
