import { createAccountsActivities } from '../activities/accounts';
import { registerAccountsRoutes } from '../api/routes/accounts';
import { accountsSchema } from '../platform/config/accounts';
import { defineCapability } from './capability';

/** Accounts, verification codes, tokens, roles. */
export const accountsCapability = defineCapability({
  name: 'accounts',
  config: accountsSchema,
  routes: registerAccountsRoutes,
  activities: { main: createAccountsActivities },
});
