import { randomUUID } from 'node:crypto';
import type { TestAccount } from '../harness/accounts';
import type { TestStack } from '../harness/stack';

/** A handle no other test takes: `<prefix>-<8 hex>`. */
export function uniqueHandle(prefix = 'ch'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface ChannelBody {
  id: string;
  handle: string;
  name: string;
  description: string;
  ownerId: string;
  createdAt: string;
  subscriberCount: number;
  contentCount: number;
}

/** POST /v1/channels as `owner`; throws unless 201. */
export async function createChannel(stack: TestStack, owner: TestAccount, fields: { name?: string; handle?: string; description?: string } = {}): Promise<ChannelBody> {
  const handle = fields.handle ?? uniqueHandle();
  const res = await stack.http.post('/v1/channels', { name: fields.name ?? `Channel ${handle}`, handle, ...(fields.description !== undefined ? { description: fields.description } : {}) }, { token: owner.token });
  if (res.status !== 201) throw new Error(`createChannel: ${res.status} ${res.text}`);
  return res.body as ChannelBody;
}

/** Two creations sent at the same moment; answers their statuses sorted (e.g. [201, 422]). */
export async function raceTwoCreations(stack: TestStack, owner: TestAccount): Promise<{ statuses: number[]; bodies: unknown[] }> {
  const send = () => stack.http.post('/v1/channels', { name: 'Racer', handle: uniqueHandle('race') }, { token: owner.token });
  const answers = await Promise.all([send(), send()]);
  return { statuses: answers.map((a) => a.status).sort(), bodies: answers.map((a) => a.body) };
}

/** Ground truth from the database: the live channels an account owns. */
export async function liveChannels(stack: TestStack, ownerId: string): Promise<number> {
  const [row] = await stack.deps.db('channels').where({ owner_id: ownerId }).whereNull('deleted_at').count({ n: '*' });
  return Number(row.n);
}
