import { randomUUID } from 'node:crypto';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { eventText, SentryReceiver } from './sentry-receiver';
import { TelegramReceiver } from './telegram-receiver';

/** POST /v1/admin/alerts/test and GET /v1/admin/alerts on the real API, with Sentry and Telegram as local receivers. */
describe('admin alerts API', () => {
  const telegram = new TelegramReceiver('4242:ops-test', '-1009');
  const sentry = new SentryReceiver({ project: '7', publicKey: 'opskey' });
  const opsMailbox = `ops-${randomUUID().slice(0, 8)}@example.test`;
  let stack: TestStack;
  let admin: TestAccount;
  let fan: TestAccount;

  beforeAll(async () => {
    await telegram.start();
    await sentry.start();
    stack = await startTestStack({
      worker: false,
      env: { SENTRY_DSN: sentry.dsn, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_CHAT_ID: telegram.chatId, TELEGRAM_API_BASE: telegram.url, ALERT_EMAILS: opsMailbox, ALERT_EMAIL_ADMINS: 'false' },
    });
    admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    fan = await createActiveAccount(stack.deps);
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
    await sentry.stop();
  });

  it('sends a test alert through every configured channel and says what each did', async () => {
    const res = await stack.http.post('/v1/admin/alerts/test', { message: 'Wiring check from the test' }, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.channels.map((c: { channel: string }) => c.channel).sort()).toEqual(['email', 'sentry', 'table', 'telegram']);
    expect(res.body.channels.every((c: { ok: boolean }) => c.ok)).toBe(true);

    expect(telegram.messages).toHaveLength(1);
    expect(telegram.messages[0].text).toContain('TEST INFO operations.test');
    expect(telegram.messages[0].text).toContain('Wiring check from the test');

    const events = sentry.events.filter((e) => eventText(e) === 'Wiring check from the test');
    expect(events).toHaveLength(1);
    expect(events[0].event.tags).toMatchObject({ alert_kind: 'operations.test', test: 'true', service: 'test' });

    const mail = await stack.http.get(`/dev/mailbox?to=${encodeURIComponent(opsMailbox)}`);
    expect(mail.body.items).toEqual([expect.objectContaining({ subject: '[Limelight test alert] Wiring check from the test' })]);

    const list = await stack.http.get('/v1/admin/alerts?kind=operations.test', { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ kind: 'operations.test', severity: 'info', subject: 'Wiring check from the test', occurrences: 1, resolvedAt: null });
  });

  it('takes an empty body', async () => {
    const res = await stack.http.request('POST', '/v1/admin/alerts/test', { token: admin.token, headers: { 'content-type': 'application/json' }, raw: '' });
    expect(res.status).toBe(200);
    expect(res.body.channels).toHaveLength(4);
  });

  it('says which channel refused it (a revoked bot token) and still answers', async () => {
    const other = await startTestStack({ worker: false, env: { TELEGRAM_BOT_TOKEN: 'revoked', TELEGRAM_CHAT_ID: telegram.chatId, TELEGRAM_API_BASE: telegram.url, ALERT_EMAIL_ADMINS: 'false' } });
    try {
      const res = await other.http.post('/v1/admin/alerts/test', {}, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.channels).toEqual(expect.arrayContaining([{ channel: 'telegram', ok: false, error: 'telegram sendMessage: Unauthorized' }, { channel: 'table', ok: true }]));
    } finally {
      await other.stop();
    }
  });

  it('lists raised alerts with their occurrence counts, one row per fault key', async () => {
    const key = `test-fault/${randomUUID()}`;
    for (let i = 0; i < 3; i++) stack.deps.ports.alerts.raise({ key, kind: 'workflow.failed', severity: 'error', subject: 'A workflow failed', detail: { i } });
    await stack.deps.ports.alerts.flush();
    const list = await stack.http.get('/v1/admin/alerts?kind=workflow.failed&limit=200', { token: admin.token });
    const row = list.body.items.find((a: { detail: { i?: number }; subject: string }) => a.subject === 'A workflow failed');
    expect(row).toMatchObject({ kind: 'workflow.failed', severity: 'error', occurrences: 3 });
    await eventually(async () => telegram.messages.filter((m) => m.text.includes('A workflow failed')).length === 2, { what: 'first + summary' });
    expect(telegram.messages.filter((m) => m.text.includes('A workflow failed'))[1].text).toContain('×3');
  });

  it('pages the list with a cursor', async () => {
    for (let i = 0; i < 3; i++) stack.deps.ports.alerts.raise({ key: `page/${randomUUID()}`, kind: 'paging.check', subject: `page ${i}` });
    await stack.deps.ports.alerts.flush();
    const first = await stack.http.get('/v1/admin/alerts?kind=paging.check&limit=2', { token: admin.token });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.http.get(`/v1/admin/alerts?kind=paging.check&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: admin.token });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const bad = await stack.http.get('/v1/admin/alerts?cursor=nope', { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('is for admins only, and names a bad field', async () => {
    expect((await stack.http.post('/v1/admin/alerts/test', {})).status).toBe(401);
    expect((await stack.http.post('/v1/admin/alerts/test', {}, { token: fan.token })).status).toBe(403);
    expect((await stack.http.get('/v1/admin/alerts', { token: fan.token })).status).toBe(403);
    const bad = await stack.http.post('/v1/admin/alerts/test', { message: 42 }, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'message' })]);
    expect((await stack.http.get('/v1/admin/alerts?limit=0', { token: admin.token })).status).toBe(400);
  });
});
