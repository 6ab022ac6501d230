import { eventually, fakeTransfersFor, startStarkbankStack, transfersFor, type StarkbankStack } from './helpers';

describe('transfers survive failures: API errors are retried without duplicates, a worker restart loses nothing', () => {
  let s: StarkbankStack;
  beforeAll(async () => {
    // The window must outlast a few slow batcher queries on a loaded machine: the restart test
    // watches the credits sit pending before it stops the worker.
    s = await startStarkbankStack({ STARKBANK_BATCH_WINDOW: '6s', STARKBANK_BATCH_SIZE: '15' });
  });
  afterAll(() => s?.stop());

  const credit = async (n: number) => {
    const invoices = Array.from({ length: n }, () => s.fake.addInvoice(20_000, 100));
    for (const inv of invoices) expect((await s.fake.sendWebhook(s.webhookUrl, s.fake.invoiceEvent(inv.id).body)).status).toBe(200);
    return invoices.map((i) => i.id);
  };

  it('retries a failed transfer.create (503) and creates each transfer once', async () => {
    const before = s.fake.count('POST /v2/transfer');
    s.fake.failNext('POST /v2/transfer', { status: 503, times: 2 });
    const ids = await credit(3);
    await eventually(async () => fakeTransfersFor(s, ids).length === 3, { what: 'transfers after retries', timeoutMs: 30_000 });
    await eventually(async () => (await transfersFor(s, ids)).length === 3, { what: 'our records of them' });
    expect(s.fake.count('POST /v2/transfer') - before).toBe(3);
  });

  it('does not duplicate when transfer.create succeeded but answered 500 (the retry finds the batch by its tag)', async () => {
    s.fake.failNext('POST /v2/transfer', { status: 500, commit: true });
    const ids = await credit(4);
    await eventually(async () => (await transfersFor(s, ids)).length === 4, { what: 'our records of the 4 transfers', timeoutMs: 30_000 });
    expect(fakeTransfersFor(s, ids)).toHaveLength(4);
    expect(s.fake.count('GET /v2/transfer')).toBeGreaterThanOrEqual(1);
    const rows = await transfersFor(s, ids);
    const fakeIds = new Set(fakeTransfersFor(s, ids).map((t) => t.id));
    expect(rows.every((r: { id: string }) => fakeIds.has(r.id))).toBe(true);
  });

  it('keeps pending credits across a worker restart', async () => {
    const ids = await credit(2);
    await eventually(async () => {
      const r = await s.stack.http.get('/v1/admin/starkbank/transfer-batcher', { token: s.admin.token });
      return r.body.pending?.length === 2;
    }, { what: '2 pending' });
    await s.stack.stopWorker();
    const more = await credit(1); // accepted by the API while no worker runs
    await new Promise((r) => setTimeout(r, 6_500)); // the window passes while the worker is down
    expect(fakeTransfersFor(s, [...ids, ...more])).toHaveLength(0);
    await s.stack.startWorker();
    await eventually(async () => fakeTransfersFor(s, [...ids, ...more]).length === 3, { what: 'all 3 transfers after restart', timeoutMs: 30_000 });
    await eventually(async () => (await transfersFor(s, [...ids, ...more])).length === 3, { what: 'our records of them' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fakeTransfersFor(s, [...ids, ...more])).toHaveLength(3);
  });
});
