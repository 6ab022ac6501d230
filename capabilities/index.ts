import { accountsCapability } from './accounts';
import { billingCapability } from './billing';
import { operationsCapability } from './operations';
import { channelsCapability } from './channels';
import { engagementCapability } from './engagement';
import { contentsCapability } from './contents';
import { paymentsCapability } from './payments';
import { platformCapability } from './platform';
import { shoutoutsCapability } from './shoutouts';
import { splitsCapability } from './splits';
import { starkbankCapability } from './starkbank';
import { webCapability } from './web';

/** Every capability of the platform, in registration order: the one list the API, the worker and the config loader iterate. */
export const CAPABILITIES = [
  platformCapability,
  accountsCapability,
  paymentsCapability,
  shoutoutsCapability,
  billingCapability,
  starkbankCapability,
  splitsCapability,
  operationsCapability,
  channelsCapability,
  contentsCapability,
  engagementCapability,
  // Last: the web app answers only what no route above did.
  webCapability,
] as const;

export type { ApiLifecycle, Capability, BodyLimit } from './capability';
