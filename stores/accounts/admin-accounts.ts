import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

export interface AdminAccountRow {
  id: string;
  email: string;
  name: string;
  kind: string;
  status: 'pending_verification' | 'active' | 'deactivated';
  roles: string[];
  created_at: Date;
  deactivated_at: Date | null;
}

/** Accounts newest first, optionally by status and by a case-insensitive part of the email or name (the admin console). */
export async function pageAccounts(db: Db, filter: { status?: string; q?: string }, page: { limit: number; cursor?: string }) {
  const query = db('accounts').select('id', 'email', 'name', 'kind', 'status', 'roles', 'created_at', 'deactivated_at');
  if (filter.status) query.where('status', filter.status);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m: string) => `\\${m}`)}%`;
    query.where((w) => w.whereILike('email', like).orWhereILike('name', like));
  }
  return newestFirstPage<AdminAccountRow>(query, page);
}
