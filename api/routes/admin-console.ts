import { createRoute, z } from '@hono/zod-openapi';
import { accountContacts } from '../../stores/accounts/accounts';
import { pageAccounts } from '../../stores/accounts/admin-accounts';
import { pageAllSubscriptions } from '../../stores/billing/admin-subscriptions';
import { pageAllOrders } from '../../stores/shoutouts/admin-orders';
import { importPayouts } from '../../stores/shoutouts/payouts';
import type { CoreDeps } from '../../platform/deps';
import type { AppOpenAPI } from '../app-types';
import { requireAuth, requireRole } from '../middleware/auth';
import { ProblemError } from '../problem';
import { MoneySchema, PageQuery, pageOf, problemResponses } from '../schemas';

/**
 * Lists the admin console needs that no capability route offers: every subscription, every shoutout
 * order and every account (newest first, filtered, paged), and the payouts CSV import (the bank's
 * answer, all or nothing, as `npm run payouts:import` does it). Admin only.
 */
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const AdminSubscriptionSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    accountId: z.string(),
    email: z.string().nullable(),
    planId: z.string(),
    planName: z.string(),
    status: z.string(),
    price: MoneySchema,
    period: z.number().int(),
    currentPeriodEnd: z.string().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('AdminSubscription');

const AdminShoutoutSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    status: z.string(),
    fanId: z.string(),
    talentId: z.string(),
    talentName: z.string().nullable(),
    occasion: z.string(),
    price: MoneySchema,
    refunded: MoneySchema,
    paymentId: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('AdminShoutout');

const AdminAccountSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.string(),
    status: z.enum(['pending_verification', 'active', 'deactivated']),
    roles: z.array(z.string()),
    createdAt: z.string(),
    deactivatedAt: z.string().nullable(),
  })
  .openapi('AdminAccount');

const PayoutImportSchema = z.object({ applied: z.number().int(), unchanged: z.number().int() }).openapi('PayoutImport');

export function registerAdminConsoleRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db } = deps;
  const security = [{ bearer: [] }];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/subscriptions',
      tags: ['admin'],
      summary: 'Every subscription, newest first (admin)',
      security,
      middleware: [requireAuth(deps.config.JWT_SECRET), requireRole('admin')] as const,
      request: { query: PageQuery.extend({ status: z.enum(['incomplete', 'trialing', 'active', 'past_due', 'cancelled']).optional() }) },
      responses: { 200: { description: 'A page of subscriptions', content: { 'application/json': { schema: pageOf(AdminSubscriptionSchema, 'AdminSubscriptionPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await pageAllSubscriptions(db, q, q);
      const contacts = await accountContacts(db, page.rows.map((r) => r.account_id));
      const items = page.rows.map((r) => ({
        id: r.id,
        workflowId: `subscription-${r.id}`,
        accountId: r.account_id,
        email: contacts.get(r.account_id)?.email ?? null,
        planId: r.plan_id,
        planName: r.plan_name ?? r.plan_id,
        status: r.status,
        price: { amount: Number(r.price_amount), currency: r.currency },
        period: Number(r.period),
        currentPeriodEnd: iso(r.current_period_end),
        cancelAtPeriodEnd: Boolean(r.cancel_at_period_end),
        createdAt: iso(r.created_at)!,
      }));
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/shoutouts',
      tags: ['admin'],
      summary: 'Every shoutout order, newest first (admin)',
      security,
      middleware: [requireAuth(deps.config.JWT_SECRET), requireRole('admin')] as const,
      request: { query: PageQuery.extend({ status: z.enum(['authorizing', 'requested', 'accepted', 'processing', 'delivered', 'refunded', 'payment_failed', 'declined', 'cancelled', 'expired']).optional() }) },
      responses: { 200: { description: 'A page of orders', content: { 'application/json': { schema: pageOf(AdminShoutoutSchema, 'AdminShoutoutPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await pageAllOrders(db, q, q);
      const items = page.rows.map((r) => ({
        id: String(r.id),
        workflowId: String(r.workflow_id),
        status: String(r.status),
        fanId: String(r.fan_id),
        talentId: String(r.talent_id),
        talentName: (r.talent_name as string | null) ?? null,
        occasion: String(r.occasion),
        price: { amount: Number(r.price_amount), currency: String(r.currency) },
        refunded: { amount: Number(r.refunded_amount), currency: String(r.currency) },
        paymentId: (r.payment_id as string | null) ?? null,
        createdAt: iso(r.created_at as Date)!,
        deliveredAt: iso(r.delivered_at as Date | null),
      }));
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/accounts',
      tags: ['admin'],
      summary: 'Accounts, newest first, searched by email or name (admin)',
      security,
      middleware: [requireAuth(deps.config.JWT_SECRET), requireRole('admin')] as const,
      request: {
        query: PageQuery.extend({
          q: z.string().max(254).optional().openapi({ description: 'Part of the email or the name (case-insensitive).' }),
          status: z.enum(['pending_verification', 'active', 'deactivated']).optional(),
        }),
      },
      responses: { 200: { description: 'A page of accounts', content: { 'application/json': { schema: pageOf(AdminAccountSchema, 'AdminAccountPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await pageAccounts(db, q, q);
      const items = page.rows.map((r) => ({ id: r.id, email: r.email, name: r.name, kind: r.kind, status: r.status, roles: r.roles, createdAt: iso(r.created_at)!, deactivatedAt: iso(r.deactivated_at) }));
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/payouts/import',
      tags: ['admin'],
      summary: "Import the bank's answer for talent payouts (CSV payout_id,status,paid_at,reference); all or nothing, every bad line named",
      security,
      middleware: [requireAuth(deps.config.JWT_SECRET), requireRole('admin')] as const,
      request: { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ example: 'payout_id,status,paid_at,reference\npo_123,paid,2026-11-30,BANK-1' }) } } } },
      responses: {
        200: { description: 'Applied: how many payouts changed and how many were already so', content: { 'application/json': { schema: PayoutImportSchema } } },
        ...problemResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('text/csv')) throw new ProblemError(415, 'unsupported-media-type', 'Send the file as text/csv.');
      const result = await importPayouts(db, await c.req.text());
      if (!result.ok) {
        const errors = result.errors.map((e) => ({ field: `file.line[${e.line}]`, message: e.message }));
        throw new ProblemError(422, 'payout-import-rejected', `The file was rejected whole: ${errors.length} bad line(s); nothing was applied.`, errors);
      }
      return c.json({ applied: result.applied, unchanged: result.unchanged }, 200);
    },
  );
}
