import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { registerAdminAccountRoutes } from './admin';
import { registerAuthRoutes } from './auth';
import { registerMailboxRoutes } from './mailbox';
import { registerSignupRoutes } from './signup';

/** Routes of the accounts capability: signup and verification, tokens, /v1/me, admin, and the dev mailbox. */
export function registerAccountsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  registerSignupRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerAdminAccountRoutes(app, deps);
  registerMailboxRoutes(app, deps);
}
