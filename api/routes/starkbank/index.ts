import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { BankEventFormatError, BankSignatureError, type BankEvent } from '../../../providers/bank/port';
import type { ApiLifecycle } from '../../../capabilities/capability';
import type { CoreDeps } from '../../../platform/deps';
import { countInvoices } from '../../../platform/metrics/business';
import { pageInvoices } from '../../../stores/starkbank/invoices';
import { pageTransfers } from '../../../stores/starkbank/transfers';
import { transferBatcherStateQuery } from '../../../workflows/starkbank';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth, requireRole } from '../../middleware/auth';
import { ProblemError, problems } from '../../problem';
import { StarkbankCreditPump } from '../../background/starkbank-credit-pump';
import { StarkbankEventWriter } from '../../background/starkbank-event-writer';
import { MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';

const Brl = (amount: number) => ({ amount: Number(amount), currency: 'BRL' });

const WebhookAck = z.object({ received: z.boolean(), duplicate: z.boolean(), eventId: z.string() }).openapi('StarkbankWebhookAck');

const InvoiceSchema = z
  .object({
    id: z.string().openapi({ description: 'Stark Bank invoice id.' }),
    status: z.string().openapi({ example: 'created', description: 'created, paid, credited, canceled, overdue, expired, …' }),
    amount: MoneySchema,
    fee: MoneySchema,
    payer: z.object({ name: z.string(), taxId: z.string().openapi({ example: '529.982.247-25' }) }),
    run: z.object({ id: z.string().openapi({ description: 'The invoiceIssuance run id (the invoices are tagged run-<id>).' }), workflowId: z.string() }),
    due: z.string(),
    expiration: z.number().int().openapi({ description: 'Seconds after due.' }),
    provider: z.string(),
    createdAt: z.string(),
    creditedAt: z.string().nullable(),
  })
  .openapi('StarkbankInvoice');

const TransferSchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Stark Bank transfer id (null when refused).' }),
    externalId: z.string(),
    invoiceId: z.string(),
    batchId: z.string(),
    amount: MoneySchema,
    status: z.string(),
    destination: z.object({ bankCode: z.string(), branchCode: z.string(), accountNumber: z.string(), name: z.string(), taxId: z.string(), accountType: z.string() }),
    failureMessage: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('StarkbankTransfer');

const BatcherStateSchema = z
  .object({
    workflowId: z.string(),
    running: z.boolean(),
    pending: z.array(z.object({ invoiceId: z.string(), amount: MoneySchema, eventId: z.string(), receivedAt: z.string() })),
    oldestAt: z.string().nullable(),
    flushAt: z.string().nullable(),
    flushing: z.boolean(),
    maxItems: z.number().int(),
    maxWaitMs: z.number().int(),
    batchesSent: z.number().int(),
    transfersSent: z.number().int(),
  })
  .openapi('StarkbankTransferBatcherState');

const webhookRoute = createRoute({
  method: 'post',
  path: '/webhooks/starkbank',
  tags: ['starkbank'],
  summary: 'Stark Bank webhook: events signed with Stark Bank’s key (Digital-Signature header)',
  description:
    'The raw body is verified with the SDK’s event.parse (Stark Bank’s public key). Every event is stored; the same event id twice is acknowledged and ignored. ' +
    'An `invoice` event with log type `credited` forwards amount − fee through the transfer batcher.',
  request: { headers: z.object({ 'digital-signature': z.string().optional() }) },
  responses: { 200: { description: 'Received', content: { 'application/json': { schema: WebhookAck } } }, ...problemResponses(400, 401), 503: { description: 'Stark Bank or Temporal unreachable; retry' } },
});

const listInvoices = createRoute({
  method: 'get',
  path: '/v1/admin/starkbank/invoices',
  tags: ['starkbank'],
  summary: 'Invoices issued by the schedule (newest first)',
  security: [{ bearer: [] }],
  request: { query: PageQuery.extend({ status: z.string().optional(), runId: z.string().optional() }) },
  responses: { 200: { description: 'A page of invoices', content: { 'application/json': { schema: pageOf(InvoiceSchema, 'StarkbankInvoicePage') } } }, ...problemResponses(400, 401, 403) },
});

const listTransfers = createRoute({
  method: 'get',
  path: '/v1/admin/starkbank/transfers',
  tags: ['starkbank'],
  summary: 'Transfers sent for credited invoices (newest first)',
  security: [{ bearer: [] }],
  request: { query: PageQuery.extend({ batchId: z.string().optional(), status: z.string().optional() }) },
  responses: { 200: { description: 'A page of transfers', content: { 'application/json': { schema: pageOf(TransferSchema, 'StarkbankTransferPage') } } }, ...problemResponses(400, 401, 403) },
});

const batcherState = createRoute({
  method: 'get',
  path: '/v1/admin/starkbank/transfer-batcher',
  tags: ['starkbank'],
  summary: 'What the transfer batcher holds right now (a workflow query)',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'The pending credits', content: { 'application/json': { schema: BatcherStateSchema } } }, ...problemResponses(401, 403) },
});

/** Routes of the starkbank capability. */
export function registerStarkbankRoutes(app: AppOpenAPI, deps: CoreDeps, lifecycle: ApiLifecycle): void {
  const { db, config, temporal, ports } = deps;
  // The two background loops of the webhook (api/background): they live with the routes that feed them and stop with the API.
  const creditPump = new StarkbankCreditPump(db, temporal, deps.logger, {
    workflowId: config.STARKBANK_BATCHER_ID,
    taskQueue: config.TASK_QUEUE,
    input: { maxItems: config.STARKBANK_BATCH_SIZE, maxWaitMs: config.STARKBANK_BATCH_WINDOW },
  });
  const events = new StarkbankEventWriter(db);
  // Credits stored before a crash (or while Temporal was down) are forwarded once this process is up.
  const startup = setTimeout(() => creditPump.kick(), 2_000).unref();
  lifecycle.onClose(() => {
    clearTimeout(startup);
    creditPump.close();
  });

  app.openapi(webhookRoute, async (c) => {
    const body = await c.req.text();
    let event: BankEvent;
    try {
      event = await ports.bank.parseEvent(body, c.req.header('digital-signature'));
    } catch (error) {
      if (error instanceof BankSignatureError) throw new ProblemError(401, 'invalid-signature', `The Stark Bank signature does not verify: ${error.message}`);
      if (error instanceof BankEventFormatError) throw problems.badRequest(`Not a Stark Bank event: ${error.message}`, [{ field: '(body)', message: error.message }]);
      c.get('logger')?.warn({ err: error }, 'starkbank webhook: could not verify (public key unreachable?)');
      throw problems.unavailable('The event could not be verified right now; retry later.');
    }
    const invoice = event.subscription === 'invoice' ? event.log.invoice : undefined;
    const credited = invoice && event.log.type === 'credited' ? invoice : undefined;
    const forward = credited && credited.amount - credited.fee > 0 ? credited.amount - credited.fee : null;
    // Stored (with the amount to forward: the outbox) unless its id is known; our invoice's status follows.
    const fresh = await events.write({ id: event.id, subscription: event.subscription, logType: event.log.type, invoiceId: invoice?.id ?? null, data: JSON.stringify(event), forwardAmount: forward, fee: invoice?.fee ?? 0 });
    if (!fresh) return c.json({ received: true, duplicate: true, eventId: event.id }, 200);
    if (credited) countInvoices(deps, 'credited', 1, { invoiceId: credited.id, eventId: event.id });
    if (forward !== null) creditPump.kick();
    return c.json({ received: true, duplicate: false, eventId: event.id }, 200);
  });

  app.use('/v1/admin/starkbank/*', requireAuth(config.JWT_SECRET), requireRole('admin'));

  app.openapi(listInvoices, async (c) => {
    const { limit, cursor, status, runId } = c.req.valid('query');
    const { rows, nextCursor } = await pageInvoices(db, { limit, cursor, status, runId });
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          status: r.status,
          amount: Brl(r.amount),
          fee: Brl(r.fee),
          payer: { name: r.name, taxId: r.tax_id },
          run: { id: r.run_id, workflowId: r.workflow_id },
          due: new Date(r.due).toISOString(),
          expiration: r.expiration,
          provider: r.provider,
          createdAt: new Date(r.created_at).toISOString(),
          creditedAt: r.credited_at ? new Date(r.credited_at).toISOString() : null,
        })),
        nextCursor,
      },
      200,
    );
  });

  app.openapi(listTransfers, async (c) => {
    const { limit, cursor, batchId, status } = c.req.valid('query');
    const { rows, nextCursor } = await pageTransfers(db, { limit, cursor, batchId, status });
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id ?? null,
          externalId: r.external_id,
          invoiceId: r.invoice_id,
          batchId: r.batch_id,
          amount: Brl(r.amount),
          status: r.status,
          destination: { bankCode: r.bank_code, branchCode: r.branch_code, accountNumber: r.account_number, name: r.name, taxId: r.tax_id, accountType: r.account_type },
          failureMessage: r.failure_message ?? null,
          createdAt: new Date(r.created_at).toISOString(),
        })),
        nextCursor,
      },
      200,
    );
  });

  app.openapi(batcherState, async (c) => {
    const workflowId = config.STARKBANK_BATCHER_ID;
    const idle = { workflowId, running: false, pending: [], oldestAt: null, flushAt: null, flushing: false, maxItems: config.STARKBANK_BATCH_SIZE, maxWaitMs: config.STARKBANK_BATCH_WINDOW, batchesSent: 0, transfersSent: 0 };
    try {
      const handle = temporal.workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return c.json(idle, 200);
      const s = await handle.query(transferBatcherStateQuery);
      return c.json(
        {
          workflowId,
          running: true,
          pending: s.pending.map((p) => ({ invoiceId: p.invoiceId, amount: Brl(p.amount), eventId: p.eventId, receivedAt: new Date(p.receivedAt).toISOString() })),
          oldestAt: s.oldestAt,
          flushAt: s.flushAt,
          flushing: s.flushing,
          maxItems: s.maxItems,
          maxWaitMs: s.maxWaitMs,
          batchesSent: s.batchesSent,
          transfersSent: s.transfersSent,
        },
        200,
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return c.json(idle, 200);
      throw error;
    }
  });
}
