import { summarize, type LatencySummary } from './stats';

export interface PoolResult<T> {
  results: T[];
  /** Per-task latency in ms, in task order. */
  latenciesMs: number[];
  latency: LatencySummary;
  elapsedMs: number;
  /** Completed tasks per second over the whole run. */
  perSecond: number;
}

/**
 * Runs `task(0..n-1)` with at most `concurrency` in flight (a closed loop: each slot starts the
 * next task as soon as its previous one ends). The first failure rejects the run.
 */
export async function runPool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<PoolResult<T>> {
  const results = new Array<T>(n);
  const latenciesMs = new Array<number>(n);
  let next = 0;
  const started = performance.now();
  const slot = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t0 = performance.now();
      results[i] = await task(i);
      latenciesMs[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, slot));
  const elapsedMs = performance.now() - started;
  return { results, latenciesMs, latency: summarize(latenciesMs), elapsedMs, perSecond: (n / elapsedMs) * 1000 };
}
