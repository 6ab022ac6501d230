import { createHash, randomUUID } from 'node:crypto';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';

/**
 * The Idempotency-Key middleware (stored in PostgreSQL) on the real POST /v1/ping, which starts
 * a real workflow: a retried or raced POST must never start a second one.
 */
describe('Idempotency-Key on POST', () => {
  let stack: TestStack;
  // Keys are honoured for authenticated callers only (an anonymous body is never read before authentication).
  let caller: TestAccount;
  beforeAll(async () => {
    stack = await startTestStack();
    caller = await createActiveAccount(stack.deps);
  });
  afterAll(() => stack.stop());

  const key = () => `test-${randomUUID()}`;
  const started = (message: string) => stack.deps.db('pings').where({ message }).select('id', 'workflow_id');
  const onQueue = async () => (await stack.deps.temporal.workflow.count(`TaskQueue = "${stack.config.TASK_QUEUE}"`)).count;

  /** Waits until `message` has exactly `n` recorded pings and the queue `total` workflows, then checks no more come. */
  async function expectExecutions(message: string, n: number, total: number) {
    await eventually(async () => (await started(message)).length >= n && (await onQueue()) >= total, { what: `${n} ping(s) for ${message}` });
    await new Promise((r) => setTimeout(r, 500));
    expect(await started(message)).toHaveLength(n);
    expect(await onQueue()).toBe(total);
  }

  let workflowsSoFar = 0;

  it('replays the first response for the same key and body, starting one workflow', async () => {
    const k = key();
    const message = `replay-${k}`;
    const first = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toContain('application/json');
    expect(second.body).toEqual(first.body);
    // A replay is still a response of this API: secure headers and a request id of its own.
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));

    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
    expect((await started(message))[0]).toEqual({ id: first.body.id, workflow_id: first.body.workflowId });

    // Without a key, the same body is a new request.
    const third = await stack.http.post('/v1/ping', { message });
    expect(third.status).toBe(202);
    expect(third.body.id).not.toBe(first.body.id);
    workflowsSoFar += 1;
    await expectExecutions(message, 2, workflowsSoFar);
  });

  it('answers 422 when the same key comes with a different body', async () => {
    const k = key();
    const message = `conflict-${k}`;
    const first = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(first.status).toBe(202);
    const other = await stack.http.post('/v1/ping', { message: `${message}-changed` }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body).toMatchObject({ status: 422, title: 'Unprocessable Content', errors: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    expect(other.body.detail).toMatch(/different request body/);
    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
    expect(await started(`${message}-changed`)).toHaveLength(0);
  });

  it('scopes keys by route: the same key on another route is another request', async () => {
    const k = key();
    const res = await stack.http.post('/v1/no-such-route', { message: 'x' }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(res.status).toBe(404);
    const message = `scoped-${k}`;
    const ping = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(ping.status).toBe(202);
    expect(ping.headers.get('idempotent-replayed')).toBeNull();
    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
  });

  it('runs 10 concurrent duplicates once: all get the same id', async () => {
    const k = key();
    const message = `race-${k}`;
    const responses = await Promise.all(Array.from({ length: 10 }, () => stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
    expect((await started(message))[0].id).toBe([...ids][0]);
  });

  it('runs a request whose key is held by one that died in flight (stale in_progress), not 409 for a day', async () => {
    const k = key();
    const message = `stale-${k}`;
    const body = JSON.stringify({ message });
    const hash = createHash('sha256').update(body).digest('hex');
    // What a process killed between claiming the key and answering leaves behind, 10 minutes ago.
    await stack.deps.db('idempotency_keys').insert({ scope: `POST /v1/ping ${caller.id}`, key: k, request_hash: hash, state: 'in_progress', created_at: stack.deps.db.raw("now() - interval '10 minutes'") });
    const res = await stack.http.request('POST', '/v1/ping', { raw: body, token: caller.token, headers: { 'content-type': 'application/json', 'Idempotency-Key': k } });
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await stack.deps.db('idempotency_keys').where({ key: k }).first()).toMatchObject({ state: 'completed', response_status: 202 });
    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
  });

  it('forgets a key after IDEMPOTENCY_TTL_HOURS: it may then come with another body', async () => {
    const k = key();
    const message = `expired-${k}`;
    await stack.deps.db('idempotency_keys').insert({
      scope: `POST /v1/ping ${caller.id}`, key: k, request_hash: 'an-older-body', state: 'completed', response_status: 202,
      response_headers: JSON.stringify({ 'content-type': 'application/json' }), response_body: '{"id":"png_old"}',
      created_at: stack.deps.db.raw(`now() - make_interval(hours => ${stack.config.IDEMPOTENCY_TTL_HOURS + 1})`),
    });
    const res = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
    expect(res.status).toBe(202);
    expect(res.body.id).not.toBe('png_old');
    workflowsSoFar += 1;
    await expectExecutions(message, 1, workflowsSoFar);
  });

  it('does not keep a 5xx answer: the client may retry with the same key', async () => {
    // A stack whose Temporal namespace does not exist: starting the workflow fails with a 500.
    const broken = await startTestStack({ worker: false, env: { TEMPORAL_NAMESPACE: `missing-${randomUUID().slice(0, 8)}` } });
    try {
      const k = key();
      const message = `fivexx-${k}`;
      const failed = await broken.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toContain('application/problem+json');
      expect(await stack.deps.db('idempotency_keys').where({ key: k })).toHaveLength(0);

      const again = await broken.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
      expect(again.status).toBe(500);
      expect(again.headers.get('idempotent-replayed')).toBeNull();

      // Once the dependency is back (here: a healthy API on the same database), the same key works.
      const ok = await stack.http.post('/v1/ping', { message }, { token: caller.token, headers: { 'Idempotency-Key': k } });
      expect(ok.status).toBe(202);
      expect(ok.headers.get('idempotent-replayed')).toBeNull();
      const stored = await stack.deps.db('idempotency_keys').where({ key: k }).first();
      expect(stored).toMatchObject({ state: 'completed', response_status: 202 });
      workflowsSoFar += 1;
      await expectExecutions(message, 1, workflowsSoFar);
    } finally {
      await broken.stop();
    }
  });
});
