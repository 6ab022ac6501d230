import type { Db } from '../../platform/db';

/** A row of `idempotency_keys`: one POST's key, scoped to its caller and route, and its answer once done. */
export interface StoredRequest {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  created_at: Date;
}

/**
 * One round trip claims the key: a new key is inserted; an expired one (older than the TTL) or an
 * abandoned one (in progress for longer than staleAfter) is taken over. False: another request holds it.
 */
export async function claimIdempotencyKey(db: Db, input: { scope: string; key: string; requestHash: string; ttlHours: number; staleAfterSeconds: number }): Promise<boolean> {
  const claimed = await db.raw(
    `insert into idempotency_keys (scope, key, request_hash) values (?, ?, ?)
     on conflict (scope, key) do update
       set request_hash = excluded.request_hash, state = 'in_progress', response_status = null,
           response_headers = null, response_body = null, created_at = now(), completed_at = null
       where idempotency_keys.created_at < now() - make_interval(hours => ?)
          or (idempotency_keys.state = 'in_progress' and idempotency_keys.created_at < now() - make_interval(secs => ?))
     returning key`,
    [input.scope, input.key, input.requestHash, input.ttlHours, input.staleAfterSeconds],
  );
  return claimed.rows.length > 0;
}

/** Gives the key up (the request failed): the client may send it again. */
export async function releaseIdempotencyKey(db: Db, scope: string, key: string): Promise<void> {
  await db('idempotency_keys').where({ scope, key }).delete();
}

export async function completeIdempotencyKey(db: Db, scope: string, key: string, response: { status: number; headers: Record<string, string>; body: string }): Promise<void> {
  await db('idempotency_keys').where({ scope, key }).update({ state: 'completed', response_status: response.status, response_headers: JSON.stringify(response.headers), response_body: response.body, completed_at: db.fn.now() });
}

export async function findIdempotencyKey(db: Db, scope: string, key: string): Promise<StoredRequest | undefined> {
  return (await db('idempotency_keys').where({ scope, key }).first()) as StoredRequest | undefined;
}
