import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  chatId: string;
  text: string;
  at: number;
}

/**
 * A local server answering the Telegram Bot API's `POST /bot<token>/sendMessage` the way Telegram
 * does: `{ok:true,result:Message}`; `{ok:false,error_code:401}` for an unknown token;
 * `{ok:false,error_code:400,"Bad Request: chat not found"}` for another chat; and, while
 * `rateLimit` is armed, HTTP 429 `{ok:false,error_code:429,parameters:{retry_after}}`.
 */
export class TelegramReceiver {
  readonly messages: ReceivedMessage[] = [];
  /** Every request, also refused ones, with when it came. */
  readonly requests: { at: number; status: number }[] = [];
  private server?: http.Server;
  private limited = 0;
  private retryAfter = 1;
  private nextId = 1;
  url = '';

  constructor(readonly token: string, readonly chatId: string) {}

  /** The next `times` sendMessage calls answer 429 with `retry_after` seconds. */
  rateLimit(times: number, retryAfter: number): void {
    this.limited = times;
    this.retryAfter = retryAfter;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(res: http.ServerResponse, status: number, body: unknown): void {
    this.requests.push({ at: Date.now(), status });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    if (!match) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) return this.answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let body: { chat_id?: string | number; text?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.answer(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
    }
    if (this.limited > 0) {
      this.limited -= 1;
      return this.answer(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${this.retryAfter}`, parameters: { retry_after: this.retryAfter } });
    }
    if (String(body.chat_id) !== this.chatId) return this.answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    if (!body.text) return this.answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (body.text.length > 4096) return this.answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    const at = Date.now();
    this.messages.push({ chatId: String(body.chat_id), text: body.text, at });
    const message_id = this.nextId++;
    return this.answer(res, 200, { ok: true, result: { message_id, date: Math.floor(at / 1000), chat: { id: Number(this.chatId), type: 'group' }, text: body.text } });
  }
}
