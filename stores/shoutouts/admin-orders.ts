import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';
import type { OrderRow } from './orders';

/** Every order, newest first, with its talent's display name (the admin console). */
export async function pageAllOrders(db: Db, filter: { status?: string }, page: { limit: number; cursor?: string }) {
  const query = db('shoutout_orders as o').leftJoin('shoutout_talents as t', 't.account_id', 'o.talent_id').select('o.*', 't.display_name as talent_name');
  if (filter.status) query.where('o.status', filter.status);
  return newestFirstPage<OrderRow & { talent_name: string | null }>(query, page, 'o.');
}
