import type { CoreDeps } from '../platform/deps';

/** Creates or updates the `starkbank-invoices` Temporal Schedule (owned by the Stark Bank capability). */
export async function ensureStarkbankSchedule(deps: CoreDeps): Promise<void> {
  void deps;
}
