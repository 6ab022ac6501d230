import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * The one log format of every process: one JSON object per line (pino), ISO time, `service`.
 * Request logs add requestId and accountId; Temporal's own lines (routed here by
 * platform/temporal-runtime.ts) add workflowId, runId, workflowType, activityType, taskQueue.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({ name, level: config.LOG_LEVEL, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** The Temporal SDK's log levels, as pino's. */
export const TEMPORAL_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** pino's own fields: SDK metadata with these names is renamed rather than overwrite them. */
const RESERVED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'name']);

/**
 * One SDK log entry as a pino line: the SDK's metadata (workflowId, runId, workflowType,
 * activityType, taskQueue, attempt, and what workflow or activity code added) at the top level,
 * where log search filters on it; an error under `err`; the task token never.
 */
export function logTemporalEntry(logger: Logger, level: keyof typeof TEMPORAL_LEVELS, message: string, meta: Record<string, unknown> = {}): void {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'taskToken') continue;
    if (key === 'error' || key === 'failure') fields.err = value;
    else fields[RESERVED.has(key) ? `temporal_${key}` : key] = value;
  }
  logger[TEMPORAL_LEVELS[level] ?? 'info'](fields, message);
}

/** A process's last words when it fails before (or after) it has a logger: still one JSON line. */
export function logFatal(service: string, error: unknown, msg = 'process failed'): void {
  const err = error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : { message: String(error) };
  process.stderr.write(`${JSON.stringify({ level: 60, time: new Date().toISOString(), service, err, msg })}\n`);
}
