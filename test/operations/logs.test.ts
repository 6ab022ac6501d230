import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { freePort } from '../../platform/child-process';
import { logTemporalEntry } from '../../platform/logger';

type Line = Record<string, unknown> & { level: number; time: string; msg: string; service: string };

/** One log format: a worker process writes only JSON lines, the Temporal SDK's included, with the run's ids. */
describe('logs', () => {
  it('routes a Temporal SDK entry through pino with its ids at the top level', () => {
    const out: string[] = [];
    const logger = pino({ base: { service: 'worker' }, timestamp: pino.stdTimeFunctions.isoTime }, { write: (line: string) => out.push(line) });
    logTemporalEntry(logger, 'WARN', 'Activity failed', { workflowId: 'wf-1', runId: 'run-1', activityType: 'shoutoutCapture', attempt: 3, taskToken: 'secret', error: new Error('boom'), level: 'x' });
    const line = JSON.parse(out[0]);
    expect(line).toMatchObject({ level: 40, service: 'worker', msg: 'Activity failed', workflowId: 'wf-1', runId: 'run-1', activityType: 'shoutoutCapture', attempt: 3, temporal_level: 'x', err: expect.objectContaining({ message: 'boom' }) });
    expect(line.taskToken).toBeUndefined();
  });

  it('a worker process writes JSON lines only: SDK, workflow and activity logs with workflow id and run id; the SDK metrics are served', async () => {
    const metricsFile = path.join(os.tmpdir(), `probe-metrics-${process.pid}.txt`);
    const port = await freePort();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'log-probe.ts')],
        { env: { ...process.env, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, PROBE_METRICS_PORT: String(port), PROBE_METRICS_FILE: metricsFile, LOG_LEVEL: 'info' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) => (error ? reject(Object.assign(error, { stdout: out, stderr: err })) : resolve({ stdout: out, stderr: err })),
      );
    });
    const raw = `${stdout}\n${stderr}`.split('\n').filter((l) => l.trim());
    const notJson = raw.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const lines = raw.map((l) => JSON.parse(l) as Line);
    for (const line of lines) expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String), service: 'worker' });

    const fromWorkflow = lines.find((l) => l.msg === 'ops workflow says hello');
    expect(fromWorkflow).toMatchObject({ workflowType: 'opsLoggingWorkflow', workflowId: expect.stringMatching(/^probe-/), runId: expect.any(String), orderId: 'ord_log', sdkComponent: 'workflow' });
    const fromActivity = lines.find((l) => l.msg === 'ops activity ran');
    expect(fromActivity).toMatchObject({ activityType: 'opsLogs', workflowId: fromWorkflow!.workflowId, workflowType: 'opsLoggingWorkflow', paymentId: 'pay_log', sdkComponent: 'activity' });
    expect(lines.some((l) => l.msg === 'probe workflow done')).toBe(true);

    // What deploy/prometheus/alerts.yml and the dashboard read from the SDK's exporter.
    const metrics = fs.readFileSync(metricsFile, 'utf8');
    if (!process.env.KEEP_PROBE_METRICS) fs.rmSync(metricsFile, { force: true });
    for (const name of ['temporal_workflow_task_schedule_to_start_latency', 'temporal_activity_schedule_to_start_latency', 'temporal_worker_task_slots_available']) expect(metrics).toContain(name);
  }, 150_000);
});
