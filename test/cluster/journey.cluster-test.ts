/**
 * Every capability once, end to end, on the real Temporal cluster (separate frontend, history ×2,
 * matching and worker processes on PostgreSQL): ping, a shoutout delivered, a subscription
 * renewed, a split saga, a Stark Bank transfer batch. Same API and worker code as production.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { createPlan, capturedCharges, subscribe, waitForSubscription, BILLING_TEST_ENV, type BillingFixture } from '../billing/helpers';
import { createFan, createTalent, makeClip, order, tmpDir, uploadVideo, waitForStatus } from '../shoutouts/helpers';
import { createRecipients, key, settled, threeWaySplit } from '../splits/helpers';
import { fakeTransfersFor, startStarkbankStack, type StarkbankStack } from '../starkbank/helpers';
import { readClusterRun } from './state';

describe('the platform on a Temporal cluster: one journey per capability', () => {
  let s: StarkbankStack;
  let admin: TestAccount;
  let dir: string;

  beforeAll(async () => {
    dir = tmpDir('cluster-journey');
    s = await startStarkbankStack({
      ...BILLING_TEST_ENV,
      SHOUTOUT_TURNAROUND: '120s',
      STORAGE_DIR: path.join(dir, 'storage'),
      SHOUTOUT_TRANSCODE_HEARTBEAT_TIMEOUT: '10s',
      STARKBANK_BATCH_SIZE: '15',
      STARKBANK_BATCH_WINDOW: '1h',
    });
    admin = s.admin;
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs against the cluster, not a dev server', async () => {
    const run = readClusterRun();
    expect(s.stack.config.TEMPORAL_ADDRESS).toBe(run.cluster.address);
    const services = run.cluster.processes.map((p) => p.service).sort();
    expect(services).toEqual(['frontend', 'history', 'history', 'matching', 'worker']);
    const info = await s.stack.deps.temporal.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBe('1.29.1');
  });

  it('ping: API → workflow → activity → PostgreSQL → query', async () => {
    const started = await s.stack.http.post('/v1/ping', { message: 'cluster' });
    expect(started.status).toBe(202);
    const done = await eventually(async () => {
      const res = await s.stack.http.get(`/v1/ping/${started.body.id}`);
      return res.body.status === 'completed' ? res.body : undefined;
    }, { timeoutMs: 30_000, what: 'ping completed' });
    expect(done).toMatchObject({ message: 'cluster', status: 'completed' });
  });

  it('shoutout: ordered, accepted, video transcoded, captured, delivered', async () => {
    const clip = path.join(dir, 'clip.mp4');
    await makeClip(clip, { width: 640, height: 360, seconds: 1 });
    const talent = await createTalent(s.stack);
    const fan = await createFan(s.stack);
    const created = await order(s.stack, fan, talent.id);
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await waitForStatus(s.stack, id, fan.token, 'requested');
    expect((await s.stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(200);
    expect((await uploadVideo(s.stack, id, talent.token, clip)).status).toBe(202);
    const done = await waitForStatus(s.stack, id, fan.token, 'delivered', 120_000);
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'authorized', 'accepted', 'video_uploaded', 'captured', 'delivered']);
    const payments = await s.stack.deps.db('payments').where({ kind: 'shoutout', reference: id });
    expect(payments.map((p: { status: string }) => p.status)).toEqual(['captured']);
  }, 180_000);

  it('subscription: charged, premium granted, renewed', async () => {
    const f: BillingFixture = { stack: s.stack, admin };
    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(s.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (sub) => sub.period >= 2, 45_000);
    const charges = await capturedCharges(f, id);
    expect(charges.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([`pay_${id}_p1`, `pay_${id}_p2`]);
    const roles = (await s.stack.deps.db('accounts').where({ id: user.id }).first('roles')).roles;
    expect(roles).toContain('premium');
    await s.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    await waitForSubscription(f, user, id, (sub) => sub.status === 'cancelled');
  }, 90_000);

  it('split saga: charge, three transfers, ledger, notifications', async () => {
    const payer = await createActiveAccount(s.stack.deps);
    const recipients = await createRecipients(s.stack, 3);
    const res = await s.stack.http.post('/v1/split-payments', threeWaySplit(recipients), { token: payer.token, headers: { 'Idempotency-Key': key() } });
    expect(res.status).toBe(201);
    const done = await settled(s.stack, res.body.id, payer.token, 60_000);
    expect(done.status).toBe('succeeded');
    const transfers = await s.stack.deps.db('sandbox_transfers').where({ transfer_group: res.body.workflowId });
    expect(transfers).toHaveLength(3);
    const entries = await s.stack.deps.db('ledger_entries').where({ transaction_id: `${res.body.workflowId}/ledger` });
    expect(entries.reduce((a: number, e: { amount: number }) => a + Number(e.amount), 0)).toBe(0);
  }, 90_000);

  it('Stark Bank: 15 credited invoices leave as one transfer batch', async () => {
    const postsBefore = s.fake.count('POST /v2/transfer');
    const invoices = Array.from({ length: 15 }, (_, i) => s.fake.addInvoice(20_000 + i, 50));
    const answers = await Promise.all(invoices.map((inv) => s.fake.sendWebhook(s.webhookUrl, s.fake.invoiceEvent(inv.id).body)));
    expect(answers.map((a) => a.status)).toEqual(invoices.map(() => 200));
    const ids = invoices.map((i) => i.id);
    await eventually(async () => fakeTransfersFor(s, ids).length === 15, { what: '15 transfers', timeoutMs: 45_000 });
    expect(s.fake.count('POST /v2/transfer') - postsBefore).toBe(1);
  }, 90_000);
});
