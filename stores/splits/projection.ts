import type { SplitState } from '../../domain/splits/fold';
import type { Db } from '../../platform/db';

/**
 * Reads of `split_payments`, the projection of the event log (./events.ts keeps it equal to
 * fold(events) and is its only writer): the API shows a split and its metrics from here.
 */
export async function getSplitState(db: Db, id: string): Promise<SplitState | undefined> {
  const row = await db('split_payments').where({ id }).first('state');
  return row?.state as SplitState | undefined;
}

/** How many split payments are in each status (the API's /metrics gauges, whichever process ran them). */
export async function countSplitPaymentsByStatus(db: Db): Promise<{ status: string; count: number }[]> {
  const rows = (await db('split_payments').select('status').count({ n: '*' }).groupBy('status')) as { status: string; n: string | number }[];
  return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
}
