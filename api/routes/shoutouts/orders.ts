import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { findAccount } from '../../../stores/accounts/accounts';
import { deleteOrder, getOrderRow, insertOrder, listOrdersOf } from '../../../stores/shoutouts/orders';
import { getTalent } from '../../../stores/shoutouts/talents';
import { recordThenStart } from '../../../platform/record-then-start';
import { newId } from '../../../domain/ids';
import { isClosed, SHOUTOUT_STATUSES } from '../../../domain/shoutouts';
import { publicBaseUrl } from '../../../platform/config/platform';
import type { CoreDeps } from '../../../platform/deps';
import { acceptShoutoutUpdate, cancelShoutoutUpdate, declineShoutoutUpdate, shoutoutOrder, type ShoutoutOrderInput } from '../../../workflows/shoutouts/order';
import type { AppOpenAPI } from '../../app-types';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';
import { loadOrder, readOrder, ShoutoutSchema, toResource, updateProblem } from './views';

const DAY_MS = 86_400_000;

const OrderInput = z
  .object({
    talentId: z.string().min(1).max(100),
    recipientName: z.string().trim().min(1).max(100),
    occasion: z.string().trim().min(1).max(100),
    instructions: z.string().max(1000).default(''),
    businessUse: z.boolean().default(false),
    paymentMethod: z.string().min(1).max(200).openapi({ example: 'pm_card_visa' }),
  })
  .openapi('ShoutoutOrderInput');

const OrderCreated = z
  .object({ id: z.string(), workflowId: z.string(), status: z.enum(SHOUTOUT_STATUSES), price: MoneySchema, deadlineAt: z.string() })
  .openapi('ShoutoutCreated');

const idParam = z.object({ id: z.string().max(100) });

const createOrder = createRoute({
  method: 'post',
  path: '/v1/shoutouts',
  tags: ['shoutouts'],
  summary: 'Order a shoutout (fan): starts the shoutout-<id> workflow, which authorises the payment',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { 'application/json': { schema: OrderInput } } } },
  responses: { 201: { description: 'Ordered', content: { 'application/json': { schema: OrderCreated } } }, ...problemResponses(400, 401, 403, 409, 422) },
});

const getOrder = createRoute({
  method: 'get',
  path: '/v1/shoutouts/{id}',
  tags: ['shoutouts'],
  summary: 'An order with its timeline (live from the workflow while it runs)',
  security: [{ bearer: [] }],
  request: { params: idParam },
  responses: { 200: { description: 'The order', content: { 'application/json': { schema: ShoutoutSchema } } }, ...problemResponses(401, 403, 404) },
});

const listOrders = createRoute({
  method: 'get',
  path: '/v1/shoutouts',
  tags: ['shoutouts'],
  summary: "The caller's orders, as fan or as talent",
  security: [{ bearer: [] }],
  request: { query: PageQuery.extend({ as: z.enum(['fan', 'talent']).default('fan'), status: z.enum(SHOUTOUT_STATUSES).optional() }) },
  responses: { 200: { description: 'A page of orders', content: { 'application/json': { schema: pageOf(ShoutoutSchema, 'ShoutoutPage') } } }, ...problemResponses(400, 401) },
});

const action = (path: string, summary: string, body?: z.ZodTypeAny, bodyRequired = false) =>
  createRoute({
    method: 'post',
    path,
    tags: ['shoutouts'],
    summary,
    security: [{ bearer: [] }],
    request: { params: idParam, ...(body ? { body: { required: bodyRequired, content: { 'application/json': { schema: body } } } } : {}) },
    responses: { 200: { description: 'The order after the change', content: { 'application/json': { schema: ShoutoutSchema } } }, ...problemResponses(400, 401, 403, 404, 409) },
  });

const acceptRoute = action('/v1/shoutouts/{id}/accept', 'Accept the order (its talent; a workflow update)');
const declineRoute = action('/v1/shoutouts/{id}/decline', 'Decline the order (its talent; a workflow update): the authorisation is voided', z.object({ reason: z.string().trim().min(1).max(500) }).openapi('ShoutoutDeclineInput'), true);
const cancelRoute = action('/v1/shoutouts/{id}/cancel', 'Cancel the order before the talent accepts (its fan; a workflow update)', z.object({ reason: z.string().trim().max(500).optional() }).openapi('ShoutoutCancelInput'));

/** PUBLIC_BASE_URL, else the API's configured origin: never the request's Host header (a forged Host would steer email links). */
export function baseUrlOf(deps: CoreDeps): string {
  return publicBaseUrl(deps.config);
}

export function registerOrderRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;

  app.openapi(createOrder, async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'fan') throw problems.forbidden('Only fan accounts order shoutouts.');
    const body = c.req.valid('json');
    const talent = await getTalent(db, body.talentId);
    if (!talent) throw problems.field('talentId', 'no such talent');
    if (talent.id === principal.accountId) throw problems.field('talentId', 'you cannot order from yourself');
    if (!talent.acceptingOrders) throw problems.conflict(`${talent.displayName} is not accepting orders right now.`, { talentId: talent.id });
    if (body.businessUse && !talent.businessPrice) throw problems.field('businessUse', 'this talent does not offer business use');
    const price = body.businessUse ? talent.businessPrice! : talent.price;
    const [fan, talentAccount] = await Promise.all([findAccount(db, principal.accountId), findAccount(db, talent.id)]);
    if (!fan || !talentAccount) throw problems.unauthorized('The account does not exist any more.');

    const id = newId('sho');
    const workflowId = `shoutout-${id}`;
    const turnaroundMs = config.SHOUTOUT_TURNAROUND ?? talent.turnaroundDays * DAY_MS;
    const deadlineAt = new Date(Date.now() + turnaroundMs).toISOString();
    const input: ShoutoutOrderInput = {
      orderId: id,
      fan: { id: fan.id, email: fan.email, name: fan.name },
      talent: { id: talent.id, email: talentAccount.email, name: talent.displayName },
      price,
      paymentMethod: body.paymentMethod,
      recipientName: body.recipientName,
      occasion: body.occasion,
      instructions: body.instructions,
      businessUse: body.businessUse,
      turnaroundMs,
      reminderAtBps: config.SHOUTOUT_REMINDER_AT_BPS,
      authWindowMs: config.SHOUTOUT_AUTH_WINDOW,
      reauthAtBps: config.SHOUTOUT_REAUTH_AT_BPS,
      authorizationWaitMs: config.SHOUTOUT_AUTHORIZATION_WAIT,
      platformFeeBps: config.SHOUTOUT_PLATFORM_FEE_BPS,
      mediaTaskQueue: config.MEDIA_TASK_QUEUE,
      transcodeTimeoutMs: config.SHOUTOUT_TRANSCODE_TIMEOUT,
      transcodeHeartbeatTimeoutMs: config.SHOUTOUT_TRANSCODE_HEARTBEAT_TIMEOUT,
      baseUrl: baseUrlOf(deps),
    };
    // No workflow, no order: if the start fails the row goes too, so a retry starts clean.
    await recordThenStart({
      record: () =>
        insertOrder(db, {
          id,
          workflowId,
          fanId: principal.accountId,
          talentId: talent.id,
          recipientName: body.recipientName,
          occasion: body.occasion,
          instructions: body.instructions,
          businessUse: body.businessUse,
          priceAmount: price.amount,
          currency: price.currency,
          deadlineAt,
        }),
      start: () => temporal.workflow.start(shoutoutOrder, { taskQueue: config.TASK_QUEUE, workflowId, args: [input] }),
      undo: () => deleteOrder(db, id),
    });
    c.header('Location', `/v1/shoutouts/${id}`);
    return c.json({ id, workflowId, status: 'authorizing' as const, price, deadlineAt }, 201);
  });

  app.openapi(getOrder, async (c) => {
    const row = await loadOrder(db, c.req.valid('param').id, c.get('principal'));
    return c.json(await readOrder(deps, row), 200);
  });

  app.openapi(listOrders, async (c) => {
    const principal = c.get('principal');
    const { as, status, limit, cursor } = c.req.valid('query');
    const { rows: page, nextCursor } = await listOrdersOf(db, { accountId: principal.accountId, as, status, limit, cursor });
    // Lists read PostgreSQL (DESIGN: lists and reports read the database); one order's live state is GET /v1/shoutouts/{id}.
    return c.json({ items: page.map((r) => toResource(r, [])), nextCursor }, 200);
  });

  /** Runs a workflow update as the caller; the workflow's validator has the last word on state. */
  async function update(id: string, run: (handle: ReturnType<typeof temporal.workflow.getHandle>) => Promise<unknown>) {
    const row = (await getOrderRow(db, id))!;
    if (row.closed_at || isClosed(row.status)) throw problems.conflict(`The order is ${row.status}; this is not possible any more.`, { orderStatus: row.status });
    try {
      await run(temporal.workflow.getHandle(row.workflow_id));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw updateProblem(error, row.status);
      const now = await getOrderRow(db, id);
      if (error instanceof WorkflowNotFoundError || (now && (now.closed_at || isClosed(now.status)))) throw updateProblem(error, now?.status ?? row.status);
      throw error;
    }
    return readOrder(deps, (await getOrderRow(db, id))!);
  }

  app.openapi(acceptRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    await loadOrder(db, id, principal, 'talent');
    return c.json(await update(id, (h) => h.executeUpdate(acceptShoutoutUpdate, { args: [{ actorId: principal.accountId }] })), 200);
  });

  app.openapi(declineRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    await loadOrder(db, id, principal, 'talent');
    const body = (await c.req.json().catch(() => ({}))) as { reason?: unknown };
    const parsed = z.object({ reason: z.string().trim().min(1).max(500) }).safeParse(body);
    if (!parsed.success) throw problems.badRequest('A reason is required.', [{ field: 'reason', message: 'required (1–500 characters)' }]);
    return c.json(await update(id, (h) => h.executeUpdate(declineShoutoutUpdate, { args: [{ actorId: principal.accountId, reason: parsed.data.reason }] })), 200);
  });

  app.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    await loadOrder(db, id, principal, 'fan');
    const body = (await c.req.json().catch(() => ({}))) as { reason?: unknown };
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 500) : undefined;
    return c.json(await update(id, (h) => h.executeUpdate(cancelShoutoutUpdate, { args: [{ actorId: principal.accountId, ...(reason ? { reason } : {}) }] })), 200);
  });
}
