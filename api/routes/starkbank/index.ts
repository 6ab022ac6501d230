import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Routes of the starkbank capability. */
export function registerStarkbankRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
