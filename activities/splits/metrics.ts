import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Split-payment metrics on the process's registry (deps.metrics). Registered once per registry:
 * a test stack restarting its worker builds the activities again on the same registry.
 */
export interface SplitMetrics {
  succeeded: Counter<string>;
  failed: Counter<'reason'>;
  compensationsRun: Counter<string>;
  compensationsFailed: Counter<'step'>;
  stepLatency: Histogram<'step' | 'outcome'>;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function splitMetrics(registry: Registry): SplitMetrics {
  const registers = [registry];
  const succeeded = once(registry, 'split_payments_succeeded_total', () => new Counter({ name: 'split_payments_succeeded_total', help: 'Split payments that completed (charged, transferred, recorded)', registers }));
  const failed = once(registry, 'split_payments_failed_total', () => new Counter({ name: 'split_payments_failed_total', help: 'Split payments that failed, by reason (the provider code or failure type)', labelNames: ['reason'] as const, registers }));
  once(registry, 'split_payments_success_rate', () => new Gauge({
    name: 'split_payments_success_rate',
    help: 'Succeeded / (succeeded + failed) split payments finished by this process since it started',
    registers,
    async collect() {
      const ok = (await succeeded.get()).values.reduce((a, v) => a + v.value, 0);
      const ko = (await failed.get()).values.reduce((a, v) => a + v.value, 0);
      this.set(ok + ko === 0 ? 1 : ok / (ok + ko));
    },
  }));
  const compensationsRun = once(registry, 'split_compensations_run_total', () => new Counter({ name: 'split_compensations_run_total', help: 'Split-payment compensations started', registers }));
  const compensationsFailed = once(registry, 'split_compensations_failed_total', () => new Counter({ name: 'split_compensations_failed_total', help: 'Compensation steps the provider refused (raised to an admin), by step', labelNames: ['step'] as const, registers }));
  const stepLatency = once(registry, 'split_step_duration_seconds', () => new Histogram({
    name: 'split_step_duration_seconds',
    help: 'Latency of each split-payment step (one activity attempt), by step and outcome',
    labelNames: ['step', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }));
  return { succeeded, failed, compensationsRun, compensationsFailed, stepLatency };
}

/** Times one step attempt into the histogram. */
export async function timed<T>(metrics: SplitMetrics, step: string, run: () => Promise<T>): Promise<T> {
  const end = metrics.stepLatency.startTimer({ step });
  try {
    const result = await run();
    end({ outcome: 'ok' });
    return result;
  } catch (error) {
    end({ outcome: 'error' });
    throw error;
  }
}
