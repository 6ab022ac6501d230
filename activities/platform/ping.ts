import type { Db } from '../../platform/db';
import { recordPing } from '../../stores/platform/pings';

export function createPingActivities({ db }: { db: Db }) {
  return {
    /** Records the ping once (keyed by the ping id) and answers when it was recorded. */
    async recordPing(input: { id: string; workflowId: string; message: string }): Promise<{ recordedAt: string }> {
      return { recordedAt: (await recordPing(db, input)).toISOString() };
    },
  };
}

export type PingActivities = ReturnType<typeof createPingActivities>;
