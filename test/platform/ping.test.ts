import { eventually, startTestStack, type TestStack } from '../harness/stack';

describe('ping round trip (API → Temporal → worker → activity → PostgreSQL → query)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('starts a workflow that records a row and answers its state', async () => {
    const started = await stack.http.post('/v1/ping', { message: 'hello' });
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe(`ping-${started.body.id}`);
    const done = await eventually(async () => {
      const res = await stack.http.get(`/v1/ping/${started.body.id}`);
      return res.body.status === 'completed' ? res.body : undefined;
    });
    expect(done).toMatchObject({ id: started.body.id, message: 'hello', status: 'completed' });
    const row = await stack.deps.db('pings').where({ id: started.body.id }).first();
    expect(row.workflow_id).toBe(started.body.workflowId);
  });

  it('answers 404 as a problem for an unknown ping', async () => {
    const res = await stack.http.get('/v1/ping/png_unknown');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});
