import { eventually } from '../harness/stack';
import { createActiveAccount } from '../harness/accounts';
import { createPlan, rolesOf, startBillingStack, subscribe, type BillingFixture } from '../billing/helpers';
import { createChannel, liveChannels, raceTwoCreations } from './helpers';

/**
 * The premium limit with premium from a real subscription (sandbox card, the subscription
 * workflow grants the role): 10 channels, raced at the limit; when premium ends the channels stay
 * and new ones wait until the count is under the normal limit.
 */
describe('channel limit of premium members', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack();
  }, 60_000);
  afterAll(() => f?.stack.stop());

  it('allows 10 channels while premium (exactly one of two racing at the limit), keeps them after premium ends and refuses new ones until under 5', async () => {
    const { stack } = f;
    const plan = await createPlan(f, { interval: 'month', intervalCount: 1 });
    const member = await createActiveAccount(stack.deps);
    const subscriptionId = await subscribe(f, member, plan.id);
    await eventually(async () => (await rolesOf(f, member.id)).includes('premium'), { what: 'premium granted by the subscription' });

    // The access token still says `normal`: the limit follows the account's roles now, not the token's.
    for (let i = 0; i < 9; i++) await createChannel(stack, member);
    const race = await raceTwoCreations(stack, member);
    expect(race.statuses).toEqual([201, 422]);
    expect(race.bodies.find((b) => (b as { status: number }).status === 422)).toMatchObject({ errors: [{ field: 'channels' }], limit: 10, current: 10 });
    expect(await liveChannels(stack, member.id)).toBe(10);

    // Premium ends now (cancel immediately): every channel stays, new ones are refused at the normal limit.
    const cancelled = await stack.http.post(`/v1/subscriptions/${subscriptionId}/cancel`, { atPeriodEnd: false }, { token: member.token });
    expect(cancelled.status).toBe(200);
    await eventually(async () => !(await rolesOf(f, member.id)).includes('premium'), { what: 'premium revoked' });
    const refused = await stack.http.post('/v1/channels', { name: 'One more', handle: `after-${member.id.slice(-8)}` }, { token: member.token });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ errors: [{ field: 'channels' }], limit: 5, current: 10 });
    const owned = (await stack.http.get(`/v1/channels?owner=${member.id}`)).body.items as { id: string }[];
    expect(owned).toHaveLength(10);

    // Down to 5: still at the limit; down to 4: room for one.
    for (const channel of owned.slice(0, 5)) expect((await stack.http.delete(`/v1/channels/${channel.id}`, { token: member.token })).status).toBe(202);
    expect((await stack.http.post('/v1/channels', { name: 'Still no', handle: `still-${member.id.slice(-8)}` }, { token: member.token })).body).toMatchObject({ status: 422, limit: 5, current: 5 });
    expect((await stack.http.delete(`/v1/channels/${owned[5].id}`, { token: member.token })).status).toBe(202);
    await createChannel(stack, member);
    expect(await liveChannels(stack, member.id)).toBe(5);
  });
});
