import type { Db } from '../../platform/db';

/** Writes the ping's row once (keyed by the ping id) and answers when it was recorded. */
export async function recordPing(db: Db, input: { id: string; workflowId: string; message: string }): Promise<Date> {
  await db('pings').insert({ id: input.id, workflow_id: input.workflowId, message: input.message }).onConflict('id').ignore();
  const row = await db('pings').where({ id: input.id }).first('created_at');
  return row.created_at as Date;
}
