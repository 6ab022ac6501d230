import { randomUUID } from 'node:crypto';

/** Business ids are prefixed UUIDs ("acc_…", "ord_…"): readable in logs and the Temporal UI. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
