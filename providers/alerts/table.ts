import type { AlertChannel, DeliveredAlert } from './port';

/**
 * The admin alerts table (GET /v1/admin/alerts). The writer comes from the platform (a store
 * function), since a provider touches no capability's tables itself.
 */
export class TableAlertChannel implements AlertChannel {
  readonly name = 'table';
  /** Occurrences already written per key and window, so a window's follow-up adds only the new ones. */
  private readonly written = new Map<string, number>();

  constructor(private readonly record: (alert: DeliveredAlert, newOccurrences: number) => Promise<void>) {}

  async send(alert: DeliveredAlert): Promise<void> {
    if (alert.test) return this.record(alert, 1);
    const window = `${alert.key}@${alert.firstAt.getTime()}`;
    const before = this.written.get(window) ?? 0;
    this.written.set(window, alert.count);
    if (this.written.size > 1_000) this.written.delete(this.written.keys().next().value!);
    await this.record(alert, Math.max(1, alert.count - before));
  }
}
