import { SmtpMailer } from '../../providers/email/smtp';
import { PermanentMailError } from '../../providers/email/port';
import { renderEmail } from '../../activities/email/templates';
import { signupWorkflowId } from '../../api/routes/accounts/signup';
import { createDb, type Db } from '../../platform/db';
import { createLogger } from '../../platform/logger';
import { signupStateQuery } from '../../workflows/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { otherCode, signUp, uniqueEmail } from './helpers';
import { startSmtpFixture, type SmtpFixture } from './smtp-fixture';

const FROM = 'Limelight <no-reply@limelight.test>';

describe('SMTP mailer against a real SMTP server on loopback', () => {
  let smtp: SmtpFixture;
  let db: Db;
  let mailer: SmtpMailer;
  beforeAll(async () => {
    smtp = await startSmtpFixture();
    db = createDb(process.env.TEST_DATABASE_URL!, 2);
    mailer = new SmtpMailer(db, createLogger({ LOG_LEVEL: 'silent' }, 'test'), { url: smtp.url, from: FROM, timeoutMs: 5000 });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
    await db.destroy();
  });

  const message = (to: string) => ({ ...renderEmail('verification-code', { name: 'Bea', code: '424242', validFor: '15 minutes' }), to, kind: 'verification-code' });

  it('delivers a rendered template: recipient, subject, text and HTML bodies', async () => {
    const to = uniqueEmail('smtp');
    const key = `test/${to}/1`;
    const { messageId } = await mailer.send(message(to), { idempotencyKey: key });
    const [mail] = smtp.to(to);
    expect(mail.to).toEqual([to]);
    expect(mail.from).toBe('no-reply@limelight.test');
    expect(mail.subject).toBe('Your Limelight verification code: 424242');
    expect(mail.text).toContain('Hi Bea,');
    expect(mail.text).toContain('424242');
    expect(mail.text).toContain('valid for 15 minutes');
    expect(mail.html).toContain('424242');
    expect(mail.html).toContain('Limelight');
    expect(mail.messageId).toBe(messageId);
    const row = await db('email_messages').where({ idempotency_key: key }).first();
    expect(row).toMatchObject({ transport: 'smtp', status: 'sent', to, kind: 'verification-code', attempts: 1, provider_message_id: messageId });
    // The body (with its code) is not kept for SMTP sends.
    expect(row.text).toBeNull();
  });

  it('sends once per idempotency key: a retried send returns the first result', async () => {
    const to = uniqueEmail('once');
    const first = await mailer.send(message(to), { idempotencyKey: `test/${to}` });
    const second = await mailer.send(message(to), { idempotencyKey: `test/${to}` });
    expect(second).toEqual(first);
    expect(smtp.to(to)).toHaveLength(1);
  });

  it('turns a 5xx rejection into a PermanentMailError and records it', async () => {
    const to = uniqueEmail('bounce');
    smtp.reject.set(to, 550);
    const error = await mailer.send(message(to), { idempotencyKey: `test/${to}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentMailError);
    expect((error as PermanentMailError).responseCode).toBe(550);
    const row = await db('email_messages').where({ idempotency_key: `test/${to}` }).first();
    expect(row).toMatchObject({ status: 'failed', response_code: 550, failed_at: expect.any(Date) });
    expect(row.error).toContain('No such mailbox');
  });

  it('leaves a 4xx retryable: the error is not permanent and the next attempt delivers once', async () => {
    const to = uniqueEmail('grey');
    smtp.failOnce.add(to);
    const error = await mailer.send(message(to), { idempotencyKey: `test/${to}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentMailError);
    expect((await db('email_messages').where({ idempotency_key: `test/${to}` }).first()).response_code).toBe(451);
    await mailer.send(message(to), { idempotencyKey: `test/${to}` });
    expect(smtp.to(to)).toHaveLength(1);
    expect((await db('email_messages').where({ idempotency_key: `test/${to}` }).first()).attempts).toBe(2);
  });
});

describe('signup with SMTP_URL: the worker mails through SMTP', () => {
  let smtp: SmtpFixture;
  let stack: TestStack;
  beforeAll(async () => {
    smtp = await startSmtpFixture();
    stack = await startTestStack({ env: { SMTP_URL: smtp.url, MAIL_FROM: FROM } });
  });
  afterAll(async () => {
    await stack.stop();
    await smtp.close();
  });

  it('emails the code over SMTP and verifies with it', async () => {
    const { id, email } = await signUp(stack);
    const mail = await eventually(async () => smtp.to(email)[0], { what: 'code over SMTP' });
    const code = /\b(\d{6})\b/.exec(mail.text)![1];
    expect(mail.subject).toBe(`Your Limelight verification code: ${code}`);
    expect((await stack.http.post('/v1/accounts/verify', { email, code: otherCode(code) })).status).toBe(422);
    expect((await stack.http.post('/v1/accounts/verify', { email, code })).status).toBe(200);
    expect((await stack.deps.db('accounts').where({ id }).first()).status).toBe('active');
  });

  it('does not retry a permanent SMTP rejection: the activity fails for good after one attempt, and it is recorded', async () => {
    const email = uniqueEmail('rejected');
    smtp.reject.set(email, 550);
    const { id } = await signUp(stack, email);
    const handle = stack.deps.temporal.workflow.getHandle(signupWorkflowId(id));
    const state = await eventually(async () => {
      const s = await handle.query(signupStateQuery);
      return s.lastSendError ? s : undefined;
    }, { what: 'send failure in signup state' });
    expect(state.lastSendError).toContain('550');

    const events = (await handle.fetchHistory()).events ?? [];
    const failed = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes;
    const started = events.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(failed?.failure?.applicationFailureInfo).toMatchObject({ type: 'PermanentMailError', nonRetryable: true });
    expect(started?.attempt).toBe(1);
    expect(smtp.to(email)).toHaveLength(0);
    const row = await stack.deps.db('email_messages').where({ to: email }).first();
    expect(row).toMatchObject({ status: 'failed', response_code: 550, kind: 'verification-code' });
  });

  it('retries a transient 4xx and then delivers exactly once', async () => {
    const email = uniqueEmail('greylisted');
    smtp.failOnce.add(email);
    await signUp(stack, email);
    await eventually(async () => smtp.to(email).length === 1, { what: 'delivery after retry' });
    const row = await stack.deps.db('email_messages').where({ to: email }).first();
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
