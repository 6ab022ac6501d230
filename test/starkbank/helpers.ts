import { randomUUID } from 'node:crypto';
import type { Env } from '../../platform/config/env';
import type { Ports } from '../../platform/deps';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { FakeStarkbank } from './fake-starkbank';

export interface StarkbankStack {
  fake: FakeStarkbank;
  stack: TestStack;
  admin: TestAccount;
  webhookUrl: string;
  batcherId: string;
  stop(): Promise<void>;
}

/** A fake Stark Bank API and a real stack whose `starkbank` adapter (the official SDK) talks to it. */
export async function startStarkbankStack(env: Env = {}, ports: Partial<Ports> = {}): Promise<StarkbankStack> {
  const fake = await new FakeStarkbank().start();
  const suffix = randomUUID().slice(0, 8);
  const batcherId = `starkbank-transfer-batcher-${suffix}`;
  const stack = await startTestStack({
    env: { ...fake.env(), STARKBANK_BATCHER_ID: batcherId, STARKBANK_SCHEDULE_ID: `starkbank-invoices-${suffix}`, STARKBANK_TIMEOUT: '5s', ...env },
    ports,
  });
  const admin = await createActiveAccount(stack.deps, { kind: 'fan', roles: ['admin'] });
  return {
    fake,
    stack,
    admin,
    webhookUrl: `${stack.api!.url}/webhooks/starkbank`,
    batcherId,
    stop: async () => {
      await stack.deps.temporal.workflow.getHandle(batcherId).terminate('test over').catch(() => undefined);
      await stack.stop();
      await fake.stop();
    },
  };
}

/** Transfers our records hold for these invoices. */
export async function transfersFor(s: StarkbankStack, invoiceIds: string[]) {
  return s.stack.deps.db('starkbank_transfers').whereIn('invoice_id', invoiceIds);
}

/** Waits until the fake holds `n` transfers for these invoices. */
export function fakeTransfersFor(s: StarkbankStack, invoiceIds: string[]) {
  const wanted = new Set(invoiceIds.map((id) => `invoice-${id}`));
  return [...s.fake.transfers.values()].filter((t) => wanted.has(t.externalId));
}

export { eventually };
