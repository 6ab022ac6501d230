import { startTestStack, type HttpResponse, type TestStack } from '../harness/stack';

const BODY_LIMIT = 512;

/** Every error answers as an RFC 9457 problem document. */
function expectProblem(res: HttpResponse, status: number, type: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body.type).toMatch(type);
  expect(res.body.title.length).toBeGreaterThan(0);
}

describe('errors as problem documents (400, 413, 404)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // No worker: none of these requests may start a workflow.
    stack = await startTestStack({ worker: false, env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
  });
  afterAll(() => stack.stop());

  it('answers bad JSON with 400 malformed-json', async () => {
    const res = await stack.http.request('POST', '/v1/ping', { raw: '{"message": "unterminated', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, /malformed-json$/);
    expect(res.body.title).toBe('Bad Request');
    expect(res.body.detail).toMatch(/JSON/);
    expect(res.body.instance).toBe('/v1/ping');
  });

  it('answers wrong types with 400 listing each bad field', async () => {
    const res = await stack.http.post('/v1/ping', { message: 123 });
    expectProblem(res, 400, /invalid-request$/);
    expect(res.body.errors).toEqual([{ field: 'message', message: expect.any(String) }]);
    expect(res.body.errors[0].message).toMatch(/string/i);
  });

  it('names the field when a constraint fails', async () => {
    const res = await stack.http.post('/v1/ping', { message: 'x'.repeat(201) });
    expectProblem(res, 400, /invalid-request$/);
    expect(res.body.errors).toEqual([{ field: 'message', message: expect.stringMatching(/200/) }]);
  });

  it('answers a JSON body that is not an object with 400 naming the body', async () => {
    const res = await stack.http.post('/v1/ping', [1, 2]);
    expectProblem(res, 400, /invalid-request$/);
    expect(res.body.errors).toEqual([{ field: '(body)', message: expect.any(String) }]);
  });

  it('answers a body that is not sent as JSON with 415', async () => {
    const res = await stack.http.request('POST', '/v1/ping', { raw: '{"message":"hi"}', headers: { 'content-type': 'text/plain' } });
    expectProblem(res, 415, /unsupported-media-type$/);
    expect(res.body.detail).toContain('text/plain');
  });

  it('answers an oversized body (with Content-Length) with 413', async () => {
    const res = await stack.http.post('/v1/ping', { message: 'x'.repeat(BODY_LIMIT * 2) });
    expectProblem(res, 413, /body-too-large$/);
    expect(res.body.title).toBe('Content Too Large');
    expect(res.body.detail).toContain(String(BODY_LIMIT));
  });

  it('answers an oversized chunked body (no Content-Length) with 413', async () => {
    const chunk = new TextEncoder().encode(`{"message":"${'y'.repeat(BODY_LIMIT)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk.slice(0, 100));
        controller.enqueue(chunk.slice(100));
        controller.close();
      },
    });
    const res = await fetch(`${stack.api!.url}/v1/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('answers an unknown route with 404 naming it', async () => {
    const res = await stack.http.get('/v1/no-such-thing');
    expectProblem(res, 404, /not-found$/);
    expect(res.body.detail).toContain('GET /v1/no-such-thing');
  });

  it('answers an invalid Idempotency-Key with 400 naming the header', async () => {
    const res = await stack.http.post('/v1/ping', { message: 'x' }, { headers: { 'Idempotency-Key': 'has spaces in it' } });
    expectProblem(res, 400, /invalid-request$/);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('never started a workflow for any of these requests', async () => {
    const { count } = await stack.deps.temporal.workflow.count(`TaskQueue = "${stack.config.TASK_QUEUE}"`);
    expect(count).toBe(0);
  });
});
