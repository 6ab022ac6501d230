import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PingActivities } from '../activities/platform/ping';

/** The smallest real round trip: API → Temporal → worker → activity → PostgreSQL → query. */
export interface PingState {
  id: string;
  status: 'running' | 'completed';
  message: string;
  recordedAt?: string;
}

export const pingStateQuery = defineQuery<PingState>('pingState');

const { recordPing } = proxyActivities<PingActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '10 seconds' } });

export async function ping(input: { id: string; message: string }): Promise<PingState> {
  const state: PingState = { id: input.id, status: 'running', message: input.message };
  setHandler(pingStateQuery, () => state);
  const { recordedAt } = await recordPing({ id: input.id, workflowId: `ping-${input.id}`, message: input.message });
  state.recordedAt = recordedAt;
  state.status = 'completed';
  return state;
}
