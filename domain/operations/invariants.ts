/**
 * A broken money invariant, found by the read-only checks of `npm run check:money` (each store's
 * invariants.ts). `rows` names the records at fault so someone can look at them.
 */
export interface MoneyViolation {
  invariant: string;
  rows: string[];
  detail: string;
}

export function describeViolation(v: MoneyViolation): string {
  return `${v.invariant}: ${v.detail} [${v.rows.join(', ')}]`;
}
