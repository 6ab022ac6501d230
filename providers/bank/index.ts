import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import type { BankProvider } from './port';
import { SandboxBank } from './sandbox';
import { StarkbankBank } from './starkbank';

/** Whether Stark Bank credentials are configured (then the SDK adapter is the default). */
export function hasStarkbankCredentials(config: Config): boolean {
  return Boolean(config.STARKBANK_USER_ID && (config.STARKBANK_PRIVATE_KEY || config.STARKBANK_PRIVATE_KEY_FILE));
}

/** `starkbank` (official SDK) when credentials are set or STARKBANK_PROVIDER=starkbank; else the `sandbox` simulator. */
export function createBankProvider(config: Config, db: Db, logger: Logger): BankProvider {
  const provider = config.STARKBANK_PROVIDER ?? (hasStarkbankCredentials(config) ? 'starkbank' : 'sandbox');
  if (provider === 'starkbank') return new StarkbankBank(config, logger.child({ port: 'bank', adapter: 'starkbank' }));
  return new SandboxBank(config, db, logger.child({ port: 'bank', adapter: 'sandbox' }));
}
