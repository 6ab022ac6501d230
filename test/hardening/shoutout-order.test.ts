import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { renderEmail } from '../../activities/email/templates';
import { publicBaseUrl } from '../../platform/config';
import type { TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent, makeClip, order, tmpDir, uploadVideo, waitForEmail, waitForStatus } from '../shoutouts/helpers';

/** Sends a request by hand (fetch may not set Host, nor stop half-way through a body). */
function rawRequest(url: string, options: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + options.path, { method: options.method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Findings 1, 3, 4 and 5 of the hardening issue, on a real order: the upload route authenticates
 * before reading a body; email links never follow the Host header; user text is never template;
 * an unsatisfiable Range is a 416 problem.
 */
describe('hardening: a shoutout order end to end', () => {
  let stack: TestStack;
  let dir: string;
  let talent: TestAccount & { displayName: string };
  let fan: TestAccount;

  beforeAll(async () => {
    dir = tmpDir('hardening-order');
    stack = await startTestStack({ env: { SHOUTOUT_TURNAROUND: '120s', STORAGE_DIR: path.join(dir, 'storage') } });
    talent = await createTalent(stack);
    fan = await createFan(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a request, writes 64 KB of a body it never finishes, and resolves with the answer (or fails after 5 s). */
  function halfSentRequest(path: string, headers: Record<string, string | number>): Promise<{ status: number; type: string }> {
    const url = new URL(stack.api!.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers });
      req.write(Buffer.alloc(64 * 1024, 0x20));
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']) });
        req.destroy();
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no answer within 5 s: the API is reading the body before authenticating')), 5000).unref();
    });
  }

  it('finding 1: an anonymous upload with a JSON body and an Idempotency-Key is answered 401 before its body is read', async () => {
    // Chunked (no Content-Length): nothing to refuse up front; only authenticating first answers before the body ends.
    const chunked = await halfSentRequest('/v1/shoutouts/sho_anything/video', { 'content-type': 'application/json', 'idempotency-key': 'k-anonymous-upload' });
    expect(chunked).toEqual({ status: 401, type: 'application/problem+json' });
    // A declared 25 MB: refused at once too (by its Content-Length or for want of a token), never read.
    const declared = await halfSentRequest('/v1/shoutouts/sho_anything/video', { 'content-type': 'application/json', 'content-length': 25 * 1024 * 1024, 'idempotency-key': 'k-anonymous-upload' });
    expect([401, 413]).toContain(declared.status);
    expect(declared.type).toBe('application/problem+json');
    expect(await stack.deps.db('idempotency_keys').where({ key: 'k-anonymous-upload' })).toHaveLength(0);
  });

  it('finding 1: an authenticated non-multipart body on the streamed upload route is bounded by BODY_LIMIT_BYTES', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(stack.config.BODY_LIMIT_BYTES + 10) });
    const res = await stack.http.request('POST', '/v1/shoutouts/sho_anything/video', { raw: big, token: talent.token, headers: { 'content-type': 'application/json', 'Idempotency-Key': 'k-big-upload' } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('findings 4 and 5: email links come from configuration, not Host; `{{ secret }}` in instructions is text; the order goes on', async () => {
    const instructions = 'Please say {{ secret }} and {{{ raw }}} twice';
    const body = JSON.stringify({ talentId: talent.id, recipientName: 'Ana', occasion: 'birthday', instructions, paymentMethod: 'pm_card_visa' });
    const created = await rawRequest(stack.api!.url, {
      method: 'POST',
      path: '/v1/shoutouts',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', authorization: `Bearer ${fan.token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.text).id as string;

    const mail = await waitForEmail(stack, talent.email, 'shoutout-requested');
    expect(mail.text).not.toContain('evil.example');
    expect(mail.text).toContain(`${publicBaseUrl(stack.config)}/v1/shoutouts/${id}`);
    expect(mail.text).toContain(instructions);

    // The order carries on: the talent can accept it (no failed email holding the workflow).
    await waitForStatus(stack, id, fan.token, 'requested');
    const accepted = await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token });
    expect(accepted.status).toBe(200);
  });

  it('finding 5: templates are filled once (unit: text and HTML keep user text as data)', () => {
    const vars = { talentName: 'T', fanName: '{{ talentName }}', recipientName: 'Ana', occasion: 'x', instructions: '{{ secret }} {{{content}}}', businessUse: 'no', price: '$1', deadline: 'soon', orderUrl: 'https://a.example/o' };
    const email = renderEmail('shoutout-requested', vars);
    expect(email.text).toContain('{{ talentName }} ordered');
    expect(email.text).toContain('{{ secret }} {{{content}}}');
    expect(email.html).toContain('{{ secret }} {{{content}}}');
    const missing: Record<string, string> = { ...vars };
    delete missing.orderUrl;
    expect(() => renderEmail('shoutout-requested', missing)).toThrow(/orderUrl/);
  });

  it('finding 3: an unsatisfiable Range is a 416 problem naming Range, with Content-Range bytes */size', async () => {
    const created = await order(stack, fan, talent.id);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitForStatus(stack, id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${id}/accept`, undefined, { token: talent.token })).status).toBe(200);
    const clip = path.join(dir, 'clip.mp4');
    await makeClip(clip, { width: 320, height: 240, seconds: 1 });
    expect((await uploadVideo(stack, id, talent.token, clip)).status).toBe(202);
    await waitForStatus(stack, id, fan.token, 'delivered', 90_000);

    const whole = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}` } });
    const size = (await whole.arrayBuffer()).byteLength;
    for (const range of ['bytes=-0', 'bytes=999999999-', 'bytes=5-4', `bytes=${size}-`]) {
      const res = await stack.http.get(`/v1/shoutouts/${id}/video`, { token: fan.token, headers: { range } });
      expect({ range, status: res.status, type: res.headers.get('content-type') }).toEqual({ range, status: 416, type: 'application/problem+json' });
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
      expect(res.body).toMatchObject({ status: 416, errors: [{ field: 'Range', message: expect.any(String) }] });
    }
    const partial = await fetch(`${stack.api!.url}/v1/shoutouts/${id}/video`, { headers: { authorization: `Bearer ${fan.token}`, range: 'bytes=0-9' } });
    expect(partial.status).toBe(206);
    expect((await partial.arrayBuffer()).byteLength).toBe(10);
  }, 120_000);
});
