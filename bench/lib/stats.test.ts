import { runPool } from './pool';
import { percentile, summarize } from './stats';

describe('bench helpers', () => {
  it('computes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, min: 1, p50: 2, max: 3, mean: 2 });
  });

  it('never runs more than `concurrency` tasks at once and keeps task order', async () => {
    let inFlight = 0;
    let peak = 0;
    const run = await runPool(40, 7, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(7);
    expect(run.results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(run.latenciesMs).toHaveLength(40);
    expect(run.perSecond).toBeGreaterThan(0);
  });
});
