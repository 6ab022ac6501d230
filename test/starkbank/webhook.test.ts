import { eventually, fakeTransfersFor, startStarkbankStack, transfersFor, type StarkbankStack } from './helpers';

describe('Stark Bank webhook → transfer batcher → transfer.create (real SDK against the fake API)', () => {
  let s: StarkbankStack;
  beforeAll(async () => {
    s = await startStarkbankStack({ STARKBANK_BATCH_WINDOW: '2s', STARKBANK_BATCH_SIZE: '15' });
  });
  afterAll(() => s?.stop());

  it('forwards a credited invoice as a transfer of amount − fee to the configured account', async () => {
    const invoice = s.fake.addInvoice(12_345, 67);
    const { eventId, body } = s.fake.invoiceEvent(invoice.id, { fee: 67 });
    const res = await s.fake.sendWebhook(s.webhookUrl, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, duplicate: false, eventId });

    const [transfer] = await eventually(async () => {
      const found = fakeTransfersFor(s, [invoice.id]);
      return found.length ? found : undefined;
    }, { what: 'the transfer at the fake bank' });
    expect(transfer).toMatchObject({
      amount: 12_345 - 67,
      externalId: `invoice-${invoice.id}`,
      bankCode: '20018183',
      branchCode: '0001',
      accountNumber: '6341320293482496',
      name: 'Stark Bank S.A.',
      taxId: '20.018.183/0001-80',
      accountType: 'payment',
    });
    const rows = await eventually(async () => {
      const r = await transfersFor(s, [invoice.id]);
      return r.length ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ id: transfer.id, amount: 12_278, status: 'created' });
    const event = await s.stack.deps.db('starkbank_events').where({ id: eventId }).first();
    expect(event).toMatchObject({ subscription: 'invoice', log_type: 'credited', invoice_id: invoice.id });
    expect(event.processed_at).toBeTruthy();
    // Every SDK call was signed with the project's key and verified by the fake.
    expect(s.fake.rejectedAuth).toBe(0);
    expect(s.fake.count('GET /v2/public-key')).toBeGreaterThanOrEqual(1);

    const listed = await s.stack.http.get(`/v1/admin/starkbank/transfers?limit=5&batchId=${rows[0].batch_id}`, { token: s.admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((t: { invoiceId: string }) => t.invoiceId === invoice.id)).toMatchObject({ amount: { amount: 12_278, currency: 'BRL' }, externalId: `invoice-${invoice.id}` });
  });

  it('acknowledges a replayed event and changes nothing', async () => {
    const invoice = s.fake.addInvoice(5_000, 10);
    const { eventId, body } = s.fake.invoiceEvent(invoice.id);
    expect((await s.fake.sendWebhook(s.webhookUrl, body)).status).toBe(200);
    await eventually(async () => fakeTransfersFor(s, [invoice.id]).length === 1);
    const replay = await s.fake.sendWebhook(s.webhookUrl, body);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ duplicate: true, eventId });
    // Same invoice credited again under another event id (Stark Bank re-sends): still one transfer.
    const again = s.fake.invoiceEvent(invoice.id);
    expect((await s.fake.sendWebhook(s.webhookUrl, again.body)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(fakeTransfersFor(s, [invoice.id])).toHaveLength(1);
    expect(await transfersFor(s, [invoice.id])).toHaveLength(1);
  });

  it('answers 401 to a bad or missing signature and 400 to a malformed body, storing and signalling nothing', async () => {
    const invoice = s.fake.addInvoice(7_000);
    const { eventId, body } = s.fake.invoiceEvent(invoice.id);
    const forged = s.fake.invoiceEvent(invoice.id, { eventId: 'forged-1' }).body;
    const wrongSig = await s.fake.sendWebhook(s.webhookUrl, body, s.fake.signBody(forged));
    expect(wrongSig.status).toBe(401);
    expect(wrongSig.body).toMatchObject({ status: 401 });
    const garbageSig = await s.fake.sendWebhook(s.webhookUrl, body, 'not-a-signature');
    expect(garbageSig.status).toBe(401);
    const missing = await s.fake.sendWebhook(s.webhookUrl, body, null);
    expect(missing.status).toBe(401);
    const tampered = await s.fake.sendWebhook(s.webhookUrl, body.replace('"amount":7000', '"amount":9999999'), s.fake.signBody(body));
    expect(tampered.status).toBe(401);

    const malformed = await s.fake.sendWebhook(s.webhookUrl, '{"event": {', s.fake.signBody('{"event": {'));
    expect(malformed.status).toBe(400);
    const notAnEvent = JSON.stringify({ event: { subscription: 'invoice' } });
    const shapeless = await s.fake.sendWebhook(s.webhookUrl, notAnEvent, s.fake.signBody(notAnEvent));
    expect(shapeless.status).toBe(400);

    await new Promise((r) => setTimeout(r, 3_000));
    expect(await s.stack.deps.db('starkbank_events').where({ id: eventId })).toHaveLength(0);
    expect(await s.stack.deps.db('starkbank_events').where({ id: 'forged-1' })).toHaveLength(0);
    expect(fakeTransfersFor(s, [invoice.id])).toHaveLength(0);
  });

  it('keeps the admin lists for admins only', async () => {
    expect((await s.stack.http.get('/v1/admin/starkbank/invoices')).status).toBe(401);
    const state = await s.stack.http.get('/v1/admin/starkbank/transfer-batcher', { token: s.admin.token });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ workflowId: s.batcherId, maxItems: 15, maxWaitMs: 2_000 });
  });
});
