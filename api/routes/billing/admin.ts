import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowFailedError } from '@temporalio/client';
import { BILLING_EVENT_TYPES } from '../../../stores/billing/events';
import { listDeliveries } from '../../../stores/billing/webhook-deliveries';
import { createWebhookEndpoint, deactivateWebhookEndpoint, findWebhookEndpoint, listWebhookEndpoints } from '../../../stores/billing/webhook-endpoints';
import { getPayment, listPaymentEvents, listPayments, paymentTotals } from '../../../stores/payments/payments';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { adminRefund } from '../../../workflows/billing';
import type { AppOpenAPI } from '../../app-types';
import { checkOutboundUrl } from '../../../platform/outbound-url';
import { requireAuth, requireRole } from '../../middleware/auth';
import { problems } from '../../problem';
import { MoneySchema, PageQuery, problemResponses, RefundAmountSchema, refundMinorUnits } from '../../schemas';
import { bearer, IdParam } from './common';

const PaymentSchema = z
  .object({
    id: z.string(),
    accountId: z.string().nullable(),
    kind: z.string(),
    reference: z.string(),
    provider: z.string(),
    providerPaymentId: z.string().nullable(),
    status: z.string(),
    amount: MoneySchema,
    amountCaptured: z.number().int(),
    amountRefunded: z.number().int(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    workflowId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AdminPayment');
const PaymentEventSchema = z.object({ id: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), correlationId: z.string().nullable(), createdAt: z.string() }).openapi('PaymentEvent');
const TotalSchema = z.object({ currency: z.string(), count: z.number().int(), amount: z.number().int(), captured: z.number().int(), refunded: z.number().int(), net: z.number().int() }).openapi('PaymentTotal');

const EndpointSchema = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.string() }).openapi('WebhookEndpoint');
const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'retrying', 'delivered', 'failed']),
    attempts: z.array(z.object({ attempt: z.number().int(), statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int(), attemptedAt: z.string() })),
    lastStatusCode: z.number().int().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

export function registerBillingAdminRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const adminOnly = [requireAuth(config.JWT_SECRET), requireRole('admin')];

  const Filters = z.object({
    status: z.enum(['pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed']).optional(),
    account: z.string().max(200).optional(),
    kind: z.string().max(50).optional(),
    from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created at or after (ISO 8601).' }),
    to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created before (ISO 8601).' }),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/payments',
      tags: ['admin'],
      summary: 'Every payment, filtered, with totals per currency over the whole filter',
      security: bearer,
      middleware: adminOnly,
      request: { query: PageQuery.extend(Filters.shape) },
      responses: {
        200: { description: 'A page of payments and the totals', content: { 'application/json': { schema: z.object({ items: z.array(PaymentSchema), nextCursor: z.string().nullable(), totals: z.array(TotalSchema) }).openapi('AdminPaymentPage') } } },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const filter = { status: q.status, accountId: q.account, kind: q.kind, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
      const { items, nextCursor } = await listPayments(db, filter, { limit: q.limit, cursor: q.cursor });
      const totals = await paymentTotals(db, filter);
      return c.json({ items, nextCursor, totals: totals.map((t) => ({ ...t, net: t.captured - t.refunded })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/payments/{id}',
      tags: ['admin'],
      summary: 'One payment with its append-only event log',
      security: bearer,
      middleware: adminOnly,
      request: { params: IdParam },
      responses: { 200: { description: 'The payment', content: { 'application/json': { schema: PaymentSchema.extend({ events: z.array(PaymentEventSchema) }).openapi('AdminPaymentDetail') } } }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const payment = await getPayment(db, id);
      if (!payment) throw problems.notFound(`Payment ${id}`);
      return c.json({ ...payment, events: await listPaymentEvents(db, id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/payments/{id}/refund',
      tags: ['admin'],
      summary: 'Refund all or part of a captured payment through the gateway (idempotency key refund-<refundId>), recorded as events',
      security: bearer,
      middleware: adminOnly,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ amount: RefundAmountSchema.optional(), reason: z.string().trim().min(1).max(500) }) } } } },
      responses: {
        201: { description: 'Refunded', content: { 'application/json': { schema: z.object({ id: z.string(), paymentId: z.string(), amount: MoneySchema, reason: z.string(), payment: PaymentSchema }).openapi('AdminRefund') } } },
        ...problemResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const payment = await getPayment(db, id);
      if (!payment) throw problems.notFound(`Payment ${id}`);
      if (payment.status !== 'captured' && payment.status !== 'partially_refunded') throw problems.conflict(`The payment is ${payment.status}; only captured payments can be refunded.`, { paymentStatus: payment.status });
      const refundable = payment.amountCaptured - payment.amountRefunded;
      const amount = refundMinorUnits(body.amount, payment.amount.currency) ?? refundable;
      if (amount > refundable) throw problems.field('amount', `at most ${refundable} can be refunded`);
      if (amount <= 0) throw problems.conflict('Nothing is left to refund.');
      const refundId = newId('rfd');
      try {
        await temporal.workflow.execute(adminRefund, { taskQueue: config.TASK_QUEUE, workflowId: `refund-${refundId}`, args: [{ refundId, paymentId: id, amount, reason: body.reason }], workflowExecutionTimeout: '2 minutes' });
      } catch (error) {
        if (error instanceof WorkflowFailedError) {
          const cause = error.cause as (Error & { cause?: Error }) | undefined;
          throw problems.unprocessable(`The refund was refused: ${cause?.cause?.message ?? cause?.message ?? error.message}`);
        }
        throw error;
      }
      return c.json({ id: refundId, paymentId: id, amount: { amount, currency: payment.amount.currency }, reason: body.reason, payment: (await getPayment(db, id))! }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/webhook-endpoints',
      tags: ['admin'],
      summary: 'Register a receiver of reporting events. Each delivery is POSTed with Limelight-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> and Limelight-Timestamp.',
      security: bearer,
      middleware: adminOnly,
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ url: z.url().max(2000), events: z.array(z.enum([...BILLING_EVENT_TYPES, '*'])).min(1).max(50) }) } },
        },
      },
      responses: { 201: { description: 'Registered; the secret is shown only now', content: { 'application/json': { schema: EndpointSchema.extend({ secret: z.string() }).openapi('NewWebhookEndpoint') } } }, ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const url = new URL(body.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problems.field('url', 'must be http(s)');
      if (config.NODE_ENV === 'production' && url.protocol !== 'https:') throw problems.field('url', 'must be https in production');
      // No requests into our own network (SSRF): checked again before every delivery.
      const outbound = await checkOutboundUrl(body.url, { allowPrivate: config.OUTBOUND_ALLOW_PRIVATE_NETWORKS });
      if (!outbound.ok) throw problems.field('url', outbound.reason);
      const id = newId('whe');
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const row = await createWebhookEndpoint(db, { id, url: body.url, events: [...new Set(body.events)], secret });
      return c.json({ id, url: row.url, events: row.events, active: row.active, createdAt: row.created_at.toISOString(), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/webhook-endpoints',
      tags: ['admin'],
      summary: 'Registered receivers of reporting events, newest first (secrets are never shown again)',
      security: bearer,
      middleware: adminOnly,
      request: { query: PageQuery.extend({ active: z.enum(['true', 'false']).optional().openapi({ description: 'Only active (true) or removed (false) endpoints.' }) }) },
      responses: { 200: { description: 'A page of endpoints', content: { 'application/json': { schema: z.object({ items: z.array(EndpointSchema), nextCursor: z.string().nullable() }).openapi('WebhookEndpointPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { limit, cursor, active } = c.req.valid('query');
      const { rows, nextCursor } = await listWebhookEndpoints(db, { active: active === undefined ? undefined : active === 'true' }, { limit, cursor });
      return c.json({ items: rows.map((r) => ({ id: r.id, url: r.url, events: r.events, active: r.active, createdAt: r.created_at.toISOString() })), nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/webhook-endpoints/{id}',
      tags: ['admin'],
      summary: 'Remove a receiver: no new deliveries, pending retries are given up; its delivery history stays readable',
      security: bearer,
      middleware: adminOnly,
      request: { params: IdParam },
      responses: { 204: { description: 'Removed (also when it already was)' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await deactivateWebhookEndpoint(db, id))) throw problems.notFound(`Webhook endpoint ${id}`);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/webhook-endpoints/{id}/deliveries',
      tags: ['admin'],
      summary: 'Deliveries to one endpoint (newest first) with every attempt',
      security: bearer,
      middleware: adminOnly,
      request: { params: IdParam, query: PageQuery },
      responses: { 200: { description: 'A page of deliveries', content: { 'application/json': { schema: z.object({ items: z.array(DeliverySchema), nextCursor: z.string().nullable() }).openapi('WebhookDeliveryPage') } } }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      if (!(await findWebhookEndpoint(db, id))) throw problems.notFound(`Webhook endpoint ${id}`);
      const { rows: page, nextCursor } = await listDeliveries(db, id, { limit, cursor });
      const items = page.map((r) => ({
        id: r.id,
        eventId: r.event_id,
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts.map((a) => ({ attempt: a.attempt, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms, attemptedAt: a.attempted_at.toISOString() })),
        lastStatusCode: r.last_status_code,
        nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
        deliveredAt: r.delivered_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
      }));
      return c.json({ items, nextCursor }, 200);
    },
  );
}
