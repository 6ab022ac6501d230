import type { PaymentGateway } from '../../providers/payments/port';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent, order, paymentEventTypes, waitForEmail, waitForStatus } from './helpers';

/**
 * A talent who answers while the fan's payment is still authorising is not refused: the workflow's
 * update waits for the authorisation to settle and then applies (bounded), so clients need not poll.
 */
describe('shoutout accept / decline while the payment is authorising', () => {
  let stack: TestStack;
  /** While set, authorisations wait for it to resolve: the order stays `authorizing` for as long as a test needs. */
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;

  const holdAuthorizations = () => {
    gate = new Promise<void>((resolve) => {
      open = () => {
        gate = undefined;
        resolve();
      };
    });
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '30s' } });
    // The activities read the port at call time: wrap the sandbox so a test can hold authorisations back.
    const real = stack.deps.ports.payments;
    const held: PaymentGateway = Object.create(real);
    held.authorize = async (input, options) => {
      await gate;
      return real.authorize(input, options);
    };
    stack.deps.ports.payments = held;
  }, 60_000);
  afterEach(() => open());
  afterAll(() => stack?.stop());

  const post = (path: string, body: unknown, token: string) => stack.http.post(path, body, { token });

  it('accepts immediately after ordering: 200, accepted', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('authorizing');
    const accepted = await post(`/v1/shoutouts/${created.body.id}/accept`, undefined, talent.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'authorized', 'accepted']);
  });

  it('waits for an authorisation still in flight, then accepts (200)', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    holdAuthorizations();
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    expect((await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token })).body.status).toBe('authorizing');
    const answer = post(`/v1/shoutouts/${id}/accept`, undefined, talent.token);
    // The request is still open while the payment authorises.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token })).body.status).toBe('authorizing');
    open();
    const accepted = await answer;
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'authorized', 'accepted']);
    await waitForStatus(stack, id, fan.token, 'accepted');
    // The talent still gets the request email (the order did reach them).
    await waitForEmail(stack, talent.email, 'shoutout-requested');
  });

  it('waits for an authorisation still in flight, then declines (200) and voids it', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    holdAuthorizations();
    const id = (await order(stack, fan, talent.id)).body.id;
    const answer = post(`/v1/shoutouts/${id}/decline`, { reason: 'on holiday' }, talent.token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    open();
    const declined = await answer;
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    await waitForStatus(stack, id, fan.token, 'declined');
    await waitForEmail(stack, fan.email, 'shoutout-declined');
    expect(await paymentEventTypes(stack, id)).toEqual(['payment.created', 'payment.authorized', 'payment.voided']);
  });

  it('answers 409 when the authorisation it waited for is declined', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    holdAuthorizations();
    const id = (await order(stack, fan, talent.id, { paymentMethod: 'pm_card_chargeDeclined' })).body.id;
    const answer = post(`/v1/shoutouts/${id}/accept`, undefined, talent.token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    open();
    const refused = await answer;
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    await waitForStatus(stack, id, fan.token, 'payment_failed');
  });

  it('still refuses another talent (403) without waiting', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const other = await createTalent(stack);
    holdAuthorizations();
    const id = (await order(stack, fan, talent.id)).body.id;
    const started = Date.now();
    expect((await post(`/v1/shoutouts/${id}/accept`, undefined, other.token)).status).toBe(403);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
