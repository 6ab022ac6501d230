import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { temporalBinary } from '../../platform/tools';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent, order, waitForStatus } from '../shoutouts/helpers';
import { CODEC_KEY_1, CODEC_KEY_2, CODEC_KEYS_ROTATED } from './codec-keys';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const UI = 'http://localhost:8233';

interface HistoryEvent {
  eventType: string;
  [attributes: string]: unknown;
}

/**
 * Payloads are ciphertext in Temporal: a shoutout's history, read with the Temporal CLI, has no
 * fan email in it; the /codec endpoint (admins, the Temporal UI's origin) decodes it; after a key
 * rotation the old workflow goes on and stays readable.
 */
describe('encrypted workflow payloads', () => {
  let stack: TestStack;
  let admin: TestAccount;
  const instructions = `Sing the secret word ${Math.random().toString(36).slice(2, 10)}`;

  const cli = async (args: string[]) => (await run(temporalBinary(path.join(ROOT, '.tools')), [...args, '--address', process.env.TEST_TEMPORAL_ADDRESS!], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const history = async (workflowId: string, codec?: { url: string; token: string }) =>
    cli(['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', ...(codec ? ['--codec-endpoint', `${codec.url}/codec`, '--codec-auth', `Bearer ${codec.token}`] : [])]);
  /** The workflow's input payload as the server stores it. */
  const startPayload = async (workflowId: string) => {
    const events = (JSON.parse(await history(workflowId)) as { events: HistoryEvent[] }).events;
    const started = events[0].workflowExecutionStartedEventAttributes as { input: { payloads: { metadata: Record<string, string>; data: string }[] } };
    return started.input.payloads[0];
  };
  /** Every payload's data in a history, decoded from base64 and joined (what an operator reads). */
  const payloadText = (json: string) => {
    const out: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (Array.isArray(o.payloads)) for (const p of o.payloads as { data?: string }[]) out.push(Buffer.from(p.data ?? '', 'base64').toString('utf8'));
        Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(json));
    return out.join('\n');
  };
  const keyIds = async (workflowId: string) => [...(await history(workflowId)).matchAll(/"encryption-key-id":\s*"([^"]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString());

  beforeAll(async () => {
    stack = await startTestStack({ env: { TEMPORAL_CODEC_KEYS: CODEC_KEY_1, SHOUTOUT_TURNAROUND: '10m' } });
    admin = await createActiveAccount(stack.deps, { kind: 'fan', roles: ['admin'] });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps emails, names and instructions out of the history, and decodes them for admins', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id, { instructions });
    expect(created.status).toBe(201);
    await waitForStatus(stack, created.body.id, fan.token, 'requested');
    const workflowId = `shoutout-${created.body.id}`;

    const raw = await history(workflowId);
    expect(raw).not.toContain(fan.email);
    expect(raw).not.toContain(talent.email);
    expect(raw).not.toContain(instructions);
    expect(raw).not.toContain(Buffer.from(fan.email).toString('base64').slice(0, 16));
    expect(new Set(await keyIds(workflowId))).toEqual(new Set(['test-2026-01']));

    // The Temporal CLI (like the UI) shows it decrypted through the codec endpoint, with an admin token.
    const decoded = payloadText(await history(workflowId, { url: stack.api!.url, token: admin.token }));
    expect(payloadText(raw)).not.toContain(fan.email);
    expect(decoded).toContain(fan.email);
    expect(decoded).toContain(instructions);

    const payload = await startPayload(workflowId);
    const res = await stack.http.post('/codec/decode', { payloads: [payload] }, { token: admin.token, headers: { 'X-Namespace': 'default' } });
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body.payloads[0].data, 'base64').toString()).toContain(fan.email);
    expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    // Encode is the reverse, under the current key.
    const encoded = await stack.http.post('/codec/encode', { payloads: res.body.payloads }, { token: admin.token });
    expect(Buffer.from(encoded.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('test-2026-01');

    expect((await stack.http.post('/codec/decode', { payloads: [payload] })).status).toBe(401);
    expect((await stack.http.post('/codec/decode', { payloads: [payload] }, { token: fan.token })).status).toBe(403);
    expect((await stack.http.post('/codec/decode', { payloads: 'nope' }, { token: admin.token })).status).toBe(400);
  }, 60_000);

  it('answers CORS for the Temporal UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.api!.url}/codec/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' } });
    const ui = await preflight(UI);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ui.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('after a key rotation, the old workflow goes on, new payloads use the new key, old ones still decode', async () => {
    const fan = await createFan(stack);
    const talent = await createTalent(stack);
    const created = await order(stack, fan, talent.id, { instructions });
    await waitForStatus(stack, created.body.id, fan.token, 'requested');
    const workflowId = `shoutout-${created.body.id}`;
    const oldPayload = await startPayload(workflowId);

    // Deploy with the new key first: same task queues, so the new worker picks the old workflow up.
    const queues = { TASK_QUEUE: stack.config.TASK_QUEUE, MEDIA_TASK_QUEUE: stack.config.MEDIA_TASK_QUEUE };
    await stack.stop();
    stack = await startTestStack({ env: { TEMPORAL_CODEC_KEYS: CODEC_KEYS_ROTATED, SHOUTOUT_TURNAROUND: '10m', ...queues } });

    const declined = await stack.http.post(`/v1/shoutouts/${created.body.id}/decline`, { reason: 'on holiday' }, { token: talent.token });
    expect(declined.status).toBe(200);
    await waitForStatus(stack, created.body.id, fan.token, 'declined');
    const ids = await keyIds(workflowId);
    expect(ids).toContain('test-2026-01');
    expect(ids).toContain('test-2026-11');
    expect(await history(workflowId)).not.toContain(fan.email);
    expect(payloadText(await history(workflowId, { url: stack.api!.url, token: admin.token }))).toContain('on holiday');

    const res = await stack.http.post('/codec/decode', { payloads: [oldPayload] }, { token: admin.token });
    expect(Buffer.from(res.body.payloads[0].data, 'base64').toString()).toContain(fan.email);

    // A deployment that dropped the old key cannot read it, and says so.
    const forgetful = await startTestStack({ worker: false, env: { TEMPORAL_CODEC_KEYS: CODEC_KEY_2 } });
    try {
      const refused = await forgetful.http.post('/codec/decode', { payloads: [oldPayload] }, { token: admin.token });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain('test-2026-01');
    } finally {
      await forgetful.stop();
    }
  }, 90_000);
});
