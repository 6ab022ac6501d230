import { compileErrors, validate } from '@readme/openapi-parser';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent, emailsTo, order, paymentEventTypes, waitForEmail, waitForStatus } from './helpers';

/** Talent profiles and every way an order ends before delivery: decline, cancel, a declined card, expiry. */
describe('shoutout talents and orders', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '5s' } });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('documents every shoutout route in a valid OpenAPI document', async () => {
    const doc = (await stack.http.get('/openapi.json')).body;
    for (const [path, method] of [
      ['/v1/talents/me', 'put'], ['/v1/talents', 'get'], ['/v1/talents/{id}', 'get'], ['/v1/shoutouts', 'post'], ['/v1/shoutouts', 'get'], ['/v1/shoutouts/{id}', 'get'],
      ['/v1/shoutouts/{id}/accept', 'post'], ['/v1/shoutouts/{id}/decline', 'post'], ['/v1/shoutouts/{id}/cancel', 'post'], ['/v1/shoutouts/{id}/video', 'post'],
      ['/v1/shoutouts/{id}/video', 'get'], ['/v1/shoutouts/{id}/poster', 'get'], ['/v1/admin/shoutouts/{id}/refund', 'post'], ['/v1/admin/payouts', 'get'],
    ]) expect({ path, method, documented: !!doc.paths[path]?.[method] }).toEqual({ path, method, documented: true });
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
  });

  it('creates, reads, searches and pages talent profiles', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const a = await createTalent(stack, { displayName: `Aria ${tag}`, category: 'Music', businessPrice: { amount: 20000, currency: 'USD' } });
    const b = await createTalent(stack, { displayName: `Bruno ${tag}`, category: 'comedy' });
    await createTalent(stack, { displayName: `Carla ${tag}`, category: 'music' });

    const got = await stack.http.get(`/v1/talents/${a.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: a.id, displayName: `Aria ${tag}`, category: 'music', price: { amount: 5000, currency: 'USD' }, businessPrice: { amount: 20000, currency: 'USD' }, turnaroundDays: 7, acceptingOrders: true });
    expect((await stack.http.get('/v1/talents/acc_nobody')).status).toBe(404);

    const music = await stack.http.get(`/v1/talents?q=${tag}&category=music`);
    expect(music.body.items.map((t: { displayName: string }) => t.displayName)).toEqual([`Aria ${tag}`, `Carla ${tag}`]);
    const byName = await stack.http.get(`/v1/talents?q=${encodeURIComponent(`bruno ${tag}`)}`);
    expect(byName.body.items.map((t: { id: string }) => t.id)).toEqual([b.id]);

    const page1 = await stack.http.get(`/v1/talents?q=${tag}&limit=2`);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await stack.http.get(`/v1/talents?q=${tag}&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();

    // Fans have no talent profile; bad input names the field.
    const fan = await createFan(stack);
    expect((await stack.http.put('/v1/talents/me', { displayName: 'x', category: 'music', price: { amount: 100, currency: 'USD' } }, { token: fan.token })).status).toBe(403);
    const bad = await stack.http.put('/v1/talents/me', { displayName: 'x', category: 'music', price: { amount: 100, currency: 'XYZ' } }, { token: a.token });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('price.currency');
    expect((await stack.http.put('/v1/talents/me', { displayName: 'x' })).status).toBe(401);
  });

  it('freezes the price, refuses talents not accepting orders (409), business use without a business price (422), long instructions (400)', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack, { businessPrice: { amount: 25000, currency: 'USD' } });
    const business = await order(stack, fan, talent.id, { businessUse: true });
    expect(business.status).toBe(201);
    expect(business.body.price).toEqual({ amount: 25000, currency: 'USD' });
    await stack.http.put('/v1/talents/me', { displayName: talent.displayName, category: 'music', price: { amount: 9900, currency: 'USD' } }, { token: talent.token });
    const row = await stack.deps.db('shoutout_orders').where({ id: business.body.id }).first();
    expect(Number(row.price_amount)).toBe(25000);

    const plain = await createTalent(stack);
    expect((await order(stack, fan, plain.id, { businessUse: true })).status).toBe(422);
    expect((await order(stack, fan, plain.id, { instructions: 'x'.repeat(1001) })).status).toBe(400);
    expect((await order(stack, fan, 'acc_nobody')).body.errors[0].field).toBe('talentId');
    expect((await order(stack, talent, plain.id)).status).toBe(403);

    const resting = await createTalent(stack, { acceptingOrders: false });
    const refused = await order(stack, fan, resting.id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('makes one order for the same Idempotency-Key sent twice', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const key = `order-${Date.now()}`;
    const [first, second] = [await order(stack, fan, talent.id, {}, { 'Idempotency-Key': key }), await order(stack, fan, talent.id, {}, { 'Idempotency-Key': key })];
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.deps.db('shoutout_orders').where({ fan_id: fan.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('ends as payment_failed with the reason emailed when the card is declined', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id, { paymentMethod: 'pm_card_chargeDeclined' });
    expect(created.status).toBe(201);
    const done = await waitForStatus(stack, created.body.id, fan.token, 'payment_failed');
    expect(done.failureReason).toMatch(/declined/i);
    const mail = await waitForEmail(stack, fan.email, 'shoutout-payment-failed');
    expect(mail.text).toMatch(/declined/i);
    expect(await emailsTo(stack, talent.email)).toEqual([]);
  });

  it('voids the authorisation and emails the fan when the talent declines', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    await waitForStatus(stack, id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${id}/decline`, {}, { token: talent.token })).status).toBe(400);
    const declined = await stack.http.post(`/v1/shoutouts/${id}/decline`, { reason: 'on holiday' }, { token: talent.token });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    const mail = await waitForEmail(stack, fan.email, 'shoutout-declined');
    expect(mail.text).toContain('on holiday');
    await waitForStatus(stack, id, fan.token, 'declined');
    expect(await paymentEventTypes(stack, id)).toEqual(['payment.created', 'payment.authorized', 'payment.voided']);
    const intent = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'orderId' = ?`, [id]).first();
    expect(intent.status).toBe('canceled');
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(409);
  });

  it('lets the fan cancel before the talent accepts: voided, cancelled, talent told', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    await waitForStatus(stack, id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${id}/cancel`, {}, { token: talent.token })).status).toBe(403);
    const cancelled = await stack.http.post(`/v1/shoutouts/${id}/cancel`, { reason: 'wrong name' }, { token: fan.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await waitForEmail(stack, talent.email, 'shoutout-cancelled');
    await waitForStatus(stack, id, fan.token, 'cancelled');
    expect(await paymentEventTypes(stack, id)).toEqual(['payment.created', 'payment.authorized', 'payment.voided']);
    expect((await stack.http.post(`/v1/shoutouts/${id}/cancel`, {}, { token: fan.token })).status).toBe(409);

    // Lists read PostgreSQL, as fan or as talent, filtered by status.
    const mine = await stack.http.get('/v1/shoutouts?as=fan&status=cancelled', { token: fan.token });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    const theirs = await stack.http.get('/v1/shoutouts?as=talent', { token: talent.token });
    expect(theirs.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    expect((await stack.http.get('/v1/shoutouts?as=talent', { token: fan.token })).body.items).toEqual([]);
  });

  it('reminds the talent at 75 % of the deadline, then expires: voided, fan and talent emailed', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    await waitForStatus(stack, id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(200);
    await waitForStatus(stack, id, fan.token, 'expired', 30_000);
    await waitForEmail(stack, fan.email, 'shoutout-expired-fan');
    await waitForEmail(stack, talent.email, 'shoutout-expired-talent');
    const done = (await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token })).body;
    const types = done.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(['ordered', 'authorized', 'accepted', 'reminder_sent', 'expired', 'payment_voided']);
    const at = (type: string) => Date.parse(done.timeline.find((e: { type: string }) => e.type === type).at);
    const ordered = at('ordered');
    expect(at('reminder_sent') - ordered).toBeGreaterThanOrEqual(3_500);
    expect(at('reminder_sent') - ordered).toBeLessThan(5_000);
    expect(at('expired') - ordered).toBeGreaterThanOrEqual(5_000);
    const talentMail = (await emailsTo(stack, talent.email)).map((m) => m.kind);
    expect(talentMail).toEqual(['shoutout-requested', 'shoutout-reminder', 'shoutout-expired-talent']);
    expect(await paymentEventTypes(stack, id)).toEqual(['payment.created', 'payment.authorized', 'payment.voided']);
  }, 60_000);
});

/** A provider authorisation window shorter than the deadline: the workflow re-authorises before it lapses. */
describe('shoutout authorisation window', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '5s', SHOUTOUT_AUTH_WINDOW: '2s' } });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('re-authorises at 90 % of each window, voids the old hold, and voids the last one at expiry', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    await waitForStatus(stack, id, fan.token, 'expired', 30_000);
    await waitForEmail(stack, talent.email, 'shoutout-expired-talent');
    const done = (await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token })).body;
    const types: string[] = done.timeline.map((e: { type: string }) => e.type);
    // One re-authorisation per 1.8 s of window before the 5 s deadline: two, or one on a slow machine.
    const reauths = types.filter((t) => t === 'reauthorized').length;
    expect(reauths).toBeGreaterThanOrEqual(1);
    expect(reauths).toBeLessThanOrEqual(2);
    expect(types.filter((t) => t !== 'reauthorized' && t !== 'reminder_sent')).toEqual(['ordered', 'authorized', 'expired', 'payment_voided']);
    // Never more than one live hold: every authorisation ends voided, none captured.
    const intents = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'orderId' = ?`, [id]).orderBy('created_at');
    expect(intents.map((i: { status: string }) => i.status)).toEqual(Array(reauths + 1).fill('canceled'));
    const payments = await stack.deps.db('payments').where({ kind: 'shoutout', reference: id }).orderBy('id');
    expect(payments.map((p: { status: string }) => p.status)).toEqual(Array(reauths + 1).fill('voided'));
    expect(done.status).toBe('expired');
  }, 60_000);
});
