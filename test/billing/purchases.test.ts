import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { emailsTo, startBillingStack, type BillingFixture } from './helpers';

describe('films, the catalogue and admin payments', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack();
  });
  afterAll(() => f.stack.stop());

  const film = async (accessDays?: number) => {
    const res = await f.stack.http.post('/v1/products', { kind: 'film', name: `Film ${Math.random().toString(36).slice(2, 7)}`, price: { amount: 499, currency: 'USD' }, ...(accessDays ? { accessDays } : {}) }, { token: f.admin.token });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('manages the catalogue: admin writes, everyone reads, bad input is named', async () => {
    const user = await createActiveAccount(f.stack.deps);
    const denied = await f.stack.http.post('/v1/products', { kind: 'film', name: 'x', price: { amount: 1, currency: 'USD' } }, { token: user.token });
    expect(denied.status).toBe(403);
    const bad = await f.stack.http.post('/v1/products', { kind: 'plan', name: 'x', price: { amount: 1, currency: 'XXX' }, interval: 'month' }, { token: f.admin.token });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('price.currency');
    const invalid = await f.stack.http.post('/v1/products', { kind: 'plan', name: 'x', price: { amount: 1, currency: 'USD' }, interval: 'week' }, { token: f.admin.token });
    expect(invalid.status).toBe(400);
    const plan = await f.stack.http.post('/v1/products', { kind: 'plan', name: 'Monthly', price: { amount: 999, currency: 'USD' }, interval: 'month' }, { token: f.admin.token });
    expect(plan.body).toMatchObject({ kind: 'plan', interval: 'month', intervalCount: 1, trialDays: 0, grantsRole: 'premium', active: true });
    const patched = await f.stack.http.patch(`/v1/products/${plan.body.id}`, { active: false }, { token: f.admin.token });
    expect(patched.body.active).toBe(false);
    const list = await f.stack.http.get('/v1/products?kind=plan&active=false');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(plan.body.id);
    expect((await f.stack.http.get(`/v1/products/${plan.body.id}`)).body.name).toBe('Monthly');
    expect((await f.stack.http.get('/v1/products/flm_nope')).status).toBe(404);
  });

  it('sells a film: charge, access, receipt, 409 while owned, access expiring at its timer', async () => {
    const product = await film(1); // one "day" = 2 s in tests
    const user = await createActiveAccount(f.stack.deps);
    const bought = await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token, headers: { 'Idempotency-Key': `buy-${product.id}` } });
    expect(bought.status).toBe(202);
    expect(bought.body.workflowId).toBe(`purchase-${bought.body.id}`);
    const library = await eventually(async () => {
      const res = await f.stack.http.get('/v1/me/library', { token: user.token });
      return res.body.items.length === 1 ? res.body : undefined;
    });
    expect(library.items[0]).toMatchObject({ productId: product.id, purchaseId: bought.body.id });
    const again = await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token });
    expect(again.status).toBe(409);
    const replay = await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token, headers: { 'Idempotency-Key': `buy-${product.id}` } });
    expect(replay.body.id).toBe(bought.body.id);
    await eventually(async () => (await emailsTo(f, user.email, 'billing-purchase-receipt')).length === 1);
    const expired = await eventually(async () => {
      const res = await f.stack.http.get('/v1/me/purchases', { token: user.token });
      return res.body.items[0].status === 'expired' ? res.body.items[0] : undefined;
    }, { timeoutMs: 10_000 });
    expect(expired.paymentId).toBe(`pay_${bought.body.id}`);
    expect((await f.stack.http.get('/v1/me/library', { token: user.token })).body.items).toEqual([]);
    const types = (await f.stack.deps.db('billing_events').where({ subject_id: bought.body.id }).orderBy('created_at')).map((e: { type: string }) => e.type);
    expect(types).toEqual(['purchase.completed', 'purchase.expired']);
    // Expired: buying again is allowed.
    expect((await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token })).status).toBe(202);
  });

  it('a declined film purchase grants nothing', async () => {
    const product = await film();
    const user = await createActiveAccount(f.stack.deps);
    const bought = await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_chargeDeclined' }, { token: user.token });
    const failed = await eventually(async () => {
      const res = await f.stack.http.get('/v1/me/purchases', { token: user.token });
      return res.body.items[0].status === 'failed' ? res.body.items[0] : undefined;
    });
    expect(failed.id).toBe(bought.body.id);
    expect((await f.stack.http.get('/v1/me/library', { token: user.token })).body.items).toEqual([]);
  });

  it('lets an admin list payments with totals, read the event log and refund through the gateway', async () => {
    const product = await film();
    const user = await createActiveAccount(f.stack.deps);
    const bought = await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token });
    const paymentId = `pay_${bought.body.id}`;
    await eventually(async () => (await f.stack.deps.db('payments').where({ id: paymentId, status: 'captured' }).first()) ?? undefined);
    const library = async () => (await f.stack.http.get('/v1/me/library', { token: user.token })).body.items.map((i: { purchaseId: string }) => i.purchaseId);
    await eventually(async () => (await library()).length === 1);

    const list = await f.stack.http.get(`/v1/admin/payments?account=${user.id}&kind=film&status=captured`, { token: f.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([paymentId]);
    expect(list.body.totals).toEqual([{ currency: 'USD', count: 1, amount: 499, captured: 499, refunded: 0, net: 499 }]);
    const from = new Date(Date.now() + 60_000).toISOString();
    expect((await f.stack.http.get(`/v1/admin/payments?account=${user.id}&from=${encodeURIComponent(from)}`, { token: f.admin.token })).body.items).toEqual([]);
    expect((await f.stack.http.get('/v1/admin/payments', { token: user.token })).status).toBe(403);

    const tooMuch = await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { amount: 500, reason: 'oops' }, { token: f.admin.token });
    expect(tooMuch.status).toBe(422);
    const partial = await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { amount: 200, reason: 'bad audio' }, { token: f.admin.token });
    expect(partial.status).toBe(201);
    expect(partial.body.payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 200 });
    expect(await library()).toEqual([bought.body.id]);
    const rest = await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { reason: 'goodwill' }, { token: f.admin.token });
    expect(rest.body.amount).toEqual({ amount: 299, currency: 'USD' });
    expect(rest.body.payment.status).toBe('refunded');
    expect((await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { reason: 'again' }, { token: f.admin.token })).status).toBe(409);
    // Refunded in full: the film leaves the library and may be bought again.
    expect(await library()).toEqual([]);
    expect((await f.stack.http.get('/v1/me/purchases', { token: user.token })).body.items[0]).toMatchObject({ id: bought.body.id, status: 'refunded' });
    expect((await f.stack.http.post('/v1/purchases', { productId: product.id, paymentMethod: 'pm_card_visa' }, { token: user.token })).status).toBe(202);

    const detail = await f.stack.http.get(`/v1/admin/payments/${paymentId}`, { token: f.admin.token });
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'payment.refunded', 'payment.refunded']);
    const refunds = await f.stack.deps.db('sandbox_refunds').select('amount');
    expect(refunds.map((r: { amount: number }) => Number(r.amount))).toEqual(expect.arrayContaining([200, 299]));
    expect((await f.stack.deps.db('billing_events').where({ type: 'payment.refunded', subject_id: bought.body.id })).length).toBe(2);
  });
});
