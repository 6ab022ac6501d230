import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { CoreDeps } from '../platform/deps';

/** Whether this process should keep the invoice schedule: default on, except when NODE_ENV=test. */
export function starkbankScheduleEnabled(config: CoreDeps['config']): boolean {
  return config.STARKBANK_SCHEDULE_ENABLED ?? config.NODE_ENV !== 'test';
}

/**
 * Creates or updates the `starkbank-invoices` Temporal Schedule (STARKBANK_SCHEDULE_ID):
 * workflow `invoiceIssuance` every STARKBANK_INVOICE_INTERVAL, the first run at once, for
 * STARKBANK_INVOICE_WINDOW. Idempotent: a worker restart within the window keeps the window and
 * its cadence (updating the interval and the action if the configuration changed); once the window
 * is over, a start opens a new one. Visible, pausable and triggerable in the Temporal UI.
 * Also starts the sandbox bank's simulated payers when that adapter is in use.
 */
export async function ensureStarkbankSchedule(deps: CoreDeps): Promise<void> {
  const { config, temporal, logger, ports } = deps;
  if (!starkbankScheduleEnabled(config)) {
    logger.debug('starkbank schedule disabled');
    return;
  }
  ports.bank.start?.();

  const scheduleId = config.STARKBANK_SCHEDULE_ID;
  const every = config.STARKBANK_INVOICE_INTERVAL;
  const window = config.STARKBANK_INVOICE_WINDOW;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'invoiceIssuance',
    workflowId: `${scheduleId}-run`,
    taskQueue: config.TASK_QUEUE,
    args: [] as [],
    workflowExecutionTimeout: '1 hour',
  };
  const newWindow = (nowMs: number) => ({
    // The phase puts every later run at start + k·every; the first run is triggered at once.
    intervals: [{ every, offset: nowMs % every }],
    startAt: new Date(nowMs + 1_000),
    endAt: new Date(nowMs + window),
  });

  const handle = temporal.schedule.getHandle(scheduleId);
  try {
    const description = await handle.describe();
    const nowMs = Date.now();
    const endAt = description.spec.endAt?.getTime();
    const windowOver = endAt !== undefined && endAt <= nowMs;
    await handle.update((previous) => {
      const startMs = previous.spec.startAt ? previous.spec.startAt.getTime() - 1_000 : nowMs;
      return {
        ...previous,
        spec: windowOver ? newWindow(nowMs) : { ...newWindow(startMs), endAt: new Date(startMs + window) },
        action,
        policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
      };
    });
    if (windowOver) await handle.trigger(ScheduleOverlapPolicy.SKIP);
    logger.info({ scheduleId, every, window, renewed: windowOver }, 'starkbank schedule updated');
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    const options: ScheduleOptions = {
      scheduleId,
      spec: newWindow(Date.now()),
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      state: { triggerImmediately: true, note: 'Stark Bank invoices (Limelight): created by the worker at start' },
    };
    try {
      await temporal.schedule.create(options);
      logger.info({ scheduleId, every, window }, 'starkbank schedule created (first run now)');
    } catch (createError) {
      // Another worker created it between our describe and create: that one is as good as ours.
      if (!(createError instanceof ScheduleAlreadyRunning)) throw createError;
    }
  }
}
