import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, type TestStack } from '../harness/stack';

const run = promisify(execFile);

export const tmpDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `limelight-${name}-`));

/** A talent account with a profile. */
export async function createTalent(stack: TestStack, profile: Record<string, unknown> = {}): Promise<TestAccount & { displayName: string }> {
  const account = await createActiveAccount(stack.deps, { kind: 'talent' });
  const displayName = (profile.displayName as string | undefined) ?? `Star ${account.id.slice(-6)}`;
  const res = await stack.http.put('/v1/talents/me', { displayName, bio: 'I sing.', category: 'music', price: { amount: 5000, currency: 'USD' }, turnaroundDays: 7, ...profile }, { token: account.token });
  if (res.status !== 200) throw new Error(`PUT /v1/talents/me → ${res.status} ${res.text}`);
  return { ...account, displayName };
}

export const createFan = (stack: TestStack) => createActiveAccount(stack.deps, { kind: 'fan' });

export async function order(stack: TestStack, fan: TestAccount, talentId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return stack.http.post('/v1/shoutouts', { talentId, recipientName: 'Ana', occasion: 'birthday', instructions: 'Say happy birthday!', paymentMethod: 'pm_card_visa', ...extra }, { token: fan.token, headers });
}

export async function waitForStatus(stack: TestStack, id: string, token: string, status: string | string[], timeoutMs = 30_000) {
  const wanted = Array.isArray(status) ? status : [status];
  return eventually(
    async () => {
      const res = await stack.http.get(`/v1/shoutouts/${id}`, { token });
      return wanted.includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 150, what: `shoutout ${id} to be ${wanted.join('|')}` },
  );
}

/** Emails to `to` from the mail port's outbox, oldest first. */
export async function emailsTo(stack: TestStack, to: string): Promise<{ kind: string; subject: string; text: string; idempotency_key: string }[]> {
  return stack.deps.db('email_messages').where({ to }).orderBy('created_at').select('kind', 'subject', 'text', 'idempotency_key');
}

export async function waitForEmail(stack: TestStack, to: string, kind: string, timeoutMs = 20_000) {
  return eventually(async () => (await emailsTo(stack, to)).find((m) => m.kind === kind), { timeoutMs, what: `${kind} email to ${to}` });
}

/** ffmpeg testsrc + sine: a real clip. */
export async function makeClip(file: string, options: { width: number; height: number; seconds: number; crf?: number; faststart?: boolean }): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${options.width}x${options.height}:rate=25:duration=${options.seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${options.seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(options.crf ?? 18), '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
    ...(options.faststart ? ['-movflags', '+faststart'] : []),
    file,
  ]);
}

/** A file ffprobe reads as an H.264 MP4 (moov intact) whose frames cannot be decoded (mdat zeroed). */
export async function makeUndecodableClip(file: string): Promise<void> {
  await makeClip(file, { width: 320, height: 240, seconds: 1, faststart: true });
  const bytes = fs.readFileSync(file);
  const mdat = bytes.indexOf('mdat');
  bytes.fill(0, mdat + 4);
  fs.writeFileSync(file, bytes);
}

export async function probe(file: string): Promise<{ streams: Record<string, unknown>[]; format: Record<string, unknown> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(stdout);
}

/** One frame (at `seconds`) as gray pixels, scaled to width × height. */
export async function grayFrame(file: string, seconds: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout as unknown as Buffer;
}

export function meanDifference(a: Buffer, b: Buffer, width: number, region: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = region.y; y < region.y + region.h; y++) for (let x = region.x; x < region.x + region.w; x++) sum += Math.abs(a[y * width + x] - b[y * width + x]);
  return sum / (region.w * region.h);
}

/** POST multipart `video` as the talent (fetch streams the form). */
export async function uploadVideo(stack: TestStack, id: string, token: string, file: string, type = 'video/mp4') {
  const form = new FormData();
  form.append('video', new Blob([fs.readFileSync(file)], { type }), path.basename(file));
  const res = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function paymentsOf(stack: TestStack, orderId: string) {
  return stack.deps.db('payments').where({ kind: 'shoutout', reference: orderId }).orderBy('id');
}

export async function paymentEventTypes(stack: TestStack, orderId: string): Promise<string[]> {
  const rows = await stack.deps.db('payment_events').join('payments', 'payments.id', 'payment_events.payment_id').where({ 'payments.reference': orderId, 'payments.kind': 'shoutout' }).orderBy('payment_events.created_at').select('payment_events.type');
  return rows.map((r: { type: string }) => r.type);
}

export async function ledgerFor(stack: TestStack, orderId: string) {
  return stack.deps.db('ledger_entries').join('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.transaction_id').where({ 'ledger_transactions.reference': orderId }).select('ledger_transactions.id as tx', 'kind', 'account', 'amount', 'currency');
}
