/**
 * The alerts port: serious faults a person must act on (a compensation that cannot complete, a
 * capture that failed after its retries, a refused transfer batch, a schedule failing repeatedly).
 * Adapters are channels (`telegram.ts`, `email.ts`, `sentry.ts`, `table.ts`); `dispatcher.ts`
 * deduplicates by fault key and fans out to every configured channel without ever making the
 * caller wait.
 */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface Alert {
  /** The fault key: occurrences of one key within the dedup window become one message with a count. */
  key: string;
  /** What happened, e.g. `payment.capture_failed`. */
  kind: string;
  severity?: AlertSeverity;
  subject: string;
  /** The business record it is about (an order id, a split id, …). */
  aggregateId?: string | null;
  detail?: Record<string, unknown>;
  /** Alert only once the fault happened this often within the window (repeated failures, spikes); default 1. */
  minOccurrences?: number;
  /**
   * The caller already wrote the admin alerts row and mails the admins itself (the split saga's
   * refused compensation): only the push channels (Sentry, Telegram) are told.
   */
  alreadyRecorded?: boolean;
}

/** Channels that record and mail; skipped for an alert that is `alreadyRecorded`. */
export const RECORDING_CHANNELS: readonly string[] = ['table', 'email'];

/** An alert as a channel sends it: how often it happened in the window, and when. */
export interface DeliveredAlert extends Alert {
  severity: AlertSeverity;
  count: number;
  firstAt: Date;
  lastAt: Date;
  /** Sent by POST /v1/admin/alerts/test to check the wiring. */
  test?: boolean;
}

export interface AlertChannel {
  readonly name: string;
  /** Resolves once the channel took the alert; rejects when it could not (after its own retries). */
  send(alert: DeliveredAlert): Promise<void>;
}

export interface ChannelResult {
  channel: string;
  ok: boolean;
  error?: string;
}

export interface Alerts {
  /** The configured channels' names. */
  readonly channels: readonly string[];
  /** Counts the occurrence and sends when due; never throws and never waits for a channel. */
  raise(alert: Alert): void;
  /** Sends through every channel now, bypassing dedup, and answers what each did (the test endpoint). */
  sendNow(alert: DeliveredAlert): Promise<ChannelResult[]>;
  /** Sends the pending counts of open windows and waits for every send in flight (shutdown, tests). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}
