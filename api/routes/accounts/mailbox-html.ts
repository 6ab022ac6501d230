/**
 * The development mailbox as pages a browser shows: the list (newest first, each linking to its
 * message) and one message (its HTML in a sandboxed frame, its text below). Plain HTML, no scripts.
 */
export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>
body{margin:0;padding:24px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;background:#f6f6f4}
main{max-width:860px;margin:0 auto;background:#fff;border-radius:8px;padding:24px}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:8px;border-bottom:1px solid #eee;vertical-align:top}
th{font-size:12px;color:#888;text-transform:uppercase}a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
.meta{color:#666;font-size:14px}iframe{width:100%;height:480px;border:1px solid #eee;border-radius:6px}pre{white-space:pre-wrap;background:#fafafa;padding:12px;border-radius:6px}
</style></head><body><main>${body}</main></body></html>`;

const listHref = (to: string | undefined) => `/dev/mailbox${to ? `?to=${encodeURIComponent(to)}` : ''}`;
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

export function mailboxListPage(items: MailboxMessage[], to: string | undefined): string {
  const rows = [...items]
    .reverse()
    .map((m) => {
      const href = `/dev/mailbox?id=${encodeURIComponent(m.id)}${to ? `&to=${encodeURIComponent(to)}` : ''}`;
      return `<tr><td><a href="${escape(href)}">${escape(m.subject || '(no subject)')}</a></td><td>${escape(m.to)}</td><td class="meta">${escape(when(m.sentAt))}</td></tr>`;
    })
    .join('\n');
  const heading = to ? `Mailbox of ${escape(to)}` : 'Mailbox';
  const body = items.length ? `<table><thead><tr><th>Subject</th><th>To</th><th>Sent</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No messages yet.</p>';
  return page(to ? `Mailbox of ${to}` : 'Mailbox', `<h1>${heading}</h1><p class="meta">${items.length} message(s), newest first. JSON: send <code>Accept: application/json</code>.</p>${body}`);
}

export function mailboxMessagePage(m: MailboxMessage, to: string | undefined): string {
  return page(
    m.subject,
    `<p><a href="${escape(listHref(to))}">&larr; All messages</a></p>
<h1>${escape(m.subject || '(no subject)')}</h1>
<p class="meta">To ${escape(m.to)} &middot; ${escape(when(m.sentAt))}</p>
${m.html ? `<iframe sandbox="" title="The message as HTML" srcdoc="${escape(m.html)}"></iframe>` : ''}
<h2>Text</h2><pre>${escape(m.text)}</pre>`,
  );
}

/** Whether the client asked for HTML first (a browser) rather than JSON. */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',').map((p) => p.split(';')[0].trim().toLowerCase());
  const html = first.indexOf('text/html');
  const json = first.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}
