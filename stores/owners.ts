/**
 * Which code owns each table: the only folder whose code may read or write it (scripts/check-table-owners.ts
 * checks it in `npm run lint`; CONTRIBUTING.md lists it). Every table created by a migration is here
 * exactly once. Adapter-owned tables (a provider's simulator state, the mail outbox) belong to their adapter.
 */
export const TABLE_OWNERS: Record<string, string> = {
  // platform
  pings: 'stores/platform',
  idempotency_keys: 'stores/platform',
  admin_alerts: 'stores/platform',
  // accounts
  accounts: 'stores/accounts',
  role_grants: 'stores/accounts',
  refresh_tokens: 'stores/accounts',
  auth_rate_limits: 'stores/accounts',
  // payments (records every capability writes through these functions) and the ledger
  payments: 'stores/payments',
  payment_events: 'stores/payments',
  stripe_webhook_events: 'stores/payments',
  ledger_transactions: 'stores/ledger',
  ledger_entries: 'stores/ledger',
  // shoutouts
  shoutout_talents: 'stores/shoutouts',
  shoutout_orders: 'stores/shoutouts',
  shoutout_events: 'stores/shoutouts',
  shoutout_refunds: 'stores/shoutouts',
  shoutout_payouts: 'stores/shoutouts',
  shoutout_payout_months: 'stores/shoutouts',
  shoutout_payout_items: 'stores/shoutouts',
  // billing
  products: 'stores/billing',
  product_price_changes: 'stores/billing',
  purchases: 'stores/billing',
  subscriptions: 'stores/billing',
  billing_events: 'stores/billing',
  billing_event_outbox: 'stores/billing',
  webhook_endpoints: 'stores/billing',
  webhook_deliveries: 'stores/billing',
  webhook_delivery_attempts: 'stores/billing',
  // Stark Bank
  starkbank_invoices: 'stores/starkbank',
  starkbank_events: 'stores/starkbank',
  starkbank_transfers: 'stores/starkbank',
  // split payments
  payout_accounts: 'stores/splits',
  split_payments: 'stores/splits',
  split_events: 'stores/splits',
  // channels and contents (the streaming community)
  channels: 'stores/channels',
  channel_admins: 'stores/channels',
  channel_subscriptions: 'stores/channels',
  contents: 'stores/contents',
  // engagement (votes, views, comments, reports, the flush)
  content_votes: 'stores/engagement',
  content_view_marks: 'stores/engagement',
  watch_history: 'stores/engagement',
  comments: 'stores/engagement',
  engagement_reports: 'stores/engagement',
  moderation_actions: 'stores/engagement',
  engagement_flush_batches: 'stores/engagement',
  notification_deliveries: 'stores/engagement',
  // adapters' own state
  email_messages: 'providers/email',
  engagement_buffer_events: 'providers/engagement',
  sandbox_idempotency_keys: 'providers/payments',
  sandbox_customers: 'providers/payments',
  sandbox_payment_methods: 'providers/payments',
  sandbox_payment_intents: 'providers/payments',
  sandbox_refunds: 'providers/payments',
  sandbox_accounts: 'providers/payments',
  sandbox_balances: 'providers/payments',
  sandbox_transfers: 'providers/payments',
  sandbox_transfer_reversals: 'providers/payments',
  sandbox_payouts: 'providers/payments',
  starkbank_sandbox_keys: 'providers/bank',
  starkbank_sandbox_invoices: 'providers/bank',
  starkbank_sandbox_transfers: 'providers/bank',
};
