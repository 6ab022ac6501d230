import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { viewOf, type SubscriptionInput, type SubscriptionView } from '../../../domain/billing/types';
import type { Principal } from '../../../domain/auth';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import {
  cancelSubscriptionUpdate,
  changePlanUpdate,
  paymentMethodUpdatedSignal,
  resumeSubscriptionUpdate,
  subscription,
  subscriptionStateQuery,
  subscriptionWorkflowId,
} from '../../../workflows/billing';
import type { AppOpenAPI } from '../../app-types';
import { isAdmin, requireAuth } from '../../middleware/auth';
import { emptyJsonBodyIsAbsent } from '../../middleware/empty-json-body';
import { problems } from '../../problem';
import { pageOf, PageQuery, problemResponses } from '../../schemas';
import { recordThenStart } from '../../../platform/record-then-start';
import { findAccount } from '../../../stores/accounts/accounts';
import { findProduct } from '../../../stores/billing/products';
import { deleteSubscription, findSubscription, insertSubscription, listSubscriptions, type SubscriptionRow } from '../../../stores/billing/subscriptions';
import { bearer, IdParam, planTerms, SubscriptionSchema } from './common';

/** The listing copy (PostgreSQL); the live state of one subscription comes from its workflow. */
function rowView(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    workflowId: subscriptionWorkflowId(row.id),
    accountId: row.account_id,
    planId: row.plan_id,
    planName: row.plan_name ?? '',
    status: row.status,
    period: row.period,
    price: { amount: Number(row.price_amount), currency: row.currency },
    currentPeriodStart: row.current_period_start?.toISOString() ?? null,
    currentPeriodEnd: row.current_period_end?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    pendingPlanId: row.pending_plan_id,
    failedAttempts: 0,
    nextRetryAt: null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelReason: row.cancel_reason,
    refunded: null,
  };
}

const PaymentMethodBody = z.object({ paymentMethod: z.string().trim().min(1).max(200).openapi({ example: 'pm_card_visa' }) });

export function registerSubscriptionRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const auth = [requireAuth(config.JWT_SECRET)];

  const load = async (id: string, principal: Principal): Promise<SubscriptionRow> => {
    const row = await findSubscription(db, id);
    if (!row || (row.account_id !== principal.accountId && !isAdmin(principal))) throw problems.notFound(`Subscription ${id}`);
    return row;
  };

  const loadPlan = async (planId: string, field = 'planId') => {
    const plan = await findProduct(db, planId);
    if (!plan || plan.kind !== 'plan') throw problems.field(field, 'no such plan');
    if (!plan.active) throw problems.field(field, 'the plan is not on sale');
    return plan;
  };

  const live = async (row: SubscriptionRow): Promise<SubscriptionView> => {
    try {
      return await temporal.workflow.getHandle(subscriptionWorkflowId(row.id)).query(subscriptionStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return rowView(row);
      throw error;
    }
  };

  const update = async (row: SubscriptionRow, run: (h: ReturnType<typeof temporal.workflow.getHandle>) => Promise<SubscriptionView>) => {
    try {
      return await run(temporal.workflow.getHandle(subscriptionWorkflowId(row.id)));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as (Error & { cause?: Error }) | undefined;
        throw problems.conflict(cause?.message ?? error.message, { subscriptionId: row.id });
      }
      if (error instanceof WorkflowNotFoundError || (error as Error).name === 'WorkflowNotFoundError') throw problems.conflict(`The subscription is ${row.status}.`, { subscriptionId: row.id });
      // A finished workflow cannot take updates.
      if (/workflow execution already completed|already completed/i.test((error as Error).message)) throw problems.conflict(`The subscription is ${row.status}.`, { subscriptionId: row.id });
      throw error;
    }
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/subscriptions',
      tags: ['billing'],
      summary: 'Subscribe to a plan: workflow subscription-<id> charges (after any trial), grants the role and renews every period',
      security: bearer,
      middleware: auth,
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ planId: z.string().min(1).max(200), paymentMethod: z.string().trim().min(1).max(200).openapi({ example: 'pm_card_visa' }) }) } } } },
      responses: { 202: { description: 'Started', content: { 'application/json': { schema: SubscriptionSchema } } }, ...problemResponses(400, 401, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const plan = await loadPlan(body.planId);
      const account = await findAccount(db, principal.accountId);
      if (!account) throw problems.unauthorized('The account does not exist any more.');
      const id = newId('sub');
      const terms = planTerms(plan);
      const startedAt = Date.now();
      const input: SubscriptionInput = { id, accountId: principal.accountId, email: account.email, name: account.name, plan: terms, paymentMethod: body.paymentMethod, startedAt, dayMs: config.BILLING_DAY_LENGTH, dunningScheduleMs: config.BILLING_DUNNING_SCHEDULE, renewalsPerRun: config.BILLING_RENEWALS_PER_RUN };
      await recordThenStart({
        record: () => insertSubscription(db, { id, accountId: principal.accountId, planId: plan.id, price: terms.price }),
        start: () => temporal.workflow.start(subscription, { taskQueue: config.TASK_QUEUE, workflowId: subscriptionWorkflowId(id), args: [input] }),
        undo: () => deleteSubscription(db, id),
      });
      c.header('Location', `/v1/subscriptions/${id}`);
      const view = viewOf({ id, accountId: principal.accountId, email: account.email, plan: terms, status: 'incomplete', period: 0, periodStart: 0, periodEnd: 0, price: terms.price, priceLockedAt: startedAt, charges: [], cancelAtPeriodEnd: false, roleGranted: false, paymentMethodSeq: 0, failedAttempts: 0 });
      return c.json(view, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/subscriptions/{id}',
      tags: ['billing'],
      summary: 'A subscription, live from its workflow',
      security: bearer,
      middleware: auth,
      request: { params: IdParam },
      responses: { 200: { description: 'The subscription', content: { 'application/json': { schema: SubscriptionSchema } } }, ...problemResponses(401, 404) },
    }),
    async (c) => {
      const row = await load(c.req.valid('param').id, c.get('principal'));
      return c.json(await live(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/subscriptions',
      tags: ['billing'],
      summary: 'My subscriptions (newest first)',
      security: bearer,
      middleware: auth,
      request: { query: PageQuery.extend({ status: z.enum(['incomplete', 'trialing', 'active', 'past_due', 'cancelled']).optional() }) },
      responses: { 200: { description: 'A page of subscriptions', content: { 'application/json': { schema: pageOf(SubscriptionSchema, 'SubscriptionPage') } } }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid('query');
      const { rows: page, nextCursor } = await listSubscriptions(db, c.get('principal').accountId, { status }, { limit, cursor });
      return c.json({ items: page.map(rowView), nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/subscriptions/{id}/cancel',
      tags: ['billing'],
      summary: 'Cancel at period end (default: access until then, no renewal) or now (access ends, unused time refunded pro rata)',
      security: bearer,
      middleware: [...auth, emptyJsonBodyIsAbsent],
      request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ atPeriodEnd: z.boolean().default(true) }) } } } },
      responses: { 200: { description: 'The subscription after the change', content: { 'application/json': { schema: SubscriptionSchema } } }, ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const row = await load(c.req.valid('param').id, c.get('principal'));
      const text = await c.req.text();
      let atPeriodEnd = true;
      if (text.trim()) {
        const parsed = z.object({ atPeriodEnd: z.boolean().default(true) }).safeParse(JSON.parse(text));
        if (!parsed.success) throw problems.badRequest('The request is not valid.', [{ field: 'atPeriodEnd', message: 'must be a boolean' }]);
        atPeriodEnd = parsed.data.atPeriodEnd;
      }
      return c.json(await update(row, (h) => h.executeUpdate(cancelSubscriptionUpdate, { args: [{ atPeriodEnd }] })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/subscriptions/{id}/resume',
      tags: ['billing'],
      summary: 'Undo a pending cancel-at-period-end before the period ends',
      security: bearer,
      middleware: auth,
      request: { params: IdParam },
      responses: { 200: { description: 'The subscription after the change', content: { 'application/json': { schema: SubscriptionSchema } } }, ...problemResponses(401, 404, 409) },
    }),
    async (c) => {
      const row = await load(c.req.valid('param').id, c.get('principal'));
      return c.json(await update(row, (h) => h.executeUpdate(resumeSubscriptionUpdate)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/subscriptions/{id}/change-plan',
      tags: ['billing'],
      summary: 'Change plan: an upgrade applies now with a prorated charge; a downgrade at the end of the period',
      security: bearer,
      middleware: auth,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ planId: z.string().min(1).max(200) }) } } } },
      responses: { 200: { description: 'The subscription after the change', content: { 'application/json': { schema: SubscriptionSchema } } }, ...problemResponses(400, 401, 404, 409, 422) },
    }),
    async (c) => {
      const row = await load(c.req.valid('param').id, c.get('principal'));
      const plan = await loadPlan(c.req.valid('json').planId);
      if (plan.currency !== row.currency) throw problems.field('planId', `the plan is priced in ${plan.currency}, the subscription in ${row.currency}`);
      return c.json(await update(row, (h) => h.executeUpdate(changePlanUpdate, { args: [{ plan: planTerms(plan) }] })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/subscriptions/{id}/payment-method',
      tags: ['billing'],
      summary: 'Replace the payment method; a past-due subscription retries the charge at once',
      security: bearer,
      middleware: auth,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PaymentMethodBody } } } },
      responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.string(), retrying: z.boolean() }) } } }, ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const row = await load(c.req.valid('param').id, c.get('principal'));
      const { paymentMethod } = c.req.valid('json');
      if (row.status === 'cancelled' || row.status === 'incomplete') throw problems.conflict(`The subscription is ${row.status}.`, { subscriptionId: row.id });
      try {
        await temporal.workflow.getHandle(subscriptionWorkflowId(row.id)).signal(paymentMethodUpdatedSignal, { paymentMethod });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) throw problems.conflict(`The subscription is ${row.status}.`, { subscriptionId: row.id });
        throw error;
      }
      return c.json({ id: row.id, status: row.status, retrying: row.status === 'past_due' }, 202);
    },
  );
}

