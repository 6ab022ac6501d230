import { applySplitEvent, rebuild, type SplitEventRecord } from './fold';

const usd = (amount: number) => ({ amount, currency: 'USD' });
let seq = 0;
const ev = (type: SplitEventRecord['type'], data: Record<string, unknown> = {}): SplitEventRecord => {
  seq += 1;
  return { id: `split-s1/${seq}`, aggregateId: 's1', sequence: seq, type, data, correlationId: 'split-s1', causationId: seq > 1 ? `split-s1/${seq - 1}` : null, createdAt: new Date(Date.UTC(2026, 10, 22, 12, 0, seq)).toISOString() };
};

describe('fold (rebuild a split payment from its events)', () => {
  beforeEach(() => (seq = 0));
  const created = () =>
    ev('split.created', {
      createdBy: 'acc_1',
      total: usd(10_000),
      paymentMethod: 'pm_card_visa',
      description: 'd',
      platformFee: { percent: 7.5 },
      recipients: [{ payoutAccountId: 'pa_a', share: { percent: 50 } }, { payoutAccountId: 'pa_b', share: { percent: 50 } }],
      allocation: [{ party: 'pa_a', amount: usd(4625) }, { party: 'pa_b', amount: usd(4625) }, { party: 'platform', amount: usd(750) }],
    });

  it('folds a compensated failure', () => {
    const events = [
      created(),
      ev('split.charge_succeeded', { providerPaymentId: 'pi_1' }),
      ev('split.transfer_succeeded', { payoutAccountId: 'pa_a', providerTransferId: 'tr_1' }),
      ev('split.transfer_failed', { payoutAccountId: 'pa_b', code: 'x' }),
      ev('split.compensation_started', { reason: 'transfer:pa_b: x' }),
      ev('split.transfer_reversed', { payoutAccountId: 'pa_a' }),
      ev('split.charge_refunded', {}),
      ev('split.failed', { reason: 'transfer:pa_b: x', compensated: true }),
    ];
    const state = rebuild([...events].reverse())!;
    expect(state).toMatchObject({ status: 'failed', compensated: true, failureReason: 'transfer:pa_b: x', version: 8, charge: { providerPaymentId: 'pi_1', status: 'refunded' } });
    expect(state.recipients.map((r) => r.transfer?.status ?? null)).toEqual(['reversed', null]);
    expect(state.createdAt).toBe(events[0].createdAt);
    expect(state.updatedAt).toBe(events[7].createdAt);
  });

  it('reserves refunds per party and reaches refunded', () => {
    const events = [
      created(),
      ev('split.charge_succeeded', { providerPaymentId: 'pi_1' }),
      ev('split.succeeded'),
      ev('split.refund_requested', { refundId: 'r1', amount: usd(10_000), allocation: [{ party: 'pa_a', amount: usd(4625) }, { party: 'pa_b', amount: usd(4625) }, { party: 'platform', amount: usd(750) }] }),
    ];
    const state = rebuild(events)!;
    expect(state.status).toBe('refunded');
    expect(state.recipients.map((r) => r.refunded)).toEqual([4625, 4625]);
    expect(state.refunds[0]).toMatchObject({ id: 'r1', status: 'pending' });
  });

  it('refuses a gap in the sequence, an event before creation and a second creation', () => {
    const first = created();
    const state = applySplitEvent(undefined, first);
    expect(() => applySplitEvent(state, { ...ev('split.succeeded'), sequence: 5 })).toThrow(/event 5 after 1/);
    expect(() => applySplitEvent(undefined, ev('split.succeeded'))).toThrow(/before split.created/);
    expect(() => applySplitEvent(state, first)).toThrow(/created twice/);
  });

  it('never mutates the state it is given', () => {
    const state = applySplitEvent(undefined, created());
    const copy = structuredClone(state);
    applySplitEvent(state, ev('split.charge_succeeded', { providerPaymentId: 'pi_1' }));
    expect(state).toEqual(copy);
  });
});
