import fs from 'node:fs';
import path from 'node:path';
import type { TestAccount } from '../harness/accounts';
import { createActiveAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import {
  createFan,
  createTalent,
  grayFrame,
  ledgerFor,
  makeClip,
  makeUndecodableClip,
  meanDifference,
  order,
  paymentEventTypes,
  probe,
  tmpDir,
  uploadVideo,
  waitForEmail,
  waitForStatus,
} from './helpers';

/** Order → accept → upload a real ffmpeg clip → transcoded, captured, delivered; on the real stack. */
describe('shoutout delivery (real API, Temporal, worker, ffmpeg, PostgreSQL)', () => {
  let stack: TestStack;
  let dir: string;
  let clip: string;
  let talent: TestAccount & { displayName: string };
  let fan: TestAccount;

  beforeAll(async () => {
    dir = tmpDir('shoutout-delivery');
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '120s', STORAGE_DIR: path.join(dir, 'storage'), SHOUTOUT_TRANSCODE_HEARTBEAT_TIMEOUT: '5s' } });
    clip = path.join(dir, 'clip.mp4');
    await makeClip(clip, { width: 1920, height: 1080, seconds: 2 });
    talent = await createTalent(stack);
    fan = await createFan(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function acceptedOrder(): Promise<string> {
    const created = await order(stack, fan, talent.id);
    expect(created.status).toBe(201);
    await waitForStatus(stack, created.body.id, fan.token, 'requested');
    const accepted = await stack.http.post(`/v1/shoutouts/${created.body.id}/accept`, undefined, { token: talent.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    return created.body.id;
  }

  it('delivers a watermarked H.264 video, captures once and balances the ledger', async () => {
    const created = await order(stack, fan, talent.id);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'authorizing', price: { amount: 5000, currency: 'USD' } });
    const id: string = created.body.id;
    expect(created.body.workflowId).toBe(`shoutout-${id}`);

    await waitForStatus(stack, id, fan.token, 'requested');
    const request = await waitForEmail(stack, talent.email, 'shoutout-requested');
    expect(request.text).toContain(`/v1/shoutouts/${id}`);

    // Accept is a workflow update: only once, and only by this talent.
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(200);
    const again = await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    // Too late to cancel once accepted.
    expect((await stack.http.post(`/v1/shoutouts/${id}/cancel`, {}, { token: fan.token })).status).toBe(409);

    const uploaded = await uploadVideo(stack, id, talent.token, clip);
    expect(uploaded.status).toBe(202);
    expect(uploaded.body.upload).toMatchObject({ width: 1920, height: 1080 });

    const done = await waitForStatus(stack, id, fan.token, 'delivered', 90_000);
    expect(done.videoUrl).toBe(`/v1/shoutouts/${id}/video`);
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'authorized', 'accepted', 'video_uploaded', 'captured', 'delivered']);

    // The fan's email carries the link.
    const delivered = await waitForEmail(stack, fan.email, 'shoutout-delivered');
    expect(delivered.text).toContain(`/v1/shoutouts/${id}/video`);

    // The output: H.264, long side ≤ 1280, smaller than the upload, watermark in the corner.
    const res = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const out = path.join(dir, `${id}.mp4`);
    fs.writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    const info = await probe(out);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    expect(video.codec_name).toBe('h264');
    expect(Math.max(Number(video.width), Number(video.height))).toBeLessThanOrEqual(1280);
    expect(info.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(true);
    expect(fs.statSync(out).size).toBeLessThan(fs.statSync(clip).size);

    const [w, h] = [Number(video.width), Number(video.height)];
    const [src, dst] = await Promise.all([grayFrame(clip, 1, w, h), grayFrame(out, 1, w, h)]);
    const corner = { x: Math.round(w * 0.8), y: Math.round(h * 0.88), w: Math.round(w * 0.15), h: Math.round(h * 0.08) };
    const elsewhere = { x: Math.round(w * 0.05), y: Math.round(h * 0.05), w: corner.w, h: corner.h };
    const markDiff = meanDifference(src, dst, w, corner);
    const plainDiff = meanDifference(src, dst, w, elsewhere);
    expect(markDiff).toBeGreaterThan(8);
    expect(markDiff).toBeGreaterThan(plainDiff * 3);

    // Range requests.
    const size = fs.statSync(out).size;
    const part = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${talent.token}`, range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fs.readFileSync(out).subarray(100, 200));
    const tail = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}`, range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect((await tail.arrayBuffer()).byteLength).toBe(10);
    const beyond = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}`, range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    const poster = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/poster`, { headers: { authorization: `Bearer ${fan.token}` } });
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // Authorised and captured exactly once, at the provider and in our records.
    const intents = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'orderId' = ?`, [id]);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ status: 'succeeded', amount_captured: 5000 });
    const events = await paymentEventTypes(stack, id);
    expect(events.filter((t) => t === 'payment.authorized')).toHaveLength(1);
    expect(events.filter((t) => t === 'payment.captured')).toHaveLength(1);

    // The ledger: fan payment = talent share + platform fee (25 %), balanced.
    const entries = await ledgerFor(stack, id);
    expect(entries.reduce((sum: number, e: { amount: number }) => sum + Number(e.amount), 0)).toBe(0);
    const by = Object.fromEntries(entries.map((e: { account: string; amount: number }) => [e.account, Number(e.amount)]));
    expect(by).toEqual({ [`customer:${fan.id}`]: -5000, [`talent:${talent.id}:payable`]: 3750, 'platform:fees': 1250 });

    // After the workflow closed, the order reads from PostgreSQL with the same timeline.
    const closed = await eventually(async () => {
      const r = await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token });
      return r.body.source === 'database' ? r.body : undefined;
    });
    expect(closed.timeline.map((e: { type: string }) => e.type)).toEqual(done.timeline.map((e: { type: string }) => e.type));
    expect(closed).toMatchObject({ status: 'delivered', platformFee: { amount: 1250 }, talentShare: { amount: 3750 } });

    // Admin partial refund, then the rest: ledger reversed, fan emailed.
    const admin = await createActiveAccount(stack.deps, { kind: 'fan', roles: ['admin'] });
    expect((await stack.http.post(`/v1/admin/shoutouts/${id}/refund`, { reason: 'nope' }, { token: fan.token })).status).toBe(403);
    const partial = await stack.http.post(`/v1/admin/shoutouts/${id}/refund`, { amount: 1000, reason: 'audio glitch' }, { token: admin.token });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ status: 'succeeded', amount: { amount: 1000, currency: 'USD' }, refunded: { amount: 1000 } });
    expect((await stack.http.post(`/v1/admin/shoutouts/${id}/refund`, { amount: 4001, reason: 'too much' }, { token: admin.token })).status).toBe(422);
    const rest = await stack.http.post(`/v1/admin/shoutouts/${id}/refund`, { reason: 'goodwill' }, { token: admin.token });
    expect(rest.status).toBe(201);
    expect(rest.body.amount.amount).toBe(4000);
    expect((await stack.http.post(`/v1/admin/shoutouts/${id}/refund`, { reason: 'again' }, { token: admin.token })).status).toBe(409);
    await waitForEmail(stack, fan.email, 'shoutout-refunded');
    const after = await ledgerFor(stack, id);
    const balance = (account: string) => after.filter((e: { account: string }) => e.account === account).reduce((s: number, e: { amount: number }) => s + Number(e.amount), 0);
    expect(balance(`customer:${fan.id}`)).toBe(0);
    expect(balance(`talent:${talent.id}:payable`)).toBe(0);
    expect(balance('platform:fees')).toBe(0);
    const refunded = await stack.http.get(`/v1/shoutouts/${id}`, { token: fan.token });
    expect(refunded.body).toMatchObject({ status: 'refunded', refunded: { amount: 5000 } });
    const intent = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'orderId' = ?`, [id]).first();
    expect(Number(intent.amount_refunded)).toBe(5000);
  }, 150_000);

  it('lets only this order’s talent accept/upload and only its fan, talent or an admin download (403)', async () => {
    const other = await createTalent(stack);
    const stranger = await createFan(stack);
    const created = await order(stack, fan, talent.id);
    const id = created.body.id;
    await waitForStatus(stack, id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: other.token })).status).toBe(403);
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: fan.token })).status).toBe(403);
    expect((await stack.http.post(`/v1/shoutouts/${id}/decline`, { reason: 'x' }, { token: other.token })).status).toBe(403);
    expect((await stack.http.post(`/v1/shoutouts/${id}/cancel`, {}, { token: stranger.token })).status).toBe(403);
    expect((await stack.http.get(`/v1/shoutouts/${id}`, { token: stranger.token })).status).toBe(403);
    // Uploading before accepting is a state conflict; by someone else, forbidden.
    expect((await uploadVideo(stack, id, talent.token, clip)).status).toBe(409);
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(200);
    expect((await uploadVideo(stack, id, other.token, clip)).status).toBe(403);
    expect((await uploadVideo(stack, id, fan.token, clip)).status).toBe(403);
    for (const who of [stranger, other]) {
      expect((await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${who.token}` } })).status).toBe(403);
    }
    // Not delivered yet: nothing to download for the fan either.
    expect((await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}` } })).status).toBe(404);
    expect((await stack.http.post(`/v1/shoutouts/${id}/decline`, { reason: 'changed my mind' }, { token: talent.token })).status).toBe(409);
  }, 60_000);

  it('rejects a non-video upload with 422 and stores nothing', async () => {
    const id = await acceptedOrder();
    const text = path.join(dir, 'notes.mp4');
    fs.writeFileSync(text, 'this is not a video at all\n'.repeat(100));
    const res = await uploadVideo(stack, id, talent.token, text);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('video');
    const uploads = path.join(dir, 'storage', 'shoutouts', id, 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads).filter((f) => !f.startsWith('.')) : []).toEqual([]);
    const state = await stack.http.get(`/v1/shoutouts/${id}`, { token: talent.token });
    expect(state.body.status).toBe('accepted');
  }, 60_000);

  it('asks for another upload after an unreadable video, then delivers the good one', async () => {
    const id = await acceptedOrder();
    const broken = path.join(dir, 'broken.mp4');
    await makeUndecodableClip(broken);
    expect((await uploadVideo(stack, id, talent.token, broken)).status).toBe(202);
    const mail = await waitForEmail(stack, talent.email, 'shoutout-video-unreadable', 60_000);
    expect(mail.text).toContain('upload it again');
    await waitForStatus(stack, id, talent.token, 'accepted');
    expect((await uploadVideo(stack, id, talent.token, clip)).status).toBe(202);
    const done = await waitForStatus(stack, id, fan.token, 'delivered', 90_000);
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(['ordered', 'authorized', 'accepted', 'video_uploaded', 'video_rejected', 'video_uploaded', 'captured', 'delivered']);
    expect((await paymentEventTypes(stack, id)).filter((t) => t === 'payment.captured')).toHaveLength(1);
  }, 150_000);

  it('completes with one capture when the worker is stopped mid-transcode and started again', async () => {
    const id = await acceptedOrder();
    expect((await uploadVideo(stack, id, talent.token, clip)).status).toBe(202);
    await waitForStatus(stack, id, talent.token, 'processing');
    await stack.stopWorker();
    await stack.startWorker();
    await waitForStatus(stack, id, fan.token, 'delivered', 120_000);
    const intents = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'orderId' = ?`, [id]);
    expect(intents).toHaveLength(1);
    expect(intents[0].status).toBe('succeeded');
    expect((await paymentEventTypes(stack, id)).filter((t) => t === 'payment.captured')).toHaveLength(1);
    const entries = await ledgerFor(stack, id);
    expect(entries).toHaveLength(3);
  }, 180_000);
});
