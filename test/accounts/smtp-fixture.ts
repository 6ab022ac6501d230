import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
  /** The text/plain part, quoted-printable decoded. */
  text: string;
  html: string;
}

/** Undoes quoted-printable (soft line breaks and =XX escapes). */
function qp(body: string): string {
  return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

function part(raw: string, type: string): string {
  const at = raw.indexOf(`Content-Type: ${type}`);
  if (at < 0) return '';
  const start = raw.indexOf('\r\n\r\n', at) + 4;
  const end = raw.indexOf('\r\n----', start);
  const headers = raw.slice(at, start);
  const body = raw.slice(start, end < 0 ? undefined : end);
  if (/quoted-printable/i.test(headers)) return qp(body);
  if (/base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package). Recipients can be made to fail:
 * `reject` answers RCPT TO with a code (550 = permanent), `failOnce` with a 451 the first time.
 */
export async function startSmtpFixture() {
  const received: ReceivedMail[] = [];
  const reject = new Map<string, number>();
  const failOnce = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = reject.get(address.address);
      if (code) return callback(Object.assign(new Error(`${code === 550 ? 'No such mailbox' : 'Try later'}: ${address.address}`), { responseCode: code }));
      if (failOnce.delete(address.address)) return callback(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: header('Subject'),
          messageId: header('Message-ID'),
          text: part(raw, 'text/plain'),
          html: part(raw, 'text/html'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    reject,
    failOnce,
    to: (address: string) => received.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpFixture = Awaited<ReturnType<typeof startSmtpFixture>>;
