import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Routes of the accounts capability. */
export function registerAccountsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
