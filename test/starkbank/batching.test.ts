import { eventually, fakeTransfersFor, startStarkbankStack, type StarkbankStack } from './helpers';

const WINDOW_MS = 6_000;

describe('transferBatcher: one transfer.create per 15 credits, or per window', () => {
  let s: StarkbankStack;
  beforeAll(async () => {
    s = await startStarkbankStack({ STARKBANK_BATCH_WINDOW: `${WINDOW_MS}ms`, STARKBANK_BATCH_SIZE: '15' });
  });
  afterAll(() => s?.stop());

  const credit = async (n: number) => {
    const invoices = Array.from({ length: n }, (_, i) => s.fake.addInvoice(10_000 + i, 50));
    const answers = await Promise.all(invoices.map((inv) => s.fake.sendWebhook(s.webhookUrl, s.fake.invoiceEvent(inv.id).body)));
    expect(answers.map((a) => a.status)).toEqual(invoices.map(() => 200));
    return invoices.map((i) => i.id);
  };

  it('sends 15 credits as one batch at once, without waiting for the window', async () => {
    const postsBefore = s.fake.count('POST /v2/transfer');
    const started = Date.now();
    const ids = await credit(15);
    await eventually(async () => fakeTransfersFor(s, ids).length === 15, { what: '15 transfers', timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(WINDOW_MS);
    expect(s.fake.count('POST /v2/transfer') - postsBefore).toBe(1);
    const transfers = fakeTransfersFor(s, ids);
    expect(new Set(transfers.flatMap((t) => t.tags.filter((x) => x.startsWith('batch-')))).size).toBe(1);
    expect(transfers.map((t) => t.amount).sort()).toEqual(ids.map((_, i) => 10_000 + i - 50).sort());
  });

  it('sends 3 credits as one batch once the window after the oldest has passed', async () => {
    const postsBefore = s.fake.count('POST /v2/transfer');
    const started = Date.now();
    const ids = await credit(3);
    const pending = await eventually(async () => {
      const r = await s.stack.http.get('/v1/admin/starkbank/transfer-batcher', { token: s.admin.token });
      return r.body.pending?.length === 3 ? r.body : undefined;
    }, { what: '3 pending credits in the query' });
    expect(pending.pending.map((p: { invoiceId: string }) => p.invoiceId).sort()).toEqual([...ids].sort());
    expect(pending.flushAt).toBeTruthy();
    await new Promise((r) => setTimeout(r, WINDOW_MS / 2));
    expect(fakeTransfersFor(s, ids)).toHaveLength(0);
    await eventually(async () => fakeTransfersFor(s, ids).length === 3, { what: '3 transfers after the window', timeoutMs: 30_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS - 500);
    expect(s.fake.count('POST /v2/transfer') - postsBefore).toBe(1);
  });
});
