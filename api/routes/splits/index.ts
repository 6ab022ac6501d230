import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Routes of the splits capability. */
export function registerSplitsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
