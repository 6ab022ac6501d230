import { randomUUID } from 'node:crypto';
import { SANDBOX_INVOICE_FEE } from '../../providers/bank/sandbox';
import { ensureStarkbankSchedule } from '../../workers/starkbank-schedule';
import { eventually, startTestStack, type TestStack } from '../harness/stack';

describe('sandbox adapter: the whole loop with nothing configured (schedule → invoices → simulated payers → signed webhooks → transfers)', () => {
  let stack: TestStack;
  const suffix = randomUUID().slice(0, 8);
  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        STARKBANK_PROVIDER: '',
        STARKBANK_USER_ID: '',
        STARKBANK_SCHEDULE_ENABLED: 'true',
        STARKBANK_SCHEDULE_ID: `starkbank-invoices-${suffix}`,
        STARKBANK_BATCHER_ID: `starkbank-transfer-batcher-${suffix}`,
        STARKBANK_SANDBOX_PAID_SHARE: '1',
        STARKBANK_SANDBOX_PAY_DELAY: '1s',
        STARKBANK_BATCH_WINDOW: '2s',
      },
    });
    // The API listens on a port chosen at start: tell the sandbox where our webhook is.
    stack.config.STARKBANK_SANDBOX_WEBHOOK_URL = `${stack.api!.url}/webhooks/starkbank`;
  });
  afterAll(async () => {
    if (!stack) return;
    stack.deps.ports.bank.stop?.();
    await stack.deps.temporal.schedule.getHandle(stack.config.STARKBANK_SCHEDULE_ID).delete().catch(() => undefined);
    await stack.deps.temporal.workflow.getHandle(stack.config.STARKBANK_BATCHER_ID).terminate().catch(() => undefined);
    await stack.stop();
  });

  it('forwards every paid invoice of a run as one transfer of amount − fee', async () => {
    expect(stack.deps.ports.bank.provider).toBe('sandbox');
    await ensureStarkbankSchedule(stack.deps);
    const invoices = await eventually(async () => {
      const rows = await stack.deps.db('starkbank_invoices').where({ provider: 'sandbox' }).whereIn('run_id', stack.deps.db('starkbank_invoices').select('run_id')).select('*');
      return rows.length >= 8 ? rows : undefined;
    }, { what: 'a run of sandbox invoices', timeoutMs: 30_000 });
    const ids = invoices.map((i: { id: string }) => i.id);
    const transfers = await eventually(async () => {
      const rows = await stack.deps.db('starkbank_transfers').whereIn('invoice_id', ids);
      return rows.length === ids.length ? rows : undefined;
    }, { what: 'a transfer per paid invoice', timeoutMs: 45_000 });
    const amountOf = new Map(invoices.map((i: { id: string; amount: number }) => [i.id, Number(i.amount)]));
    for (const t of transfers) expect(Number(t.amount)).toBe(amountOf.get(t.invoice_id)! - SANDBOX_INVOICE_FEE);
    const credited = await stack.deps.db('starkbank_invoices').whereIn('id', ids).where({ status: 'credited' });
    expect(credited).toHaveLength(ids.length);
    // paid + credited events for each, all stored once.
    const events = await stack.deps.db('starkbank_events').whereIn('invoice_id', ids);
    expect(events).toHaveLength(ids.length * 2);
  });
});
