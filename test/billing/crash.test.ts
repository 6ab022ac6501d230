import { SandboxPaymentGateway } from '../../activities/payments/sandbox';
import type { PaymentGateway } from '../../activities/payments/port';
import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { capturedCharges, createPlan, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from './helpers';

/**
 * The sandbox gateway behind a switch: the first renewal charge of period 2 reaches the gateway
 * (the money moves) and then the worker "dies" before the activity can report back.
 */
function crashingGateway(holder: { inner?: PaymentGateway; crashed: boolean; onCrash?: () => void }): PaymentGateway {
  return new Proxy({} as PaymentGateway, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'provider') return 'sandbox';
      if (prop === 'chargeOffSession') {
        return async (input: Parameters<PaymentGateway['chargeOffSession']>[0], options: { idempotencyKey: string }) => {
          const result = await holder.inner!.chargeOffSession(input, options);
          if (!holder.crashed && options.idempotencyKey.endsWith('/period-2')) {
            holder.crashed = true;
            holder.onCrash?.();
            throw new Error('worker killed after the gateway charged');
          }
          return result;
        };
      }
      const value = (holder.inner as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(holder.inner) : value;
    },
  });
}

describe('a worker killed mid-renewal', () => {
  let f: BillingFixture;
  const holder: { inner?: PaymentGateway; crashed: boolean; onCrash?: () => void } = { crashed: false };
  beforeAll(async () => {
    f = await startBillingStack();
    holder.inner = new SandboxPaymentGateway(f.stack.deps.db);
  });
  afterAll(() => f.stack.stop());

  it('charges exactly once for that period after the worker restarts', async () => {
    // Rebuild the stack's worker with the crashing gateway in front of the sandbox.
    await f.stack.stopWorker();
    f.stack.deps.ports.payments = crashingGateway(holder);
    await f.stack.startWorker();

    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    let killed: Promise<void> | undefined;
    holder.onCrash = () => {
      killed = f.stack.stopWorker();
    };
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 1);
    await eventually(async () => holder.crashed, { timeoutMs: 10_000 });
    await killed;
    // While no worker runs, the charge is made at the gateway but not recorded.
    expect((await capturedCharges(f, id)).length).toBe(1);
    await f.stack.startWorker();
    await waitForSubscription(f, user, id, (s) => s.period >= 3, 30_000);

    const charges = await capturedCharges(f, id);
    expect(charges.map((c: { id: string }) => c.id).slice(0, 3)).toEqual([`pay_${id}_p1`, `pay_${id}_p2`, `pay_${id}_p3`]);
    const intents = await f.stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'subscriptionId' = ?`, [id]).andWhere({ status: 'succeeded' });
    const periodTwo = intents.filter((i: { metadata: { paymentId: string } }) => i.metadata.paymentId === `pay_${id}_p2`);
    expect(periodTwo.length).toBe(1);
    expect(intents.length).toBe(charges.length);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
  });
});
