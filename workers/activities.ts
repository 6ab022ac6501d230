import { createAccountsActivities } from '../activities/accounts';
import { createBillingActivities } from '../activities/billing';
import { createPingActivities } from '../activities/platform/ping';
import { createEmailActivities } from '../activities/email/activities';
import { createShoutoutsActivities, createShoutoutsMediaActivities } from '../activities/shoutouts';
import { createSplitsActivities } from '../activities/splits';
import { createStarkbankActivities } from '../activities/starkbank';
import type { CoreDeps } from '../platform/deps';

/** Every activity of the `limelight` task queue, bound to the process's dependencies. */
export function createActivities(deps: CoreDeps) {
  return {
    ...createPingActivities(deps),
    ...createEmailActivities(deps),
    ...createAccountsActivities(deps),
    ...createShoutoutsActivities(deps),
    ...createBillingActivities(deps),
    ...createStarkbankActivities(deps),
    ...createSplitsActivities(deps),
  };
}

/** Activities of the `limelight-media` task queue. */
export function createMediaActivities(deps: CoreDeps) {
  return { ...createShoutoutsMediaActivities(deps) };
}
