import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

export interface AdminSubscriptionRow {
  id: string;
  account_id: string;
  plan_id: string;
  plan_name: string | null;
  status: string;
  price_amount: number;
  currency: string;
  period: number;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  created_at: Date;
}

/** Every subscription, newest first, with its plan's name (the admin console). */
export async function pageAllSubscriptions(db: Db, filter: { status?: string }, page: { limit: number; cursor?: string }) {
  const query = db('subscriptions as s').leftJoin('products as p', 'p.id', 's.plan_id').select('s.*', 'p.name as plan_name');
  if (filter.status) query.where('s.status', filter.status);
  return newestFirstPage<AdminSubscriptionRow>(query, page, 's.');
}
