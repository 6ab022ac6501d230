import type { Db } from '../../platform/db';

export function createPingActivities({ db }: { db: Db }) {
  return {
    /** Writes the ping's row once (keyed by the ping id) and answers when it was recorded. */
    async recordPing(input: { id: string; workflowId: string; message: string }): Promise<{ recordedAt: string }> {
      await db('pings').insert({ id: input.id, workflow_id: input.workflowId, message: input.message }).onConflict('id').ignore();
      const row = await db('pings').where({ id: input.id }).first('created_at');
      return { recordedAt: (row.created_at as Date).toISOString() };
    },
  };
}

export type PingActivities = ReturnType<typeof createPingActivities>;
