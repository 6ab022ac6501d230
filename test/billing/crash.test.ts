import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createActiveAccount } from '../harness/accounts';
import { BILLING_TEST_ENV, capturedCharges, createPlan, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from './helpers';

/** The platform's worker in a process of its own (crash-worker.ts), on this suite's task queues. */
function startCrashWorker(f: BillingFixture): { child: ChildProcess; charged: Promise<void> } {
  const { config } = f.stack;
  const child = fork(path.join(__dirname, 'crash-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...BILLING_TEST_ENV, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: process.env.TEST_DATABASE_URL, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS, TASK_QUEUE: config.TASK_QUEUE, MEDIA_TASK_QUEUE: config.MEDIA_TASK_QUEUE },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const charged = new Promise<void>((resolve, reject) => {
    child.on('message', (message) => message === 'charged' && resolve());
    child.once('exit', (code, signal) => reject(new Error(`crash worker exited early (${code ?? signal})`)));
  });
  return { child, charged };
}

describe('a worker killed mid-renewal', () => {
  let f: BillingFixture;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    f = await startBillingStack();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await f.stack.stop();
  });

  it('charges exactly once for that period after a new worker takes over', async () => {
    // Only the child process polls until it is killed.
    await f.stack.stopWorker();
    const crash = startCrashWorker(f);
    child = crash.child;

    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await crash.charged;
    // SIGKILL right after the gateway took the money for period 2, before anything recorded it.
    crash.charged.catch(() => undefined);
    child.kill('SIGKILL');
    expect((await capturedCharges(f, id)).map((c: { id: string }) => c.id)).toEqual([`pay_${id}_p1`]);

    await f.stack.startWorker();
    await waitForSubscription(f, user, id, (s) => s.period >= 3, 45_000);

    // Stop renewing, then compare what the gateway charged with what was recorded.
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    await waitForSubscription(f, user, id, (s) => s.status === 'cancelled');
    const charges = await capturedCharges(f, id);
    expect(charges.map((c: { id: string }) => c.id).slice(0, 3)).toEqual([`pay_${id}_p1`, `pay_${id}_p2`, `pay_${id}_p3`]);
    const intents = await f.stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'subscriptionId' = ?`, [id]).andWhere({ status: 'succeeded' });
    const periodTwo = intents.filter((i: { metadata: { paymentId: string } }) => i.metadata.paymentId === `pay_${id}_p2`);
    expect(periodTwo.length).toBe(1);
    expect(intents.length).toBe(charges.length);
  }, 90_000);
});
