import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** One event item of an envelope, with what the request said about who sent it. */
export interface ReceivedEvent {
  project: string;
  publicKey: string | undefined;
  /** The envelope header (event_id, sent_at, sdk, dsn/trace). */
  envelope: Record<string, unknown>;
  itemType: string;
  event: {
    event_id?: string;
    level?: string;
    message?: string | { formatted?: string; message?: string };
    exception?: { values?: { type?: string; value?: string }[] };
    tags?: Record<string, string>;
    extra?: Record<string, unknown>;
    fingerprint?: string[];
    environment?: string;
    server_name?: string;
  };
}

/**
 * A local server speaking Sentry's ingestion protocol: `POST /api/<project>/envelope/` with a
 * newline-delimited envelope (header, then item header + payload pairs), optionally gzipped, the
 * key in `sentry_key` or `X-Sentry-Auth`. Answers `{"id": <event_id>}` like Sentry; a request
 * with another key gets 401, another path 404.
 */
export class SentryReceiver {
  readonly events: ReceivedEvent[] = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly options: { project: string; publicKey: string }) {}

  get dsn(): string {
    const { host } = new URL(this.url);
    return `http://${this.options.publicKey}@${host}/${this.options.project}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const match = /^\/api\/([^/]+)\/envelope\/$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const auth = req.headers['x-sentry-auth'];
    const publicKey = url.searchParams.get('sentry_key') ?? (typeof auth === 'string' ? /sentry_key=([^,\s]+)/.exec(auth)?.[1] : undefined);
    if (match[1] !== this.options.project || publicKey !== this.options.publicKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'bad project or key' }));
      return;
    }
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    const lines = body.toString('utf8').split('\n');
    const envelope = JSON.parse(lines[0]) as Record<string, unknown>;
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i]) as { type: string };
      if (!lines[i + 1]) continue;
      const payload = JSON.parse(lines[i + 1]);
      if (header.type === 'event') this.events.push({ project: match[1], publicKey, envelope, itemType: header.type, event: payload });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: envelope.event_id ?? null }));
  }
}

/** The text of an event: its message, or its exception's `Type: value`. */
export function eventText(e: ReceivedEvent): string {
  const m = e.event.message;
  if (m) return typeof m === 'string' ? m : (m.formatted ?? m.message ?? '');
  const x = e.event.exception?.values?.[0];
  return x ? `${x.type}: ${x.value}` : '';
}
