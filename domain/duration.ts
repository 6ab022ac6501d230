/**
 * Durations in configuration are human strings ("15m", "24h", "3s", "1500ms", "7d") so the same
 * variable reads well in production and shrinks to seconds in tests.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(input: string): number {
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: "${input}" (use e.g. 500ms, 30s, 15m, 24h, 7d)`);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`not a duration: "${input}"`);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
