/**
 * Worker Versioning: the behaviour of every workflow type when a new worker build becomes current.
 * Imported by the workflow bundle's entry (workers/workflows-entry.ts), so it is plain data.
 *
 * - PINNED: a run stays on the build that started it until it closes; a deploy never replays it
 *   on new code, so any change is safe. The old build keeps running until its pinned workflows
 *   drain, so PINNED suits workflows whose life is bounded by days (orders, sagas, signups).
 * - AUTO_UPGRADE: a run moves to the current build at its next workflow task. For workflows that
 *   live for weeks or forever (subscriptions continue as new every period and would otherwise stay
 *   on their first build for good; the transfer batcher never ends): their code changes only in
 *   replay-compatible ways, behind `patched()` when the command sequence changes.
 *
 * A workflow type missing from this table is PINNED (the worker's default too).
 */
export type Behavior = 'PINNED' | 'AUTO_UPGRADE';

export const DEFAULT_VERSIONING_BEHAVIOR: Behavior = 'PINNED';

export const WORKFLOW_VERSIONING: Record<string, Behavior> = {
  ping: 'PINNED',
  signup: 'PINNED', // ≤ SIGNUP_DEADLINE (24 h)
  accountPurge: 'AUTO_UPGRADE', // sleeps DEACTIVATED_RETENTION (30 days)
  shoutoutOrder: 'PINNED', // ≤ the talent's turnaround (days)
  shoutoutRefund: 'PINNED',
  filmPurchase: 'AUTO_UPGRADE', // sleeps accessDays (weeks) before revoking access
  subscription: 'AUTO_UPGRADE', // forever, continue-as-new every period
  priceChangeNotice: 'PINNED',
  adminRefund: 'PINNED',
  webhookDelivery: 'PINNED', // ≤ BILLING_WEBHOOK_RETRY_FOR (3 days)
  splitPayment: 'PINNED', // minutes
  splitRefund: 'PINNED',
  invoiceIssuance: 'PINNED', // one scheduled run
  transferBatcher: 'AUTO_UPGRADE', // forever, continue-as-new per batch
  channelDeletion: 'PINNED', // minutes: batches of removals
  contentPublishing: 'PINNED', // ≤ CONTENT_PROCESSING_TIMEOUT × attempts
  engagementFlush: 'PINNED', // one scheduled run, seconds
  uploadNotification: 'PINNED', // minutes: pages of emails
};

export function versioningBehaviorOf(workflowType: string): Behavior {
  return WORKFLOW_VERSIONING[workflowType] ?? DEFAULT_VERSIONING_BEHAVIOR;
}
