import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowFailedError } from '@temporalio/client';
import { findAccount } from '../../../stores/accounts/accounts';
import { lockOrderRow } from '../../../stores/shoutouts/orders';
import { monthPayouts, PayoutMonthError } from '../../../stores/shoutouts/payouts';
import { insertRefund, markRefundFailed, sumHeldRefunds } from '../../../stores/shoutouts/refunds';
import { getTalent } from '../../../stores/shoutouts/talents';
import { payoutsCsv } from '../../../domain/shoutouts/payouts';
import { recordThenStart } from '../../../platform/record-then-start';
import { newId } from '../../../domain/ids';
import { refundPortions } from '../../../domain/shoutouts';
import type { CoreDeps } from '../../../platform/deps';
import { shoutoutRefund } from '../../../workflows/shoutouts/order';
import type { AppOpenAPI } from '../../app-types';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, MoneySchema, problemResponses, RefundAmountSchema, refundMinorUnits } from '../../schemas';

const RefundSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    workflowId: z.string(),
    amount: MoneySchema,
    reason: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    refunded: MoneySchema.openapi({ description: 'Everything refunded on the order so far.' }),
  })
  .openapi('ShoutoutRefund');

const refundRoute = createRoute({
  method: 'post',
  path: '/v1/admin/shoutouts/{id}/refund',
  tags: ['shoutouts', 'admin'],
  summary: 'Refund a delivered order, fully or partly (admin): provider refund, ledger reversal, fan emailed',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: z.string().max(100) }),
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { 'application/json': { schema: z.object({ amount: RefundAmountSchema.optional(), reason: z.string().trim().min(1).max(500) }).openapi('ShoutoutRefundInput') } } },
  },
  responses: {
    201: { description: 'Refunded', content: { 'application/json': { schema: RefundSchema } } },
    202: { description: 'Accepted; the refund workflow is still running', content: { 'application/json': { schema: RefundSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const PayoutSchema = z
  .object({
    id: z.string(),
    month: z.string(),
    talentId: z.string(),
    name: z.string(),
    email: z.string(),
    orders: z.number().int(),
    gross: MoneySchema,
    platformFee: MoneySchema,
    refunds: MoneySchema,
    adjustments: MoneySchema.openapi({ description: 'Deliveries and refunds that landed in an already frozen month after it was frozen, carried into this payout' }),
    amountDue: MoneySchema,
    currency: z.string(),
    status: z.enum(['pending', 'paid', 'failed']),
    paidAt: z.string().nullable(),
    reference: z.string().nullable(),
  })
  .openapi('ShoutoutPayout');

const payoutsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/payouts',
  tags: ['shoutouts', 'admin'],
  summary: "A month's talent payouts (admin): a closed month is frozen on the first export and the same ever after; the current month is a preview (preview: true, nothing stored); CSV with Accept: text/csv",
  security: [{ bearer: [] }],
  request: { query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).openapi({ example: '2026-10' }) }) },
  responses: {
    200: {
      description: 'The payouts',
      content: {
        'application/json': { schema: z.object({ month: z.string(), preview: z.boolean(), items: z.array(PayoutSchema), nextCursor: z.null() }).openapi('ShoutoutPayouts') },
        'text/csv': { schema: z.string() },
      },
    },
    ...problemResponses(400, 401, 403),
  },
});

export function registerAdminRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, temporal, config } = deps;

  app.openapi(refundRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { amount: requested, reason } = c.req.valid('json');
    const principal = c.get('principal');
    const refundId = newId('ref');
    const workflowId = `shoutout-${id}-refund-${refundId}`;
    // Serialised per order: the refundable rest is computed under the order's row lock.
    const reserve = () =>
      db.transaction(async (trx) => {
        const order = await lockOrderRow(trx, id);
        if (!order) throw problems.notFound(`Shoutout ${id}`);
        if (order.status !== 'delivered') throw problems.conflict(`The order is ${order.status}; only a delivered order can be refunded.`, { orderStatus: order.status });
        const already = await sumHeldRefunds(trx, id);
        const price = Number(order.price_amount);
        const rest = price - already;
        const amount = refundMinorUnits(requested, order.currency) ?? rest;
        if (rest <= 0) throw problems.conflict('The order is already fully refunded (or a refund of the rest is under way).');
        if (amount > rest) throw problems.field('amount', `at most ${rest} can still be refunded`);
        // Cumulative split: the sum of every partial refund's portions equals the split of their total.
        const share = Number(order.talent_share_amount ?? 0);
        const fee = Number(order.platform_fee_amount ?? 0);
        const before = already > 0 ? refundPortions(already, share, fee) : { talentPortion: 0, feePortion: 0 };
        const after = refundPortions(already + amount, share, fee);
        const talentPortion = after.talentPortion - before.talentPortion;
        const feePortion = after.feePortion - before.feePortion;
        await insertRefund(trx, { id: refundId, orderId: id, talentId: order.talent_id, amount, currency: order.currency, talentPortion, feePortion, reason, requestedBy: principal.accountId });
        const fan = (await findAccount(trx, order.fan_id))!;
        const talent = await getTalent(trx, order.talent_id);
        return { amount: { amount, currency: order.currency }, fan, talentName: talent?.displayName ?? 'your talent', refundedBefore: already };
      });
    // No workflow, no refund: if the start fails the pending row is marked failed, so it does not hold back the refundable rest.
    const created = await recordThenStart({
      record: reserve,
      start: (reserved) =>
        temporal.workflow.start(shoutoutRefund, {
          taskQueue: config.TASK_QUEUE,
          workflowId,
          args: [{ refundId, orderId: id, fan: { email: reserved.fan.email, name: reserved.fan.name }, talentName: reserved.talentName, amount: reserved.amount, reason }],
        }),
      undo: () => markRefundFailed(db, refundId, 'the refund workflow could not start'),
    });
    const handle = temporal.workflow.getHandle<typeof shoutoutRefund>(workflowId);
    const base = { id: refundId, orderId: id, workflowId, amount: created.amount, reason };
    const outcome = await Promise.race([
      handle.result().catch((error: unknown) => (error instanceof WorkflowFailedError ? { status: 'failed' as const, reason: error.message } : Promise.reject(error))),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), config.SHOUTOUT_REFUND_WAIT).unref()),
    ]);
    if (!outcome) return c.json({ ...base, status: 'pending' as const, refunded: { amount: created.refundedBefore, currency: created.amount.currency } }, 202);
    if (outcome.status === 'failed') throw problems.unprocessable(`The provider refused the refund: ${outcome.reason ?? 'unknown reason'}`, [{ field: 'amount', message: 'refund failed' }], { refundId });
    return c.json({ ...base, status: 'succeeded' as const, refunded: { amount: outcome.refundedTotal ?? created.refundedBefore + created.amount.amount, currency: created.amount.currency } }, 201);
  });

  app.openapi(payoutsRoute, async (c) => {
    const { month } = c.req.valid('query');
    let payouts, preview;
    try {
      ({ payouts, preview } = await monthPayouts(db, month));
    } catch (error) {
      if (error instanceof PayoutMonthError) throw problems.badRequest(error.message, [{ field: 'month', message: 'must be YYYY-MM' }]);
      throw error;
    }
    const accept = c.req.header('accept') ?? '';
    if (/text\/csv/i.test(accept) && !/application\/json/i.test(accept.split(',')[0] ?? '')) {
      return new Response(payoutsCsv(payouts), { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="payouts-${month}${preview ? '-preview' : ''}.csv"` } }) as never;
    }
    // One month's payouts are one page: one row per talent and currency.
    return c.json({ month, preview, items: payouts, nextCursor: null }, 200);
  });
}
