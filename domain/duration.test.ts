import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['1500ms', 1500],
    ['3s', 3000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['250', 250],
    ['1.5s', 1500],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '5 weeks', '-3s'])('rejects %p', (text) => expect(() => parseDuration(text)).toThrow(/duration/));

  it('round-trips through formatDuration', () => {
    for (const ms of [1, 999, 1000, 60_000, 3_600_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
