import type { Money } from '../money';
import type { AllocationLine, ShareSpec } from './allocation';

/**
 * A split payment is event-sourced: its state is whatever its events fold to. The projection table
 * (`split_payments.state`) is this fold kept up to date as events are appended, and can always be
 * rebuilt from `split_events` alone with `rebuild()`.
 */
export type SplitStatus = 'processing' | 'succeeded' | 'compensating' | 'failed' | 'partially_refunded' | 'refunded';

export interface SplitEventRecord {
  id: string;
  aggregateId: string;
  sequence: number;
  type: SplitEventType;
  data: Record<string, unknown>;
  correlationId: string;
  causationId: string | null;
  createdAt: string;
}

export type SplitEventType =
  | 'split.created'
  | 'split.charge_succeeded'
  | 'split.charge_failed'
  | 'split.transfer_succeeded'
  | 'split.transfer_failed'
  | 'split.ledger_posted'
  | 'split.recipient_notified'
  | 'split.recipient_notification_failed'
  | 'split.succeeded'
  | 'split.compensation_started'
  | 'split.transfer_reversed'
  | 'split.transfer_reversal_refused'
  | 'split.charge_refunded'
  | 'split.charge_refund_refused'
  | 'split.failed'
  | 'split.refund_requested'
  | 'split.refund_completed'
  | 'split.refund_failed';

export interface SplitRecipientState {
  payoutAccountId: string;
  share: ShareSpec;
  amount: Money;
  transfer: { providerTransferId: string; status: 'transferred' | 'reversed' | 'reversal_refused' } | null;
  /** Taken back from this recipient by refunds. */
  refunded: number;
  notified: boolean;
}

export interface SplitRefundState {
  id: string;
  amount: Money;
  allocation: AllocationLine[];
  status: 'pending' | 'succeeded' | 'failed';
  providerRefundId: string | null;
  /** Recipients whose reversal the provider refused (raised to an admin). */
  refused: string[];
  reason: string | null;
  requestedAt: string;
}

export interface SplitState {
  id: string;
  workflowId: string;
  status: SplitStatus;
  createdBy: string;
  total: Money;
  paymentMethod: string;
  description: string;
  platformFee: ShareSpec;
  allocation: AllocationLine[];
  recipients: SplitRecipientState[];
  charge: { providerPaymentId: string; status: 'captured' | 'refunded' | 'refund_refused' } | null;
  ledgerTransactionId: string | null;
  failureReason: string | null;
  /** Whether the compensation left no money where it should not be (false: an admin was alerted). */
  compensated: boolean | null;
  alerts: string[];
  refundedAmount: number;
  refunds: SplitRefundState[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string) => d[k] as string;

/** Applies one event to the state (undefined before `split.created`). Pure: no clock, no I/O. */
export function applySplitEvent(state: SplitState | undefined, event: SplitEventRecord): SplitState {
  const d = event.data;
  if (event.type === 'split.created') {
    if (state) throw new Error(`split ${event.aggregateId} created twice`);
    const allocation = d.allocation as AllocationLine[];
    const recipients = (d.recipients as { payoutAccountId: string; share: ShareSpec }[]).map((r) => ({
      payoutAccountId: r.payoutAccountId,
      share: r.share,
      amount: allocation.find((l) => l.party === r.payoutAccountId)!.amount,
      transfer: null,
      refunded: 0,
      notified: false,
    }));
    return {
      id: event.aggregateId,
      workflowId: event.correlationId,
      status: 'processing',
      createdBy: str(d, 'createdBy'),
      total: d.total as Money,
      paymentMethod: str(d, 'paymentMethod'),
      description: str(d, 'description'),
      platformFee: d.platformFee as ShareSpec,
      allocation,
      recipients,
      charge: null,
      ledgerTransactionId: null,
      failureReason: null,
      compensated: null,
      alerts: [],
      refundedAmount: 0,
      refunds: [],
      version: event.sequence,
      createdAt: event.createdAt,
      updatedAt: event.createdAt,
    };
  }
  if (!state) throw new Error(`event ${event.type} before split.created`);
  if (event.sequence !== state.version + 1) throw new Error(`split ${state.id}: event ${event.sequence} after ${state.version}`);
  const s: SplitState = structuredClone(state);
  s.version = event.sequence;
  s.updatedAt = event.createdAt;
  const recipient = () => {
    const r = s.recipients.find((x) => x.payoutAccountId === d.payoutAccountId);
    if (!r) throw new Error(`split ${s.id}: unknown recipient ${String(d.payoutAccountId)}`);
    return r;
  };
  switch (event.type) {
    case 'split.charge_succeeded':
      s.charge = { providerPaymentId: str(d, 'providerPaymentId'), status: 'captured' };
      break;
    case 'split.charge_failed':
    case 'split.transfer_failed':
    case 'split.recipient_notification_failed':
      break;
    case 'split.transfer_succeeded':
      recipient().transfer = { providerTransferId: str(d, 'providerTransferId'), status: 'transferred' };
      break;
    case 'split.ledger_posted':
      s.ledgerTransactionId = str(d, 'transactionId');
      break;
    case 'split.recipient_notified':
      recipient().notified = true;
      break;
    case 'split.succeeded':
      s.status = 'succeeded';
      break;
    case 'split.compensation_started':
      s.status = 'compensating';
      s.failureReason = str(d, 'reason');
      break;
    case 'split.transfer_reversed':
      recipient().transfer!.status = 'reversed';
      break;
    case 'split.transfer_reversal_refused':
      recipient().transfer!.status = 'reversal_refused';
      s.alerts.push(str(d, 'alertId'));
      break;
    case 'split.charge_refunded':
      s.charge!.status = 'refunded';
      break;
    case 'split.charge_refund_refused':
      s.charge!.status = 'refund_refused';
      s.alerts.push(str(d, 'alertId'));
      break;
    case 'split.failed':
      s.status = 'failed';
      s.failureReason = str(d, 'reason');
      s.compensated = d.compensated as boolean;
      break;
    case 'split.refund_requested': {
      const allocation = d.allocation as AllocationLine[];
      s.refunds.push({ id: str(d, 'refundId'), amount: d.amount as Money, allocation, status: 'pending', providerRefundId: null, refused: [], reason: null, requestedAt: event.createdAt });
      // Reserved at once, so two refunds can never take back more than was paid.
      s.refundedAmount += (d.amount as Money).amount;
      for (const line of allocation) {
        const r = s.recipients.find((x) => x.payoutAccountId === line.party);
        if (r) r.refunded += line.amount.amount;
      }
      s.status = s.refundedAmount >= s.total.amount ? 'refunded' : 'partially_refunded';
      break;
    }
    case 'split.refund_completed': {
      const refund = s.refunds.find((r) => r.id === d.refundId)!;
      refund.status = 'succeeded';
      refund.providerRefundId = str(d, 'providerRefundId');
      refund.refused = (d.refused as string[]) ?? [];
      for (const alertId of (d.alertIds as string[]) ?? []) s.alerts.push(alertId);
      break;
    }
    case 'split.refund_failed': {
      const refund = s.refunds.find((r) => r.id === d.refundId)!;
      refund.status = 'failed';
      refund.reason = str(d, 'reason');
      for (const alertId of (d.alertIds as string[]) ?? []) s.alerts.push(alertId);
      break;
    }
    default:
      throw new Error(`unknown split event ${(event as SplitEventRecord).type}`);
  }
  return s;
}

/** Rebuilds a split payment's state from its events alone (in sequence order). */
export function rebuild(events: SplitEventRecord[]): SplitState | undefined {
  return [...events].sort((a, b) => a.sequence - b.sequence).reduce<SplitState | undefined>(applySplitEvent, undefined);
}
