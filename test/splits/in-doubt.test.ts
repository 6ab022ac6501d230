import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { ControlledGateway, createRecipients, key, settled, threeWaySplit, type Recipient } from './helpers';

/**
 * A step that gives up without a refusal (every attempt timed out) may still have moved money:
 * the provider made the transfer, the saga never learnt its id. The compensation replays the
 * step with its idempotency key to find it and reverses it too.
 */
describe('split payments: a transfer in doubt is found and reversed', () => {
  let stack: TestStack;
  let gateway: ControlledGateway;
  let payer: TestAccount;
  let recipients: Recipient[];

  beforeAll(async () => {
    gateway = new ControlledGateway();
    stack = await startTestStack({ ports: { payments: gateway }, env: { SPLIT_STEP_TIMEOUT: '1s', SPLIT_STEP_GIVE_UP: '3s', SPLIT_COMPENSATION_MAX_INTERVAL: '1s' } });
    payer = await createActiveAccount(stack.deps);
    recipients = await createRecipients(stack, 3);
  });
  afterAll(async () => {
    await stack.stop();
    await gateway.close();
  });

  it('reverses a transfer whose step timed out after the provider made it', async () => {
    const balance = async (r: Recipient) => (await gateway.sandbox.getBalance(r.providerAccountId, 'USD')).available.amount;
    const before = await Promise.all(recipients.map(balance));
    let slowUntil = 0;
    gateway.hooks.push({
      method: 'transfer',
      when: 'after',
      match: (i) => i.destination === recipients[1].providerAccountId,
      run: async () => {
        // The provider answered, but too late for every attempt until the step gives up.
        if (!slowUntil) slowUntil = Date.now() + 4_500;
        if (Date.now() < slowUntil) await new Promise((r) => setTimeout(r, 1_500));
      },
    });
    const res = await stack.http.post('/v1/split-payments', threeWaySplit(recipients), { token: payer.token, headers: { 'Idempotency-Key': key() } });
    expect(res.status).toBe(201);
    const done = await settled(stack, res.body.id, payer.token, 55_000);
    expect(done).toMatchObject({ status: 'failed', compensated: true });
    expect(done.failureReason).toMatch(/timing out/);
    // The first and third transfers ran beside the second (all at once) and are reversed; the second,
    // in doubt, is found by replaying it with its key, then reversed.
    expect(done.recipients.map((r: { transfer: { status: string } | null }) => r.transfer?.status ?? null)).toEqual(['reversed', 'reversed', 'reversed']);
    expect(done.charge.status).toBe('refunded');
    expect(await Promise.all(recipients.map(balance))).toEqual(before);
    const transfers = await stack.deps.db('sandbox_transfers').where({ transfer_group: res.body.workflowId });
    expect(transfers).toHaveLength(3);
  });
});
