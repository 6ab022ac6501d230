import { createRoute, z } from '@hono/zod-openapi';
import { recordThenStart } from '../../../platform/record-then-start';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Gauge } from 'prom-client';
import { appendSplitEvent, listSplitEvents } from '../../../stores/splits/events';
import { getPayoutAccounts } from '../../../stores/splits/payout-accounts';
import { countSplitPaymentsByStatus, getSplitState } from '../../../stores/splits/projection';
import { RefundRefused, reserveRefund } from '../../../stores/splits/refunds';
import { newId } from '../../../domain/ids';
import { CURRENCY_EXPONENT, formatMoney } from '../../../domain/money';
import { planSplit, type SplitSpec } from '../../../domain/splits/allocation';
import type { SplitState } from '../../../domain/splits/fold';
import { splitRefundWorkflowId, splitWorkflowId, type SplitLiveState, type SplitPaymentInput, type SplitRefundInput, type SplitStepTimeouts } from '../../../domain/splits/saga';
import type { CoreDeps } from '../../../platform/deps';
import { splitPayment, splitPaymentStateQuery, splitRefund } from '../../../workflows/splits';
import type { AppOpenAPI } from '../../app-types';
import { isAdmin } from '../../middleware/auth';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, MoneySchema, problemResponses } from '../../schemas';
import { emptyJsonBodyIsAbsent } from '../../middleware/empty-json-body';

const ShareSchema = z
  .union([
    z.object({ percent: z.number().openapi({ example: 33.3333, description: 'Up to four decimals.' }) }).strict(),
    z.object({ fixed: MoneySchema }).strict(),
  ])
  .openapi('SplitShare', {
    description:
      'A share: `{percent}` (above 0, at most 100, up to four decimals) or `{fixed: Money}` in the total\'s currency. The platform fee comes first (a percent fee: of the total, below 100); fixed recipients get exactly their amounts; the percent recipients\' shares must sum to exactly 100 — percent of what remains after the fee and the fixed shares, not of the total. Leftover minor units go by largest remainder, ties to the recipient listed first.',
  });

const SplitInput = z
  .object({
    total: MoneySchema,
    paymentMethod: z.string().min(1).max(200).openapi({ example: 'pm_card_visa' }),
    platformFee: ShareSchema,
    recipients: z.array(z.object({ payoutAccountId: z.string().min(1).max(100), share: ShareSchema })).openapi({ description: '1 to 20 recipients, each once. Percent shares sum to 100 (of what remains after the platform fee and fixed shares), up to four decimals each.' }),
    description: z.string().max(500).default(''),
  })
  .openapi('SplitPaymentInput');

const AllocationSchema = z.array(z.object({ party: z.string().openapi({ description: 'A payout account id, or `platform`.' }), amount: MoneySchema }));

const SplitPaymentSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    status: z.enum(['processing', 'succeeded', 'compensating', 'failed', 'partially_refunded', 'refunded']),
    step: z.string().nullable().openapi({ description: 'The step running now (live from the workflow), null when done.' }),
    total: MoneySchema,
    paymentMethod: z.string(),
    description: z.string(),
    platformFee: ShareSchema,
    allocation: AllocationSchema,
    recipients: z.array(z.object({
      payoutAccountId: z.string(),
      share: ShareSchema,
      amount: MoneySchema,
      transfer: z.object({ providerTransferId: z.string(), status: z.enum(['transferred', 'reversed', 'reversal_refused']) }).nullable(),
      refunded: MoneySchema,
      notified: z.boolean(),
    })),
    charge: z.object({ providerPaymentId: z.string(), status: z.enum(['captured', 'refunded', 'refund_refused']) }).nullable(),
    failureReason: z.string().nullable(),
    compensated: z.boolean().nullable(),
    alerts: z.array(z.string()),
    refunded: MoneySchema,
    refunds: z.array(z.object({ id: z.string(), amount: MoneySchema, allocation: AllocationSchema, status: z.enum(['pending', 'succeeded', 'failed']), reason: z.string().nullable() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SplitPayment');

const SplitEventSchema = z
  .object({ id: z.string(), aggregateId: z.string(), sequence: z.number().int(), type: z.string(), data: z.record(z.string(), z.unknown()), correlationId: z.string(), causationId: z.string().nullable(), createdAt: z.string() })
  .openapi('SplitEvent');

const RefundInput = z.object({ amount: MoneySchema.optional().openapi({ description: 'Default: all that is left.' }) }).openapi('SplitRefundInput');
const RefundSchema = z
  .object({ id: z.string(), splitPaymentId: z.string(), workflowId: z.string(), status: z.literal('pending'), amount: MoneySchema, allocation: AllocationSchema })
  .openapi('SplitRefund');

const idParam = z.object({ id: z.string().max(100) });

const createSplit = createRoute({
  method: 'post',
  path: '/v1/split-payments',
  tags: ['splits'],
  summary: 'Charge a payer and split the money among recipients and the platform (workflow split-<id>; Idempotency-Key required)',
  security: [{ bearer: [] }],
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { 'application/json': { schema: SplitInput } } } },
  responses: { 201: { description: 'Created; the saga runs', content: { 'application/json': { schema: SplitPaymentSchema } } }, ...problemResponses(400, 401, 422) },
});

const getSplit = createRoute({
  method: 'get',
  path: '/v1/split-payments/{id}',
  tags: ['splits'],
  summary: 'A split payment (live from its workflow while the saga runs)',
  security: [{ bearer: [] }],
  request: { params: idParam },
  responses: { 200: { description: 'The split payment', content: { 'application/json': { schema: SplitPaymentSchema } } }, ...problemResponses(401, 404) },
});

const getEvents = createRoute({
  method: 'get',
  path: '/v1/split-payments/{id}/events',
  tags: ['splits'],
  summary: "A split payment's append-only event log, in sequence order",
  security: [{ bearer: [] }],
  request: { params: idParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200), cursor: z.string().regex(/^\d{1,15}$/).optional().openapi({ description: 'The nextCursor of the previous page.' }) }) },
  responses: { 200: { description: 'A page of events', content: { 'application/json': { schema: z.object({ items: z.array(SplitEventSchema), nextCursor: z.string().nullable() }).openapi('SplitEventPage') } } }, ...problemResponses(400, 401, 404) },
});

const refundSplit = createRoute({
  method: 'post',
  path: '/v1/split-payments/{id}/refund',
  tags: ['splits'],
  summary: 'Refund a split payment, all or part: taken back pro rata from the recipients and the platform (workflow split-<id>-refund-<refundId>)',
  security: [{ bearer: [] }],
  middleware: [emptyJsonBodyIsAbsent] as const,
  request: { params: idParam, headers: IdempotencyKeyHeader, body: { required: false, content: { 'application/json': { schema: RefundInput } } } },
  responses: { 202: { description: 'Reserved; the refund runs', content: { 'application/json': { schema: RefundSchema } } }, ...problemResponses(400, 401, 404, 409, 422) },
});

function toResource(state: SplitState, live?: SplitLiveState) {
  const currency = state.total.currency;
  const { version: _version, refundedAmount, createdBy: _createdBy, recipients, refunds, ...rest } = state;
  return {
    ...rest,
    step: live?.step ?? null,
    recipients: recipients.map((r) => ({ ...r, refunded: { amount: r.refunded, currency } })),
    refunded: { amount: refundedAmount, currency },
    refunds: refunds.map((r) => ({ id: r.id, amount: r.amount, allocation: r.allocation, status: r.status, reason: r.reason })),
  };
}

export function registerSplitPaymentRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const timeouts: SplitStepTimeouts = { stepMs: config.SPLIT_STEP_TIMEOUT, stepGiveUpMs: config.SPLIT_STEP_GIVE_UP, compensationMaxIntervalMs: config.SPLIT_COMPENSATION_MAX_INTERVAL };
  registerProjectionMetrics(deps);

  /** The split if the caller may see it (its payer or an admin), else 404. */
  async function visible(c: { get(key: 'principal'): { accountId: string; roles: string[] } }, id: string): Promise<SplitState> {
    const state = await getSplitState(db, id);
    const principal = c.get('principal');
    if (!state || (state.createdBy !== principal.accountId && !isAdmin(principal as never))) throw problems.notFound(`Split payment ${id}`);
    return state;
  }

  app.openapi(createSplit, async (c) => {
    if (!c.req.header('idempotency-key')) throw problems.badRequest('This request needs an Idempotency-Key header, so a retry cannot charge twice.', [{ field: 'Idempotency-Key', message: 'required' }]);
    const principal = c.get('principal');
    const body = c.req.valid('json');
    const spec: SplitSpec = { total: body.total, platformFee: body.platformFee, recipients: body.recipients };
    const plan = planSplit(spec);
    if (!plan.ok) throw problems.field(plan.error.field, plan.error.message);

    const accounts = await getPayoutAccounts(db, body.recipients.map((r) => r.payoutAccountId));
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const [i, r] of body.recipients.entries()) {
      const account = byId.get(r.payoutAccountId);
      if (!account) throw problems.field(`recipients[${i}].payoutAccountId`, 'no such payout account');
      if (account.provider !== deps.ports.payments.provider) throw problems.field(`recipients[${i}].payoutAccountId`, `this payout account is at ${account.provider}; the platform pays with ${deps.ports.payments.provider}`);
    }

    const id = newId('spl');
    const workflowId = splitWorkflowId(id);
    // The event log is append-only: a start that fails is closed with `split.failed` (nothing was charged), not deleted.
    const { state } = await recordThenStart({
      record: () =>
        appendSplitEvent(db, {
          id: `${workflowId}/created`,
          aggregateId: id,
          type: 'split.created',
          data: { createdBy: principal.accountId, total: body.total, paymentMethod: body.paymentMethod, description: body.description, platformFee: body.platformFee, recipients: body.recipients, allocation: plan.allocation },
          correlationId: workflowId,
          causationId: null,
        }),
      start: ({ event }) => {
        const input: SplitPaymentInput = {
          splitId: id,
          createdBy: principal.accountId,
          total: body.total,
          paymentMethod: body.paymentMethod,
          description: body.description,
          exponent: CURRENCY_EXPONENT[body.total.currency],
          allocation: plan.allocation,
          recipients: body.recipients.map((r) => {
            const account = byId.get(r.payoutAccountId)!;
            return { payoutAccountId: r.payoutAccountId, destination: account.providerAccountId, amount: plan.allocation.find((l) => l.party === r.payoutAccountId)!.amount, email: account.email, name: account.name };
          }),
          createdEventId: event.id,
          timeouts,
        };
        return temporal.workflow.start(splitPayment, {
          taskQueue: config.TASK_QUEUE,
          workflowId,
          args: [input],
          staticSummary: `Split ${formatMoney(body.total)} among ${body.recipients.length} recipient(s) and the platform`,
        });
      },
      undo: ({ event }) =>
        appendSplitEvent(db, {
          id: `${workflowId}/failed`,
          aggregateId: id,
          type: 'split.failed',
          data: { reason: 'the split process could not be started; nothing was charged', code: 'start_failed', compensated: false },
          correlationId: workflowId,
          causationId: event.id,
        }),
    });
    return c.json(toResource(state, { splitId: id, status: 'processing', step: 'charge', providerPaymentId: null, transfers: {}, failureReason: null }), 201);
  });

  app.openapi(getSplit, async (c) => {
    const { id } = c.req.valid('param');
    await visible(c, id);
    let live: SplitLiveState | undefined;
    try {
      const handle = temporal.workflow.getHandle(splitWorkflowId(id));
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') live = await handle.query(splitPaymentStateQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    // Read after the query: the projection is at least as new as the live step.
    const state = (await getSplitState(db, id))!;
    return c.json(toResource(state, live), 200);
  });

  app.openapi(getEvents, async (c) => {
    const { id } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    await visible(c, id);
    const events = await listSplitEvents(db, id, cursor ? Number(cursor) : 0, limit + 1);
    const page = events.slice(0, limit);
    return c.json({ items: page, nextCursor: events.length > limit ? String(page[page.length - 1].sequence) : null }, 200);
  });

  app.openapi(refundSplit, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const before = await visible(c, id);
    const text = await c.req.text();
    let amount: number | undefined;
    if (text.trim()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw problems.badRequest('The body is not valid JSON.');
      }
      const result = RefundInput.safeParse(parsed);
      if (!result.success) throw problems.badRequest('The request is not valid.', result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
      if (result.data.amount) {
        if (result.data.amount.currency !== before.total.currency) throw problems.field('amount.currency', `must be ${before.total.currency}, the currency of the split payment`);
        amount = result.data.amount.amount;
      }
    }
    const refundId = newId('sre');
    const workflowId = splitRefundWorkflowId(id, refundId);
    let reserved;
    try {
      reserved = await reserveRefund(db, { splitId: id, refundId, workflowId, amount, requestedBy: principal.accountId });
    } catch (error) {
      if (error instanceof RefundRefused) {
        if (error.reason === 'amount') throw problems.field('amount.amount', error.message);
        if (error.reason === 'state') throw problems.conflict(error.message, { splitStatus: before.status });
        throw problems.notFound(`Split payment ${id}`);
      }
      throw error;
    }
    const { state, event } = reserved;
    const refund = state.refunds.find((r) => r.id === refundId)!;
    const input: SplitRefundInput = {
      splitId: id,
      refundId,
      providerPaymentId: state.charge!.providerPaymentId,
      amount: refund.amount,
      allocation: refund.allocation,
      transfers: state.recipients.filter((r) => r.transfer).map((r) => ({ payoutAccountId: r.payoutAccountId, providerTransferId: r.transfer!.providerTransferId })),
      requestedEventId: event.id,
      timeouts,
    };
    await temporal.workflow.start(splitRefund, { taskQueue: config.TASK_QUEUE, workflowId, args: [input], staticSummary: `Refund ${formatMoney(refund.amount)} of split ${id}, pro rata` });
    return c.json({ id: refundId, splitPaymentId: id, workflowId, status: 'pending' as const, amount: refund.amount, allocation: refund.allocation }, 202);
  });
}

/**
 * Business gauges the API computes from the projection on each scrape, so its /metrics is right
 * whichever process ran the sagas (the worker's counters live in the worker's registry).
 */
function registerProjectionMetrics(deps: CoreDeps): void {
  const registry = deps.metrics;
  if (registry.getSingleMetric('split_payments_recorded')) return;
  const ratio = new Gauge({ name: 'split_payments_recorded_success_ratio', help: 'Split payments ever succeeded / (succeeded + failed), from PostgreSQL', registers: [registry] });
  new Gauge({
    name: 'split_payments_recorded',
    help: 'Split payments in the projection, by status (all processes, from PostgreSQL)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await countSplitPaymentsByStatus(deps.db);
      this.reset();
      let ok = 0;
      let ko = 0;
      for (const r of rows) {
        const n = r.count;
        this.set({ status: r.status }, n);
        if (r.status === 'failed') ko += n;
        else if (r.status !== 'processing' && r.status !== 'compensating') ok += n;
      }
      ratio.set(ok + ko === 0 ? 1 : ok / (ok + ko));
    },
  });
}
