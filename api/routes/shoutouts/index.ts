import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Routes of the shoutouts capability. */
export function registerShoutoutsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
