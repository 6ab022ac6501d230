import { defaultStackParser, linkedErrorsIntegration, makeNodeTransport, NodeClient, Scope } from '@sentry/node';
import type { Config } from './config';
import type { Logger } from './logger';

export type ErrorLevel = 'fatal' | 'error' | 'warning' | 'info';

/** What is known about where a failure happened: tags are indexed by Sentry, extra is shown with the event. */
export interface ErrorContext {
  tags?: Record<string, string | number | undefined>;
  extra?: Record<string, unknown>;
  level?: ErrorLevel;
  /** Groups events Sentry would otherwise split (same activity failing with varying messages). */
  fingerprint?: string[];
}

/**
 * Error tracking (`SENTRY_DSN`: Sentry or any server speaking its envelope protocol). Without a DSN
 * every call is a no-op, so callers never check.
 */
export interface ErrorReporter {
  readonly enabled: boolean;
  captureException(error: unknown, context?: ErrorContext): string | undefined;
  captureMessage(message: string, context?: ErrorContext): string | undefined;
  /** Waits until queued events are sent (or the timeout passes): before a process exits, and in tests. */
  flush(timeoutMs?: number): Promise<boolean>;
}

const disabled: ErrorReporter = {
  enabled: false,
  captureException: () => undefined,
  captureMessage: () => undefined,
  flush: async () => true,
};

/**
 * A client of its own rather than `Sentry.init()`: init patches http, fetch and the global error
 * handlers through OpenTelemetry, which costs every request, and a test process runs several
 * stacks, each with its own DSN. Only what we report explicitly is sent.
 */
export function createErrorReporter(config: Pick<Config, 'SENTRY_DSN' | 'SENTRY_ENVIRONMENT' | 'NODE_ENV'>, service: string, logger?: Logger): ErrorReporter {
  if (!config.SENTRY_DSN) return disabled;
  const client = new NodeClient({
    dsn: config.SENTRY_DSN,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    serverName: service,
    transport: makeNodeTransport,
    stackParser: defaultStackParser,
    integrations: [linkedErrorsIntegration()],
    sendClientReports: false,
    // No module-loader hooks: we trace nothing, we only send what we capture.
    enableRuntimeChannelInjection: false,
  });
  client.init();
  const base = new Scope();
  base.setClient(client);
  base.setTag('service', service);

  const scoped = (context: ErrorContext = {}) => {
    const scope = base.clone();
    for (const [name, value] of Object.entries(context.tags ?? {})) if (value !== undefined) scope.setTag(name, String(value));
    if (context.extra) scope.setExtras(context.extra);
    if (context.level) scope.setLevel(context.level);
    if (context.fingerprint) scope.setFingerprint(context.fingerprint);
    return scope;
  };
  return {
    enabled: true,
    captureException(error, context) {
      try {
        return scoped(context).captureException(error);
      } catch (failure) {
        logger?.warn({ err: failure }, 'sentry capture failed');
        return undefined;
      }
    },
    captureMessage(message, context) {
      try {
        return scoped(context).captureMessage(message, context?.level ?? 'error');
      } catch (failure) {
        logger?.warn({ err: failure }, 'sentry capture failed');
        return undefined;
      }
    },
    flush: async (timeoutMs = 2_000) => client.flush(timeoutMs),
  };
}
