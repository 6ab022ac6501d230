import { newId } from '../../domain/ids';
import type { Db } from '../../platform/db';
import type { MailMessage } from './port';

/** A row of `email_messages`: one per idempotency key, whatever the transport. */
export interface EmailRecord {
  id: string;
  idempotency_key: string;
  transport: 'outbox' | 'smtp';
  kind: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  status: 'sending' | 'sent' | 'failed';
  provider_message_id: string | null;
  attempts: number;
  error: string | null;
  response_code: number | null;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
}

/**
 * Claims the idempotency key: the first call inserts the row, later calls (activity retries) get
 * the same row back and see whether the message already went out.
 */
export async function claimEmail(db: Db, transport: EmailRecord['transport'], message: MailMessage, idempotencyKey: string, keepBody: boolean, status: EmailRecord['status'] = 'sending'): Promise<EmailRecord> {
  const [inserted] = await db('email_messages')
    .insert({
      id: newId('eml'),
      idempotency_key: idempotencyKey,
      transport,
      kind: message.kind,
      to: message.to,
      subject: message.subject,
      text: keepBody ? message.text : null,
      html: keepBody ? message.html : null,
      status,
      sent_at: status === 'sent' ? db.fn.now() : null,
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('*');
  return (inserted as EmailRecord | undefined) ?? ((await db('email_messages').where({ idempotency_key: idempotencyKey }).first()) as EmailRecord);
}

/** One more delivery attempt of a claimed message begins (SMTP: before talking to the server). */
export async function markEmailAttempt(db: Db, id: string): Promise<void> {
  await db('email_messages').where({ id }).update({ status: 'sending', attempts: db.raw('attempts + 1') });
}

/** The server accepted the message: later retries of the same key return this result. */
export async function markEmailSent(db: Db, id: string, providerMessageId: string): Promise<void> {
  await db('email_messages').where({ id }).update({ status: 'sent', provider_message_id: providerMessageId, sent_at: db.fn.now(), error: null, response_code: null });
}

/** The attempt failed: `permanent` marks the message failed for good, otherwise it stays `sending` for the retry. */
export async function markEmailFailed(db: Db, id: string, failure: { error: string; responseCode: number | null; permanent: boolean }): Promise<void> {
  await db('email_messages')
    .where({ id })
    .update({ status: failure.permanent ? 'failed' : 'sending', error: failure.error.slice(0, 2000), response_code: failure.responseCode, failed_at: failure.permanent ? db.fn.now() : null });
}

export interface MailboxItem {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

/** The development mailbox: mail kept by the outbox adapter, oldest first (newest last). */
export async function listMailbox(db: Db, to: string | undefined, limit = 100): Promise<MailboxItem[]> {
  const query = db('email_messages').where({ transport: 'outbox', status: 'sent' });
  if (to) query.whereRaw('lower("to") = lower(?)', [to]);
  // The newest `limit`, then put back in chronological order.
  const rows = (await query.orderBy([{ column: 'sent_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as EmailRecord[];
  return rows.reverse().map((r) => ({ id: r.id, to: r.to, subject: r.subject, text: r.text ?? '', html: r.html ?? '', sentAt: (r.sent_at ?? r.created_at).toISOString() }));
}
