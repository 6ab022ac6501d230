import type { Logger } from '../../platform/logger';
import { alertText } from './format';
import type { AlertChannel, DeliveredAlert } from './port';

export interface TelegramOptions {
  token: string;
  chatId: string;
  /** `https://api.telegram.org`, or a local receiver in tests. */
  apiBase: string;
  logger: Logger;
  /** Telegram's limits: one message a second per chat, twenty a minute per group. */
  minIntervalMs?: number;
  perMinute?: number;
  /** Attempts per message on 429, 5xx and network errors. */
  maxAttempts?: number;
  /** Messages waiting beyond this are dropped (logged): a fault storm must not grow memory. */
  maxQueue?: number;
  requestTimeoutMs?: number;
}

interface Queued {
  text: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What the Bot API answers: `{ok:true,result}` or `{ok:false,error_code,description,parameters?:{retry_after}}`. */
interface BotApiAnswer {
  ok: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

export class TelegramApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'TelegramApiError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Bot API `sendMessage` to one chat, one message at a time: paced to Telegram's limits, waiting
 * `retry_after` seconds when it answers 429, backing off on 5xx and network errors.
 */
export class TelegramChannel implements AlertChannel {
  readonly name = 'telegram';
  private readonly queue: Queued[] = [];
  private readonly sentAt: number[] = [];
  private pumping = false;

  constructor(private readonly options: TelegramOptions) {}

  send(alert: DeliveredAlert): Promise<void> {
    return this.sendText(alertText(alert));
  }

  sendText(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queue.length >= (this.options.maxQueue ?? 200)) {
        reject(new Error('telegram queue full: message dropped'));
        return;
      }
      this.queue.push({ text, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          await this.deliver(next.text);
          next.resolve();
        } catch (error) {
          next.reject(error as Error);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Waits until one more message stays within both limits. */
  private async pace(): Promise<void> {
    const minInterval = this.options.minIntervalMs ?? 1_000;
    const perMinute = this.options.perMinute ?? 20;
    const now = Date.now();
    while (this.sentAt.length && this.sentAt[0] <= now - 60_000) this.sentAt.shift();
    const last = this.sentAt[this.sentAt.length - 1];
    let wait = last === undefined ? 0 : last + minInterval - now;
    if (this.sentAt.length >= perMinute) wait = Math.max(wait, this.sentAt[this.sentAt.length - perMinute] + 60_000 - now);
    if (wait > 0) await sleep(wait);
  }

  private async deliver(text: string): Promise<void> {
    const { token, chatId, apiBase, logger } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 5;
    const url = `${apiBase.replace(/\/$/, '')}/bot${token}/sendMessage`;
    for (let attempt = 1; ; attempt++) {
      await this.pace();
      let status = 0;
      let answer: BotApiAnswer | undefined;
      try {
        // Spaced from when Telegram answered, not from when we asked: it counts arrivals, and a slow
        // first request followed by a fast second would otherwise land closer than the interval.
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: chatId, text, disable_web_page_preview: true }),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
        }).finally(() => this.sentAt.push(Date.now()));
        status = res.status;
        answer = (await res.json().catch(() => undefined)) as BotApiAnswer | undefined;
        if (res.ok && answer?.ok) return;
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        logger.warn({ err: error, attempt }, 'telegram unreachable; retrying');
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      const description = answer?.description ?? `HTTP ${status}`;
      if (status === 429 || answer?.error_code === 429) {
        const retryAfter = answer?.parameters?.retry_after ?? 1;
        if (attempt >= maxAttempts) throw new TelegramApiError(429, description);
        logger.warn({ retryAfter, attempt }, 'telegram rate limit; waiting retry_after');
        await sleep(retryAfter * 1_000);
        continue;
      }
      if (status >= 500 && attempt < maxAttempts) {
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      // 400 (bad chat id), 401 (bad token), 403 (bot removed): retrying cannot help.
      throw new TelegramApiError(status, `telegram sendMessage: ${description}`);
    }
  }
}
