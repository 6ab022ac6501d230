/** `npm run api`: the HTTP API alone, against DATABASE_URL and TEMPORAL_ADDRESS (production-style). */
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { logFatal } from '../platform/logger';
import { startApi } from './server';
import { loadDotEnv } from '../platform/config/dotenv';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const deps = await createCoreDeps(config, 'api');
  const api = await startApi(deps);
  deps.logger.info({ url: api.url }, 'api listening');
  const stop = async () => {
    // Rolling deploys: fail readiness for API_DRAIN_DELAY, then finish the requests in flight.
    deps.logger.info({ drainMs: config.API_DRAIN_DELAY }, 'api draining');
    await api.drain(config.API_DRAIN_DELAY);
    deps.logger.info('api stopped');
    await closeCoreDeps(deps);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  logFatal('api', error, 'api failed');
  process.exit(1);
});
