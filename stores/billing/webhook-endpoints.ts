import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * Receivers of reporting events. An endpoint is never deleted, only deactivated, so its delivery
 * history stays readable. The secret is stored to sign deliveries and shown only on creation.
 */
export interface WebhookEndpointRow {
  id: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  created_at: Date;
}

export async function createWebhookEndpoint(db: Db, endpoint: { id: string; url: string; events: string[]; secret: string }): Promise<WebhookEndpointRow> {
  const [row] = (await db('webhook_endpoints').insert({ id: endpoint.id, url: endpoint.url, events: endpoint.events, secret: endpoint.secret }).returning('*')) as WebhookEndpointRow[];
  return row;
}

export async function findWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpointRow | undefined> {
  return db<WebhookEndpointRow>('webhook_endpoints').where({ id }).first();
}

/** Endpoints newest first, without their secrets. */
export async function listWebhookEndpoints(db: Db, filter: { active?: boolean }, page: { limit: number; cursor?: string }) {
  const query = db('webhook_endpoints').select('id', 'url', 'events', 'active', 'created_at');
  if (filter.active !== undefined) query.where({ active: filter.active });
  return newestFirstPage<Omit<WebhookEndpointRow, 'secret'>>(query, page);
}

/** Deactivates the endpoint; answers false when there is no such endpoint (true also when it already was inactive). */
export async function deactivateWebhookEndpoint(db: Db, id: string): Promise<boolean> {
  const updated = await db('webhook_endpoints').where({ id }).update({ active: false });
  return updated > 0;
}

/** The ids of the active endpoints subscribed to `type` (or to every type, `*`). */
export async function activeEndpointIdsFor(db: Db, type: string): Promise<string[]> {
  const rows: { id: string }[] = await db('webhook_endpoints').select('id').where({ active: true }).andWhereRaw(`(? = any(events) or '*' = any(events))`, [type]);
  return rows.map((r) => r.id);
}
