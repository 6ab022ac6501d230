import type { Logger } from '../../platform/logger';
import { RECORDING_CHANNELS, type Alert, type AlertChannel, type Alerts, type ChannelResult, type DeliveredAlert } from './port';

interface Window {
  alert: Alert;
  firstAt: Date;
  lastAt: Date;
  count: number;
  /** The count when it was last sent (0: not sent in this window). */
  sent: number;
  timer: NodeJS.Timeout;
}

export interface DispatcherOptions {
  channels: AlertChannel[];
  logger: Logger;
  /** Occurrences of a key within this many ms after its first become one follow-up message with the count. */
  windowMs: number;
  /** Called once per occurrence (metrics). */
  onRaise?: (alert: Alert) => void;
}

/**
 * Deduplicates by fault key and fans out. Within a window that opens at a key's first occurrence,
 * the alert goes out as soon as it reaches its `minOccurrences` (default 1: at once); the later
 * occurrences of the window go out as ONE message with the total count when the window closes.
 * So a burst of a thousand failures is at most two messages per window, the first never delayed.
 * Sends run in the background: a business step that raises an alert never waits on Telegram.
 */
export function createAlertDispatcher(options: DispatcherOptions): Alerts {
  const { channels, logger, windowMs } = options;
  const windows = new Map<string, Window>();
  const inFlight = new Set<Promise<unknown>>();

  const deliver = (alert: DeliveredAlert) => {
    for (const channel of channels) {
      if (alert.alreadyRecorded && RECORDING_CHANNELS.includes(channel.name)) continue;
      const sending = channel
        .send(alert)
        .catch((error: unknown) => logger.error({ err: error, channel: channel.name, alertKey: alert.key, alertKind: alert.kind }, 'alert channel failed'))
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  };
  const delivered = (w: Window): DeliveredAlert => ({ ...w.alert, severity: w.alert.severity ?? 'error', count: w.count, firstAt: w.firstAt, lastAt: w.lastAt });

  const close = (key: string) => {
    const w = windows.get(key);
    if (!w) return;
    windows.delete(key);
    clearTimeout(w.timer);
    const threshold = w.alert.minOccurrences ?? 1;
    if (w.count >= threshold && w.count > w.sent) deliver(delivered(w));
  };

  return {
    channels: channels.map((c) => c.name),
    raise(alert) {
      try {
        options.onRaise?.(alert);
        const now = new Date();
        let w = windows.get(alert.key);
        if (!w) {
          w = { alert, firstAt: now, lastAt: now, count: 0, sent: 0, timer: setTimeout(() => close(alert.key), windowMs) };
          w.timer.unref();
          windows.set(alert.key, w);
        }
        w.count += 1;
        w.lastAt = now;
        w.alert = { ...alert, subject: w.alert.subject };
        if (w.sent === 0 && w.count >= (alert.minOccurrences ?? 1)) {
          w.sent = w.count;
          deliver(delivered(w));
        }
      } catch (error) {
        logger.error({ err: error, alertKey: alert.key }, 'alert not raised');
      }
    },
    async sendNow(alert) {
      return Promise.all(
        channels.map(async (channel): Promise<ChannelResult> => {
          try {
            await channel.send(alert);
            return { channel: channel.name, ok: true };
          } catch (error) {
            return { channel: channel.name, ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
    },
    async flush() {
      for (const key of [...windows.keys()]) close(key);
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    async stop() {
      await this.flush();
    },
  };
}
