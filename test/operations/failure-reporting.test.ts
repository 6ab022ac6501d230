import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_PATH } from '../../workers/bundle';
import { operationsInterceptors, operationsSinks } from '../../workers/interceptors';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import type { FailingActivities } from './failing-workflows';
import { eventText, SentryReceiver, type ReceivedEvent } from './sentry-receiver';
import { TelegramReceiver } from './telegram-receiver';

/**
 * The worker's interceptors on a real Temporal server: activity failures reach Sentry only on the
 * N-th attempt and when retries are exhausted, workflow failures come out of the sandbox through
 * the sink, tagged; money-moving activities that give up are alerts on Telegram.
 */
describe('failure reporting from the worker (interceptors and sinks)', () => {
  const sentry = new SentryReceiver({ project: '9', publicKey: 'workerkey' });
  const telegram = new TelegramReceiver('9:worker', '-1001');
  let stack: TestStack;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const flaky = new Set<string>();

  beforeAll(async () => {
    await sentry.start();
    await telegram.start();
    stack = await startTestStack({
      worker: false,
      api: false,
      env: { SENTRY_DSN: sentry.dsn, SENTRY_ACTIVITY_FAILURES: '2', TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_CHAT_ID: telegram.chatId, TELEGRAM_API_BASE: telegram.url, ALERT_DEDUP_WINDOW: '10s', ALERT_EMAIL_ADMINS: 'false' },
    });
    const activities: FailingActivities = {
      async opsTransferAlwaysFails() {
        throw new Error(`bank unreachable (attempt ${Context.current().info.attempt})`);
      },
      async opsFlakyOnce(id) {
        if (!flaky.has(id)) {
          flaky.add(id);
          throw new Error('connection reset');
        }
        return 'ok';
      },
      async opsDeclines() {
        throw ApplicationFailure.nonRetryable('card declined', 'PaymentError');
      },
    };
    const bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'failing-workflows.ts'), workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH], logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
    connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
    worker = await Worker.create({
      connection,
      taskQueue: stack.config.TASK_QUEUE,
      workflowBundle: bundle,
      activities,
      interceptors: operationsInterceptors(stack.deps),
      sinks: operationsSinks(stack.deps),
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await connection?.close();
    await stack.stop();
    await sentry.stop();
    await telegram.stop();
  });

  const run = (type: string, args: unknown[] = []) => {
    const workflowId = `ops-${randomUUID()}`;
    return { workflowId, result: stack.deps.temporal.workflow.execute(type, { taskQueue: stack.config.TASK_QUEUE, workflowId, args }) };
  };
  const eventsOf = (workflowId: string) => sentry.events.filter((e) => e.event.tags?.workflow_id === workflowId);

  it('reports a retryable activity failure on its N-th attempt and when its retries are exhausted, not on the others', async () => {
    const { workflowId, result } = run('opsExhaustedWorkflow');
    await expect(result).rejects.toBeInstanceOf(WorkflowFailedError);
    await stack.deps.errors.flush(5_000);
    const activityEvents = await eventually(async () => {
      const found = eventsOf(workflowId).filter((e) => e.event.tags?.activity_type === 'opsTransferAlwaysFails');
      return found.length >= 2 && found;
    });
    expect(activityEvents.map((e: ReceivedEvent) => [e.event.tags?.attempt, e.event.tags?.retries_exhausted])).toEqual([
      ['2', 'false'],
      ['4', 'true'],
    ]);
    expect(eventText(activityEvents[1])).toBe('Error: bank unreachable (attempt 4)');
    expect(activityEvents[1].event.tags).toMatchObject({ workflow_type: 'opsExhaustedWorkflow', task_queue: stack.config.TASK_QUEUE, service: 'test' });
    expect(activityEvents[1].event.tags?.run_id).toMatch(/[0-9a-f-]{36}/);

    // The workflow failed with the activity's failure: reported from the sandbox through the sink.
    const workflowEvent = await eventually(async () => eventsOf(workflowId).find((e) => !e.event.tags?.activity_type));
    expect(workflowEvent.event.tags).toMatchObject({ workflow_type: 'opsExhaustedWorkflow', workflow_id: workflowId, task_queue: stack.config.TASK_QUEUE, attempt: '1' });
    expect(workflowEvent.event.tags?.run_id).toBe(activityEvents[1].event.tags?.run_id);
    expect(eventText(workflowEvent)).toMatch(/^ActivityFailure: /);

    // A money-moving activity that gives up is a serious fault: Telegram at once, the repeat counted in one follow-up.
    await eventually(async () => telegram.messages.filter((m) => m.text.includes('opsTransferAlwaysFails')).length === 2, { timeoutMs: 25_000, what: 'alert and its summary' });
    const [first, summary] = telegram.messages.filter((m) => m.text.includes('opsTransferAlwaysFails'));
    expect(first.text).toContain('CRITICAL activity.failing_repeatedly');
    expect(summary.text).toContain('×2');
    expect(telegram.messages.some((m) => m.text.includes(`Workflow opsExhaustedWorkflow failed (${workflowId})`))).toBe(true);

    const metrics = await stack.deps.metrics.metrics();
    expect(metrics).toContain('activity_failures_total{activity_type="opsTransferAlwaysFails",final="true"} 1');
    expect(metrics).toContain('activity_failures_total{activity_type="opsTransferAlwaysFails",final="false"} 3');
    expect(metrics).toMatch(/workflow_failures_total\{workflow_type="opsExhaustedWorkflow"\} 1/);
  });

  it('keeps transient failures and business declines out of Sentry', async () => {
    const { workflowId, result } = run('opsQuietWorkflow', ['q1']);
    await expect(result).resolves.toBe('ok/declined');
    await stack.deps.errors.flush(5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(workflowId)).toEqual([]);
  });

  it('alerts a scheduled workflow only once it fails repeatedly (ALERT_REPEAT_THRESHOLD runs)', async () => {
    const scheduleId = `ops-schedule-${randomUUID().slice(0, 8)}`;
    const handle = await stack.deps.temporal.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'opsFailingWorkflow', taskQueue: stack.config.TASK_QUEUE, workflowId: `${scheduleId}-run` },
      policies: { overlap: 'ALLOW_ALL' },
      state: { paused: true },
    });
    try {
      const alerted = () => telegram.messages.filter((m) => m.text.includes(`(${scheduleId}) keeps failing`));
      await handle.trigger();
      await eventually(async () => sentry.events.some((e) => e.event.tags?.schedule_id === scheduleId), { what: 'the first scheduled failure in Sentry' });
      await handle.trigger();
      await eventually(async () => sentry.events.filter((e) => e.event.tags?.schedule_id === scheduleId).length === 2, { what: 'the second' });
      await new Promise((r) => setTimeout(r, 300));
      expect(alerted()).toEqual([]);
      await handle.trigger();
      await eventually(async () => alerted().length === 1, { what: 'the repeated-failure alert' });
      expect(alerted()[0].text).toContain('CRITICAL schedule.failing_repeatedly');
      expect(alerted()[0].text).toContain('×3');
    } finally {
      await handle.delete();
    }
  });

  it('reports a workflow that fails on its own, with its failure type', async () => {
    const { workflowId, result } = run('opsFailingWorkflow');
    await expect(result).rejects.toBeInstanceOf(WorkflowFailedError);
    const event = await eventually(async () => {
      await stack.deps.errors.flush(2_000);
      return eventsOf(workflowId)[0];
    });
    expect(eventText(event)).toBe('ApplicationFailure: the ledger does not balance');
    expect(event.event.extra).toMatchObject({ failureType: 'LedgerImbalance' });
    expect(event.event.fingerprint).toEqual(['workflow', 'opsFailingWorkflow', 'LedgerImbalance']);
  });
});
