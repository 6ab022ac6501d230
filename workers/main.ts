/** `npm run worker`: the Temporal worker alone (both task queues), against DATABASE_URL and TEMPORAL_ADDRESS. */
import http from 'node:http';
import path from 'node:path';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { createLogger, logFatal } from '../platform/logger';
import { installTemporalRuntime } from '../platform/temporal-runtime';
import { connectWorkerConnection } from '../platform/temporal';
import { loadOrBundle } from './bundle';
import { onWorkerStart } from './startup';
import { createWorkers } from './worker';
import { loadDotEnv } from '../platform/config/dotenv';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // Temporal SDK metrics (task latencies, slots, sticky cache) for Prometheus on WORKER_METRICS_PORT,
  // and the SDK's log lines through the same JSON logger as everything else.
  installTemporalRuntime(config, createLogger(config, 'worker'));
  const deps = await createCoreDeps(config, 'worker');
  const connection = await connectWorkerConnection(config);
  const bundle = await loadOrBundle(path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js'));
  await onWorkerStart(deps);
  const workers = await createWorkers(deps, connection, bundle);
  // The business metrics activities record (payments, compensations, step latency) live in this
  // process's registry: serve them beside the SDK's own exporter.
  const appMetrics = http.createServer(async (_req, res) => {
    res.writeHead(200, { 'Content-Type': deps.metrics.contentType }).end(await deps.metrics.metrics());
  });
  appMetrics.listen(config.WORKER_APP_METRICS_PORT, config.HOST);
  const stop = () => {
    deps.logger.info('worker draining');
    appMetrics.close();
    workers.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  deps.logger.info({ taskQueues: [config.TASK_QUEUE, config.MEDIA_TASK_QUEUE], metrics: `http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics`, appMetrics: `http://${config.HOST}:${config.WORKER_APP_METRICS_PORT}/metrics` }, 'worker running');
  await workers.run();
  await connection.close();
  await closeCoreDeps(deps);
}

main().catch((error) => {
  logFatal('worker', error, 'worker failed');
  process.exit(1);
});
