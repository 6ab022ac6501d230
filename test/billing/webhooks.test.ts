import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { startBillingStack, type BillingFixture } from './helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

describe('reporting events delivered to outbound webhooks', () => {
  let f: BillingFixture;
  let server: http.Server;
  let url: string;
  const received: Received[] = [];
  /** Answers 500 to the first attempt of each event, then 200. */
  const seen = new Set<string>();

  beforeAll(async () => {
    f = await startBillingStack();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const eventId = String(req.headers['limelight-event-id']);
        const status = seen.has(eventId) ? 200 : 500;
        seen.add(eventId);
        received.push({ headers: req.headers, body, answered: status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await f.stack.stop();
    await new Promise((r) => server.close(r));
  });

  it('posts each event signed (HMAC-SHA256 over timestamp.body), retries after a 500, and shows the attempts', async () => {
    const bad = await f.stack.http.post('/v1/admin/webhook-endpoints', { url, events: ['nope'] }, { token: f.admin.token });
    expect(bad.status).toBe(400);
    const endpoint = await f.stack.http.post('/v1/admin/webhook-endpoints', { url, events: ['purchase.completed', 'payment.refunded'] }, { token: f.admin.token });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);

    const film = await f.stack.http.post('/v1/products', { kind: 'film', name: 'Hooked', price: { amount: 300, currency: 'USD' } }, { token: f.admin.token });
    const user = await createActiveAccount(f.stack.deps);
    const bought = await f.stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: user.token });

    const delivered = await eventually(async () => received.find((r) => r.answered === 200) ?? undefined, { timeoutMs: 15_000 });
    const attempts = received.filter((r) => r.headers['limelight-event-id'] === delivered.headers['limelight-event-id']);
    expect(attempts.map((a) => a.answered)).toEqual([500, 200]);

    const event = JSON.parse(delivered.body);
    expect(event).toMatchObject({ type: 'purchase.completed', subjectId: bought.body.id, accountId: user.id });
    const timestamp = String(delivered.headers['limelight-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const signature = String(delivered.headers['limelight-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature)!;
    expect(t).toBe(timestamp);
    const expected = createHmac('sha256', endpoint.body.secret).update(`${timestamp}.${delivered.body}`).digest();
    expect(timingSafeEqual(expected, Buffer.from(v1, 'hex'))).toBe(true);

    const deliveries = await eventually(async () => {
      const res = await f.stack.http.get(`/v1/admin/webhook-endpoints/${endpoint.body.id}/deliveries`, { token: f.admin.token });
      return res.body.items[0]?.status === 'delivered' ? res.body : undefined;
    });
    expect(deliveries.items[0]).toMatchObject({ eventType: 'purchase.completed', status: 'delivered', lastStatusCode: 200 });
    expect(deliveries.items[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
    // Only subscribed event types are delivered.
    expect(received.every((r) => JSON.parse(r.body).type === 'purchase.completed')).toBe(true);
  });

  it('lists endpoints without their secrets and removes one: nothing more is delivered to it', async () => {
    const endpoint = await f.stack.http.post('/v1/admin/webhook-endpoints', { url, events: ['*'] }, { token: f.admin.token });
    const listed = await f.stack.http.get('/v1/admin/webhook-endpoints?active=true', { token: f.admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toEqual({ id: endpoint.body.id, url, events: ['*'], active: true, createdAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const user = await createActiveAccount(f.stack.deps);
    expect((await f.stack.http.get('/v1/admin/webhook-endpoints', { token: user.token })).status).toBe(403);

    expect((await f.stack.http.delete(`/v1/admin/webhook-endpoints/${endpoint.body.id}`, { token: f.admin.token })).status).toBe(204);
    expect((await f.stack.http.delete('/v1/admin/webhook-endpoints/whe_nope', { token: f.admin.token })).status).toBe(404);
    const active = await f.stack.http.get('/v1/admin/webhook-endpoints?active=true', { token: f.admin.token });
    expect(active.body.items.map((e: { id: string }) => e.id)).not.toContain(endpoint.body.id);

    // An event after the removal creates no delivery for it.
    const film = await f.stack.http.post('/v1/products', { kind: 'film', name: 'Unhooked', price: { amount: 300, currency: 'USD' } }, { token: f.admin.token });
    const bought = await f.stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: user.token });
    await eventually(async () => (await f.stack.deps.db('billing_events').where({ subject_id: bought.body.id, type: 'purchase.completed' }).first()) ?? undefined);
    const deliveries = await f.stack.http.get(`/v1/admin/webhook-endpoints/${endpoint.body.id}/deliveries`, { token: f.admin.token });
    expect(deliveries.body.items).toEqual([]);
  });
});
