import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import type { Config } from './config';
import { logTemporalEntry, type Logger } from './logger';

const SDK_LEVEL: Record<Config['LOG_LEVEL'], LogLevel> = { fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE', silent: 'ERROR' };

/**
 * Installs the worker process's Temporal Runtime once: SDK metrics for Prometheus, and every SDK
 * log line (the worker's, workflow and activity loggers, and the Rust core's, forwarded) through
 * the process's pino logger, so the worker writes JSON only.
 */
export function installTemporalRuntime(config: Config, logger: Logger): void {
  const sdk = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVEL[config.LOG_LEVEL], (entry) => logTemporalEntry(sdk, entry.level, entry.message, entry.meta as Record<string, unknown> | undefined)),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      metrics: { prometheus: { bindAddress: `${config.HOST}:${config.WORKER_METRICS_PORT}` } },
    },
  });
}
