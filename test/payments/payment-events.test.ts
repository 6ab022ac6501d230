import { randomUUID } from 'node:crypto';
import { appendPaymentEvent, createPayment, listPaymentEvents } from '../../stores/payments/payments';
import { createDb, type Db } from '../../platform/db';

/** payment_events is append-only in the database itself: whatever code runs, history cannot be rewritten. */
let db: Db;
let paymentId: string;

beforeAll(async () => {
  db = createDb(process.env.TEST_DATABASE_URL!, 2);
  paymentId = `pay_${randomUUID().replace(/-/g, '')}`;
  await createPayment(db, { id: paymentId, kind: 'test', reference: 'append-only', provider: 'sandbox', amount: { amount: 500, currency: 'USD' }, workflowId: 'wf-append-only' });
  await appendPaymentEvent(db, { id: `${paymentId}/captured`, paymentId, type: 'payment.captured', data: { amount: 500 }, correlationId: 'wf-append-only' });
});

afterAll(() => db?.destroy());

describe('payment_events is append-only (enforced by triggers)', () => {
  it('refuses an UPDATE', async () => {
    await expect(db('payment_events').where({ payment_id: paymentId }).update({ type: 'payment.rewritten' })).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(db.raw(`update payment_events set data = '{"amount": 1}' where id = ?`, [`${paymentId}/captured`])).rejects.toThrow(/append-only/);
  });

  it('refuses a DELETE and a TRUNCATE', async () => {
    await expect(db('payment_events').where({ payment_id: paymentId }).del()).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(db.raw('truncate payment_events')).rejects.toThrow(/append-only/);
  });

  it('still has every event, unchanged, and still accepts new ones', async () => {
    const events = await listPaymentEvents(db, paymentId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['payment.created', { amount: { amount: 500, currency: 'USD' }, kind: 'test', reference: 'append-only' }],
      ['payment.captured', { amount: 500 }],
    ]);
    expect(await appendPaymentEvent(db, { id: `${paymentId}/refunded`, paymentId, type: 'payment.refunded' })).toBe(true);
    // The same deterministic id is not appended twice.
    expect(await appendPaymentEvent(db, { id: `${paymentId}/refunded`, paymentId, type: 'payment.refunded' })).toBe(false);
  });
});
