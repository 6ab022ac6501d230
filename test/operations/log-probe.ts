/**
 * Run as its own process by logs.test.ts (the Temporal Runtime is installed once per process):
 * the worker's runtime set up as workers/main.ts does it, one workflow that logs from the sandbox
 * and from an activity, then the SDK's Prometheus metrics written to PROBE_METRICS_FILE.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { configWith } from '../../platform/config';
import { createLogger, logFatal } from '../../platform/logger';
import { installTemporalRuntime } from '../../platform/temporal-runtime';

async function main(): Promise<void> {
  const config = configWith({ LOG_LEVEL: 'info', WORKER_METRICS_PORT: process.env.PROBE_METRICS_PORT });
  const logger = createLogger(config, 'worker');
  installTemporalRuntime(config, logger);
  const taskQueue = `probe-${process.pid}`;
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'failing-workflows.ts'), logger: Runtime.instance().logger });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: bundle,
    activities: {
      async opsLogs() {
        Context.current().log.info('ops activity ran', { paymentId: 'pay_log' });
        return 'logged';
      },
    },
  });
  const client = new Client({ connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS! }) });
  await worker.runUntil(async () => {
    const result = await client.workflow.execute('opsLoggingWorkflow', { taskQueue, workflowId: `probe-${process.pid}` });
    logger.info({ result }, 'probe workflow done');
    const metrics = await fetch(`http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics`).then((r) => r.text());
    fs.writeFileSync(process.env.PROBE_METRICS_FILE!, metrics);
  });
  await connection.close();
}

main().catch((error) => {
  logFatal('worker', error, 'probe failed');
  process.exit(1);
});
