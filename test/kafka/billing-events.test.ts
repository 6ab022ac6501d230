import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { createPlan, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from '../billing/helpers';
import { freePort, startKfake, type Kfake } from './kfake';

const TOPIC = 'limelight.billing-events';

interface Received {
  key: string;
  eventId: string;
  type: string;
  body: { id: string; type: string; accountId: string | null; data: Record<string, unknown> };
}

/**
 * The billing reporting events also go to Kafka (a Kafka-protocol broker here: franz-go's kfake):
 * every event, keyed by account and in its order, the event id in a header; events written while
 * the brokers are down wait in the outbox and are published when they return.
 */
describe('billing reporting events on Kafka', () => {
  let port: number;
  let broker: Kfake;
  let f: BillingFixture;
  let consumer: Consumer;
  let received: Received[] = [];
  let user: TestAccount;

  const listen = async () => {
    const kafka = new Kafka({ clientId: 'billing-events-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
    consumer = kafka.consumer({ groupId: `test-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const body = JSON.parse(message.value!.toString());
        received.push({ key: message.key!.toString(), eventId: message.headers!['event-id']!.toString(), type: message.headers!['event-type']!.toString(), body });
      },
    });
  };
  const eventsOf = (accountId: string) => f.stack.deps.db('billing_events').where({ account_id: accountId }).orderBy('created_at').pluck('id') as Promise<string[]>;

  beforeAll(async () => {
    port = await freePort();
    broker = await startKfake(port, [TOPIC]);
    f = await startBillingStack({ KAFKA_BROKERS: `127.0.0.1:${port}`, KAFKA_RELAY_INTERVAL: '200ms' });
    user = await createActiveAccount(f.stack.deps, { kind: 'fan' });
    await listen();
  }, 60_000);
  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await f?.stack.stop();
    await broker?.stop();
  });

  it('publishes every event of a purchase, a subscription and a refund, keyed by account, in order', async () => {
    const film = await f.stack.http.post('/v1/products', { kind: 'film', name: 'Heat', price: { amount: 999, currency: 'USD' }, accessDays: 30 }, { token: f.admin.token });
    const bought = await f.stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: user.token });
    expect(bought.status).toBe(202);
    const plan = await createPlan(f, { interval: 'second', intervalCount: 3 });
    const subscription = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, subscription, (s) => s.period >= 2, 40_000);
    await eventually(async () => (await f.stack.deps.db('payments').where({ id: `pay_${bought.body.id}`, status: 'captured' }).first()));
    expect((await f.stack.http.post(`/v1/admin/payments/pay_${bought.body.id}/refund`, { reason: 'changed my mind' }, { token: f.admin.token })).status).toBe(201);
    await f.stack.http.post(`/v1/subscriptions/${subscription}/cancel`, { atPeriodEnd: false }, { token: user.token });
    await waitForSubscription(f, user, subscription, (s) => s.status === 'cancelled');

    const expected = await eventually(async () => {
      const ids = await eventsOf(user.id);
      return ids.includes(`subscription-${subscription}/cancelled`) ? ids : undefined;
    });
    const mine = await eventually(
      async () => {
        const got = received.filter((r) => r.key === user.id);
        return new Set(got.map((r) => r.eventId)).size >= expected.length ? got : undefined;
      },
      { timeoutMs: 20_000, what: 'every event on Kafka' },
    );
    const types = new Set(mine.map((r) => r.type));
    for (const t of ['purchase.completed', 'subscription.started', 'subscription.renewed', 'role.granted', 'role.revoked', 'payment.refunded', 'subscription.cancelled']) expect(types).toContain(t);
    // One account's events arrive in the order they were recorded (at least once: duplicates share an id).
    const firstSeen = [...new Map(mine.map((r) => [r.eventId, r])).keys()];
    expect(firstSeen).toEqual(expected);
    for (const r of mine) {
      expect(r.body.id).toBe(r.eventId);
      expect(r.body.accountId).toBe(user.id);
    }
    const backlog = await f.stack.deps.db('billing_event_outbox').whereNull('published_at').count({ n: '*' });
    expect(backlog).toEqual([{ n: 0 }]);
  }, 120_000);

  it('keeps events in the outbox while the brokers are down and publishes them when they return', async () => {
    await consumer.disconnect();
    await broker.stop();
    received = [];
    const other = await createActiveAccount(f.stack.deps, { kind: 'fan' });
    const film = await f.stack.http.post('/v1/products', { kind: 'film', name: 'Ran', price: { amount: 500, currency: 'USD' } }, { token: f.admin.token });
    const bought = await f.stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: other.token });
    expect(bought.status).toBe(202);
    const eventId = `purchase-${bought.body.id}/completed`;
    const waiting = await eventually(async () => {
      const row = await f.stack.deps.db('billing_event_outbox').where({ event_id: eventId }).first();
      return row && row.attempts > 0 ? row : undefined;
    }, { timeoutMs: 30_000, what: 'a failed publish attempt' });
    expect(waiting.published_at).toBeNull();
    expect(waiting.last_error).toBeTruthy();

    broker = await startKfake(port, [TOPIC]);
    await listen();
    const got = await eventually(async () => received.find((r) => r.eventId === eventId), { timeoutMs: 45_000, what: 'the held event on Kafka' });
    expect(got).toMatchObject({ key: other.id, type: 'purchase.completed' });
    await eventually(async () => (await f.stack.deps.db('billing_event_outbox').where({ event_id: eventId }).first())?.published_at, { what: 'the outbox row marked published' });
  }, 120_000);
});
