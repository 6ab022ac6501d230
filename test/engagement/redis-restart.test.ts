import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../platform/child-process';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, type TestStack } from '../harness/stack';
import { counters, publishTrack, startEngagementStack, stopEngagementStack } from './helpers';

/**
 * Redis restarted under traffic: a Redis of this suite's own (append-only file, fsync always, so
 * nothing it acknowledged is lost) is killed and started again while votes keep coming. Votes the
 * API answered 200 count exactly once; while Redis is down the API answers 503 (never 500) and
 * those votes count nowhere.
 */
describe('engagement with Redis restarted under traffic', () => {
  let dir: string;
  let port: number;
  let redis: ChildProcess | undefined;
  let stack: TestStack;
  let owner: TestAccount;
  let contentId: string;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    await eventually(async () => {
      const { createConnection } = await import('node:net');
      return new Promise<boolean>((resolve) => {
        const socket = createConnection(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    }, { what: 'redis-server to listen' });
  };
  const killRedis = async () => {
    const proc = redis!;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-redis-'));
    port = await freePort();
    await startRedis();
    stack = await startEngagementStack('redis', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    owner = await createActiveAccount(stack.deps);
    ({ contentId } = await publishTrack(stack, owner, undefined, 'Redis restart'));
  }, 180_000);
  afterAll(async () => {
    await stopEngagementStack(stack);
    if (redis && redis.exitCode === null) await killRedis();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts every accepted vote exactly once across a Redis restart', async () => {
    const voters = await Promise.all(Array.from({ length: 60 }, () => createActiveAccount(stack.deps)));
    const accepted = new Map<string, number>();
    const vote = async (voter: TestAccount, value: 1 | -1) => {
      const res = await stack.http.put(`/v1/contents/${contentId}/vote`, { value }, { token: voter.token });
      expect([200, 503]).toContain(res.status);
      if (res.status === 200) accepted.set(voter.id, value);
      return res.status;
    };
    // Before: twenty votes land.
    await Promise.all(voters.slice(0, 20).map((v) => vote(v, 1)));
    expect(accepted.size).toBe(20);
    // Redis dies; votes sent meanwhile are refused with 503.
    await killRedis();
    const during = await Promise.all(voters.slice(20, 30).map((v) => vote(v, -1)));
    expect(during.every((s) => s === 503)).toBe(true);
    // It comes back with what it had acknowledged; the rest of the votes land.
    await startRedis();
    await eventually(async () => (await vote(voters[30], -1)) === 200, { what: 'the API to reach Redis again', timeoutMs: 60_000 });
    await Promise.all(voters.slice(31).map((v, i) => vote(v, i % 2 === 0 ? 1 : -1)));

    const ups = [...accepted.values()].filter((v) => v === 1).length;
    const downs = [...accepted.values()].filter((v) => v === -1).length;
    await eventually(async () => {
      const now = await counters(stack, contentId);
      return now.upvotes === ups && now.downvotes === downs && (await stack.deps.ports.engagement.size()) === 0;
    }, { what: `counts ${ups}/${downs}`, timeoutMs: 60_000 });
    expect(Number((await stack.deps.db('content_votes').where({ content_id: contentId }).count({ n: '*' }))[0].n)).toBe(accepted.size);
  }, 180_000);
});
