import { hotScore } from './hot-score';
import { unsubscribeToken, readUnsubscribeToken } from './unsubscribe';
import { countViews } from './views';
import { lastVotes, voteDelta } from './votes';

describe('engagement rules', () => {
  it('folds votes: the last vote of an account on a content wins', () => {
    const folded = lastVotes([
      { contentId: 'c', accountId: 'a', value: 1 as const },
      { contentId: 'c', accountId: 'b', value: -1 as const },
      { contentId: 'c', accountId: 'a', value: 0 as const },
      { contentId: 'd', accountId: 'a', value: -1 as const },
    ]);
    expect([...folded.values()].map((v) => `${v.contentId}${v.accountId}${v.value}`).sort()).toEqual(['ca0', 'cb-1', 'da-1']);
  });

  it('moves counters by the difference between the stored vote and the new one', () => {
    expect(voteDelta(0, 1)).toEqual({ up: 1, down: 0 });
    expect(voteDelta(1, -1)).toEqual({ up: -1, down: 1 });
    expect(voteDelta(-1, 0)).toEqual({ up: 0, down: -1 });
    expect(voteDelta(1, 1)).toEqual({ up: 0, down: 0 });
  });

  it('counts a viewer once per window, again once the window has passed (not extended by views inside it)', () => {
    const marks = new Map<string, number>();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const counted = countViews(
      [
        { contentId: 'c', viewerKey: 'v', at: at(0) },
        { contentId: 'c', viewerKey: 'v', at: at(30) },
        { contentId: 'c', viewerKey: 'v', at: at(59) },
        { contentId: 'c', viewerKey: 'v', at: at(60) },
        { contentId: 'c', viewerKey: 'w', at: at(1) },
      ],
      marks,
      60_000,
    );
    expect(counted.get('c')).toBe(3);
    // A later batch continues from the marks.
    expect(countViews([{ contentId: 'c', viewerKey: 'v', at: at(90) }], marks, 60_000).get('c')).toBeUndefined();
  });

  it('ranks by votes and views, decaying with age', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    const fresh = hotScore({ upvotes: 10, downvotes: 0, views: 100, publishedAt: new Date('2026-01-01T23:00:00Z'), now });
    const old = hotScore({ upvotes: 10, downvotes: 0, views: 100, publishedAt: new Date('2025-12-25T00:00:00Z'), now });
    const popular = hotScore({ upvotes: 50, downvotes: 0, views: 100, publishedAt: new Date('2026-01-01T23:00:00Z'), now });
    expect(fresh).toBeGreaterThan(old);
    expect(popular).toBeGreaterThan(fresh);
    expect(hotScore({ upvotes: 0, downvotes: 0, views: 0, publishedAt: now, now })).toBe(0);
    expect(fresh).toBeCloseTo((10 + Math.log(101)) / Math.pow(3, 1.5), 10);
  });

  it('signs unsubscribe links that cannot be forged for another account', () => {
    const token = unsubscribeToken('secret', 'chn_1', 'acc_1');
    expect(readUnsubscribeToken('secret', token)).toEqual({ channelId: 'chn_1', accountId: 'acc_1' });
    expect(readUnsubscribeToken('other', token)).toBeUndefined();
    expect(readUnsubscribeToken('secret', token.replace('acc_1', 'acc_2'))).toBeUndefined();
  });
});
