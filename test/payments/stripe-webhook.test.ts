import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { createPayment, recordPaymentChange } from '../../stores/payments/payments';
import { PAYMENT_PROVIDER_EVENT_SIGNAL } from '../../domain/payments/signals';
import { startTestStack, type TestStack } from '../harness/stack';

/**
 * POST /webhooks/stripe on the real API, real PostgreSQL and the real Temporal server. The target
 * workflows are started on a task queue no worker polls: Temporal accepts signals for them all the
 * same, and their histories show exactly which signals arrived, with which payload.
 */

const SECRET = 'whsec_test_webhook_secret_for_the_suite';
let stack: TestStack;
const started: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { STRIPE_WEBHOOK_SECRET: SECRET } });
});

afterAll(async () => {
  for (const id of started) await stack.deps.temporal.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

async function startProbe(): Promise<string> {
  const workflowId = `stripe-probe-${randomUUID()}`;
  await stack.deps.temporal.workflow.start('stripeWebhookProbe', { taskQueue: `no-worker-${randomUUID()}`, workflowId, args: [] });
  started.push(workflowId);
  return workflowId;
}

/** The signals a workflow received: name and decoded argument. */
async function signalsOf(workflowId: string): Promise<Array<{ name: string; arg: Record<string, unknown> }>> {
  const history = await stack.deps.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => Boolean(a))
    .map((a) => ({ name: a.signalName ?? '', arg: JSON.parse(Buffer.from(a.input!.payloads![0].data!).toString('utf8')) }));
}

function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_${randomUUID().replace(/-/g, '')}`) {
  return { id, object: 'event', api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

function sign(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp ?? Math.floor(Date.now() / 1000) });
}

function deliver(payload: string, signature?: string) {
  return stack.http.request('POST', '/webhooks/stripe', { raw: payload, headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) } });
}

const stored = (id: string) => stack.deps.db('stripe_webhook_events').where({ id }).first();

describe('POST /webhooks/stripe', () => {
  it('good signature: stores the event and signals the workflow named in metadata.workflowId', async () => {
    const workflowId = await startProbe();
    const event = stripeEvent('payment_intent.succeeded', { id: 'pi_good', object: 'payment_intent', status: 'succeeded', amount: 4200, currency: 'usd', metadata: { workflowId } });
    // Formatting Stripe's way (pretty-printed): the signature is over these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    const res = await deliver(payload, sign(payload));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, eventId: event.id, duplicate: false, outcome: 'signalled' });
    expect(await stored(event.id)).toMatchObject({ type: 'payment_intent.succeeded', object_id: 'pi_good', outcome: 'signalled', workflow_id: workflowId, signal_name: PAYMENT_PROVIDER_EVENT_SIGNAL, deliveries: 1 });
    expect(await signalsOf(workflowId)).toEqual([
      {
        name: PAYMENT_PROVIDER_EVENT_SIGNAL,
        arg: {
          eventId: event.id,
          type: 'payment_intent.succeeded',
          provider: 'stripe',
          objectId: 'pi_good',
          providerPaymentId: 'pi_good',
          status: 'succeeded',
          amount: { amount: 4200, currency: 'USD' },
          metadata: { workflowId },
          createdAt: new Date(event.created * 1000).toISOString(),
        },
      },
    ]);
  });

  it('finds the workflow through the recorded payment when the object has no workflowId (charge.refunded)', async () => {
    const workflowId = await startProbe();
    const paymentId = `pay_${randomUUID().replace(/-/g, '')}`;
    const providerPaymentId = `pi_${randomUUID().replace(/-/g, '')}`;
    await createPayment(stack.deps.db, { id: paymentId, kind: 'test', reference: 'webhook', provider: 'stripe', amount: { amount: 1000, currency: 'USD' }, workflowId });
    await recordPaymentChange(stack.deps.db, paymentId, { status: 'authorized', providerPaymentId }, { id: `${workflowId}/authorize`, type: 'payment.authorized' });
    const event = stripeEvent('charge.refunded', { id: 'ch_refunded', object: 'charge', payment_intent: providerPaymentId, amount: 1000, currency: 'usd', metadata: {} });
    const payload = JSON.stringify(event);
    const res = await deliver(payload, sign(payload));
    expect(res.body).toMatchObject({ outcome: 'signalled' });
    const signals = await signalsOf(workflowId);
    expect(signals).toHaveLength(1);
    expect(signals[0].arg).toMatchObject({ type: 'charge.refunded', objectId: 'ch_refunded', providerPaymentId });
  });

  it.each([
    ['signed with another secret', (p: string) => sign(p, { secret: 'whsec_someone_else' })],
    ['signed over other bytes', (p: string) => sign(p.replace('4200', '4201'))],
    ['a garbage header', () => 't=1,v1=deadbeef'],
    ['no header', () => undefined],
  ])('bad signature (%s): 400 problem, nothing stored, nothing signalled', async (_label, signature) => {
    const workflowId = await startProbe();
    const event = stripeEvent('payment_intent.succeeded', { id: 'pi_forged', object: 'payment_intent', amount: 4200, currency: 'usd', metadata: { workflowId } });
    const payload = JSON.stringify(event);
    const res = await deliver(payload, signature(payload));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, type: 'https://limelight.dev/problems/invalid-signature' });
    expect(await stored(event.id)).toBeUndefined();
    expect(await signalsOf(workflowId)).toEqual([]);
  });

  it('stale signature (timestamp more than 5 minutes old): 400, nothing stored or signalled; 4 minutes old is accepted', async () => {
    const workflowId = await startProbe();
    const event = stripeEvent('payment_intent.succeeded', { id: 'pi_stale', object: 'payment_intent', metadata: { workflowId } });
    const payload = JSON.stringify(event);
    const res = await deliver(payload, sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/tolerance/);
    expect(await stored(event.id)).toBeUndefined();
    expect(await signalsOf(workflowId)).toEqual([]);

    const fresh = await deliver(payload, sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 240 }));
    expect(fresh.body).toMatchObject({ outcome: 'signalled', duplicate: false });
  });

  it('duplicate delivery (also concurrent): acknowledged, stored once, signalled once', async () => {
    const workflowId = await startProbe();
    const event = stripeEvent('payment_intent.payment_failed', { id: 'pi_dup', object: 'payment_intent', status: 'requires_payment_method', metadata: { workflowId } });
    const payload = JSON.stringify(event);
    const first = await deliver(payload, sign(payload));
    expect(first.body).toMatchObject({ duplicate: false, outcome: 'signalled' });
    const again = await Promise.all(Array.from({ length: 4 }, () => deliver(payload, sign(payload))));
    for (const res of again) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ duplicate: true, outcome: 'signalled' });
    }
    expect(await stack.deps.db('stripe_webhook_events').where({ id: event.id })).toHaveLength(1);
    expect((await stored(event.id)).deliveries).toBe(5);
    expect(await signalsOf(workflowId)).toHaveLength(1);
  });

  it('concurrent first deliveries of one event signal once', async () => {
    const workflowId = await startProbe();
    const event = stripeEvent('payment_intent.canceled', { id: 'pi_race', object: 'payment_intent', metadata: { workflowId } });
    const payload = JSON.stringify(event);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(payload, sign(payload))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(await signalsOf(workflowId)).toHaveLength(1);
  });

  it('a correctly signed body that is not an event: 400, nothing stored', async () => {
    const payload = 'not json at all';
    const res = await deliver(payload, sign(payload));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, detail: 'The signed body is not a Stripe event.' });
  });

  it('an unknown event type is stored and acknowledged, nothing signalled', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_new', object: 'customer', metadata: {} });
    const payload = JSON.stringify(event);
    const res = await deliver(payload, sign(payload));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'unrouted', duplicate: false });
    expect(await stored(event.id)).toMatchObject({ type: 'customer.created', outcome: 'unrouted', workflow_id: null });
  });

  it('a routed event without a findable workflow, or for a workflow that does not exist, is stored and acknowledged', async () => {
    const orphan = stripeEvent('payment_intent.succeeded', { id: 'pi_orphan', object: 'payment_intent', metadata: {} });
    const p1 = JSON.stringify(orphan);
    expect((await deliver(p1, sign(p1))).body).toMatchObject({ outcome: 'no_workflow' });
    const gone = stripeEvent('payment_intent.succeeded', { id: 'pi_gone', object: 'payment_intent', metadata: { workflowId: `never-started-${randomUUID()}` } });
    const p2 = JSON.stringify(gone);
    expect((await deliver(p2, sign(p2))).body).toMatchObject({ outcome: 'workflow_not_found' });
    expect(await stored(gone.id)).toMatchObject({ outcome: 'workflow_not_found' });
  });
});
