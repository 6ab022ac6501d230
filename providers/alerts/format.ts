import type { DeliveredAlert } from './port';

const ICONS: Record<DeliveredAlert['severity'], string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🔵' };

function minutes(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))}s` : `${Math.round(ms / 60_000)}m`;
}

/** The plain-text body of an alert (Telegram and email): what, how often, about what, the details. */
export function alertText(alert: DeliveredAlert, limit = 3_500): string {
  const lines = [`${ICONS[alert.severity]} ${alert.test ? 'TEST ' : ''}${alert.severity.toUpperCase()} ${alert.kind}`, alert.subject];
  if (alert.count > 1) lines.push(`×${alert.count} in ${minutes(alert.lastAt.getTime() - alert.firstAt.getTime())} (since ${alert.firstAt.toISOString()})`);
  lines.push(`key: ${alert.key}`);
  if (alert.aggregateId) lines.push(`record: ${alert.aggregateId}`);
  for (const [name, value] of Object.entries(alert.detail ?? {})) {
    lines.push(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const text = lines.join('\n');
  // Telegram refuses messages over 4096 characters.
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
