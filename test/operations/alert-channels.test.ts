import pino from 'pino';
import { createAlertDispatcher } from '../../providers/alerts/dispatcher';
import type { DeliveredAlert } from '../../providers/alerts/port';
import { SentryAlertChannel } from '../../providers/alerts/sentry';
import { TelegramApiError, TelegramChannel } from '../../providers/alerts/telegram';
import { createErrorReporter } from '../../platform/sentry';
import { eventually } from '../harness/stack';
import { eventText, SentryReceiver } from './sentry-receiver';
import { TelegramReceiver } from './telegram-receiver';

/** The Telegram and Sentry channels and the dedup in front of them, against local receivers speaking the real protocols. */
describe('alert channels', () => {
  const logger = pino({ level: 'silent' });
  const telegram = new TelegramReceiver('123456:TEST-token', '-100777');
  const sentry = new SentryReceiver({ project: '42', publicKey: 'publickey1' });
  const channel = () => new TelegramChannel({ token: telegram.token, chatId: telegram.chatId, apiBase: telegram.url, logger });
  const alert = (over: Partial<DeliveredAlert> = {}): DeliveredAlert => ({ key: 'k', kind: 'payment.capture_failed', severity: 'critical', subject: 'Capture failed', count: 1, firstAt: new Date(), lastAt: new Date(), ...over });

  beforeAll(async () => {
    await telegram.start();
    await sentry.start();
  });
  afterAll(async () => {
    await telegram.stop();
    await sentry.stop();
  });
  beforeEach(() => {
    telegram.messages.length = 0;
    telegram.requests.length = 0;
    sentry.events.length = 0;
  });

  it('posts sendMessage to the chat with the alert as text', async () => {
    await channel().send(alert({ detail: { orderId: 'ord_1' }, aggregateId: 'shoutout-ord_1' }));
    expect(telegram.messages).toHaveLength(1);
    expect(telegram.messages[0].chatId).toBe('-100777');
    expect(telegram.messages[0].text).toContain('CRITICAL payment.capture_failed');
    expect(telegram.messages[0].text).toContain('Capture failed');
    expect(telegram.messages[0].text).toContain('orderId: ord_1');
  });

  it('waits retry_after seconds on a 429 and then delivers', async () => {
    telegram.rateLimit(1, 1);
    const started = Date.now();
    await channel().send(alert());
    expect(telegram.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(telegram.requests[1].at - telegram.requests[0].at).toBeGreaterThanOrEqual(990);
    expect(telegram.messages).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('keeps to one message a second per chat', async () => {
    const c = channel();
    await Promise.all([c.send(alert({ subject: 'a' })), c.send(alert({ subject: 'b' })), c.send(alert({ subject: 'c' }))]);
    const at = telegram.messages.map((m) => m.at);
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(990);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(990);
    expect(telegram.messages.map((m) => m.text.split('\n')[1])).toEqual(['a', 'b', 'c']);
  });

  it('gives up at once on a refused token (retrying cannot help)', async () => {
    const bad = new TelegramChannel({ token: 'wrong', chatId: telegram.chatId, apiBase: telegram.url, logger });
    await expect(bad.send(alert())).rejects.toBeInstanceOf(TelegramApiError);
    expect(telegram.requests).toHaveLength(1);
  });

  it('deduplicates by fault key: the first at once, the rest of the window as one message with the count', async () => {
    const alerts = createAlertDispatcher({ channels: [channel()], logger, windowMs: 1_500 });
    for (let i = 0; i < 5; i++) alerts.raise({ key: 'activity-failed/shoutoutCapture', kind: 'activity.failed_after_retries', severity: 'critical', subject: 'shoutoutCapture failed' });
    alerts.raise({ key: 'other', kind: 'workflow.failed', subject: 'another fault' });
    await eventually(async () => telegram.messages.length === 2, { what: 'the first of each key' });
    expect(telegram.messages[0].text).not.toContain('×');
    await eventually(async () => telegram.messages.length === 3, { timeoutMs: 6_000, what: 'the window summary' });
    expect(telegram.messages[2].text).toContain('shoutoutCapture failed');
    expect(telegram.messages[2].text).toContain('×5');
    await alerts.stop();
    expect(telegram.messages).toHaveLength(3);
  });

  it('sends a repeated-failure alert only once it reaches its threshold', async () => {
    const alerts = createAlertDispatcher({ channels: [channel()], logger, windowMs: 60_000 });
    const raise = () => alerts.raise({ key: 'workflow-failed/starkbank-invoices', kind: 'schedule.failing_repeatedly', subject: 'schedule keeps failing', minOccurrences: 3 });
    raise();
    raise();
    await new Promise((r) => setTimeout(r, 300));
    expect(telegram.messages).toHaveLength(0);
    raise();
    await eventually(async () => telegram.messages.length === 1, { what: 'the threshold alert' });
    expect(telegram.messages[0].text).toContain('×3');
    await alerts.stop();
  });

  it('never throws into the caller when a channel fails', async () => {
    const alerts = createAlertDispatcher({ channels: [new TelegramChannel({ token: 'wrong', chatId: '1', apiBase: telegram.url, logger })], logger, windowMs: 1_000 });
    expect(() => alerts.raise({ key: 'x', kind: 'x', subject: 'x' })).not.toThrow();
    await alerts.stop();
  });

  it('sends an alert to Sentry as a message event at /api/<project>/envelope/', async () => {
    const reporter = createErrorReporter({ SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: 'ops-test', NODE_ENV: 'test' }, 'worker');
    await new SentryAlertChannel(reporter).send(alert({ key: 'starkbank/transfer-batch-refused/b1', kind: 'starkbank.transfer_batch_refused', subject: 'Batch b1 refused', count: 2 }));
    expect(sentry.events).toHaveLength(1);
    const e = sentry.events[0];
    expect(eventText(e)).toBe('Batch b1 refused');
    expect(e.event.level).toBe('fatal');
    expect(e.event.tags).toMatchObject({ alert_kind: 'starkbank.transfer_batch_refused', alert_key: 'starkbank/transfer-batch-refused/b1', service: 'worker' });
    expect(e.event.extra).toMatchObject({ count: 2 });
    expect(e.event.environment).toBe('ops-test');
  });
});
