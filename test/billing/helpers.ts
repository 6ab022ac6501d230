import type { Env } from '../../platform/config/env';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';

/** Billing durations shrunk to seconds: plans with `interval: 'second'` renew for real while the suite watches. */
export const BILLING_TEST_ENV: Env = {
  BILLING_DUNNING_SCHEDULE: '3s,1s',
  BILLING_DAY_LENGTH: '2s',
  BILLING_PRICE_CHANGE_NOTICE: '4s',
  BILLING_WEBHOOK_BACKOFF: '500ms',
  BILLING_WEBHOOK_BACKOFF_MAX: '2s',
  BILLING_WEBHOOK_RETRY_FOR: '30s',
};

export interface BillingFixture {
  stack: TestStack;
  admin: TestAccount;
}

export async function startBillingStack(env: Env = {}): Promise<BillingFixture> {
  const stack = await startTestStack({ env: { ...BILLING_TEST_ENV, ...env } });
  const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
  return { stack, admin };
}

export async function createPlan(f: BillingFixture, overrides: Record<string, unknown> = {}): Promise<{ id: string; price: { amount: number; currency: string } }> {
  const res = await f.stack.http.post('/v1/products', { kind: 'plan', name: `Plan ${Math.random().toString(36).slice(2, 7)}`, price: { amount: 1000, currency: 'USD' }, interval: 'second', intervalCount: 3, ...overrides }, { token: f.admin.token });
  if (res.status !== 201) throw new Error(`createPlan: ${res.status} ${res.text}`);
  return res.body;
}

export async function subscribe(f: BillingFixture, user: TestAccount, planId: string, paymentMethod = 'pm_card_visa'): Promise<string> {
  const res = await f.stack.http.post('/v1/subscriptions', { planId, paymentMethod }, { token: user.token });
  if (res.status !== 202) throw new Error(`subscribe: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export async function subscriptionState(f: BillingFixture, user: TestAccount, id: string) {
  const res = await f.stack.http.get(`/v1/subscriptions/${id}`, { token: user.token });
  if (res.status !== 200) throw new Error(`get subscription: ${res.status} ${res.text}`);
  return res.body;
}

export function waitForSubscription(f: BillingFixture, user: TestAccount, id: string, check: (s: any) => boolean, timeoutMs = 30_000) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return eventually(
    async () => {
      const s = await subscriptionState(f, user, id);
      return check(s) ? s : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `subscription ${id}` },
  );
}

/** Captured charges of a subscription (one per paid period, plus upgrades). */
export async function capturedCharges(f: BillingFixture, subscriptionId: string) {
  return f.stack.deps.db('payments').where({ kind: 'subscription', reference: subscriptionId }).whereIn('status', ['captured', 'partially_refunded', 'refunded']).orderBy('created_at');
}

export async function rolesOf(f: BillingFixture, accountId: string): Promise<string[]> {
  const row = await f.stack.deps.db('accounts').where({ id: accountId }).first('roles');
  return row.roles;
}

export async function emailsTo(f: BillingFixture, to: string, kind?: string) {
  const q = f.stack.deps.db('email_messages').where({ to });
  if (kind) q.where({ kind });
  return q.orderBy('created_at');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
