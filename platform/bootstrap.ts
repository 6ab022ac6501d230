import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from './config';
import { createDb } from './db';
import type { CoreDeps, Ports } from './deps';
import { createLogger } from './logger';
import { createPorts } from './ports';
import { createErrorReporter } from './sentry';
import { connectClient } from './temporal';

/** Builds a process's dependencies once, at its entrypoint: nothing below imports singletons. */
export async function createCoreDeps(config: Config, name: string, overrides: Partial<Ports> = {}): Promise<CoreDeps> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded PostgreSQL).');
  const logger = createLogger(config, name);
  const db = createDb(config.DATABASE_URL, config.DB_POOL_MAX);
  const temporal = await connectClient(config);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const errors = createErrorReporter(config, name, logger);
  const ports = createPorts(config, db, logger, { errors, metrics }, overrides);
  return { config, db, logger, temporal, metrics, errors, ports };
}

export async function closeCoreDeps(deps: CoreDeps): Promise<void> {
  // Adapters with background work (the Stark Bank sandbox's payer simulation) stop before the pool closes.
  deps.ports.bank.stop?.();
  // Pending alert counts and queued Telegram messages go out before the pool closes.
  await deps.ports.alerts.stop().catch(() => undefined);
  await deps.errors.flush(2_000).catch(() => false);
  await deps.ports.engagement.close().catch(() => undefined);
  await deps.temporal.connection.close().catch(() => undefined);
  await deps.db.destroy().catch(() => undefined);
}
