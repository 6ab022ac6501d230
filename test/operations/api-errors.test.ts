import { createRoute, z } from '@hono/zod-openapi';
import { CAPABILITIES } from '../../capabilities';
import { defineCapability } from '../../capabilities/capability';
import { requireAuth } from '../../api/middleware/auth';
import { problems } from '../../api/problem';
import { problemContent, problemResponses } from '../../api/schemas';
import { createActiveAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { eventText, SentryReceiver } from './sentry-receiver';

/** API errors that leave as 5xx reach Sentry with the request id, route and account; 4xx answers do not. */
describe('API errors to Sentry', () => {
  const sentry = new SentryReceiver({ project: '3', publicKey: 'apikey' });
  let stack: TestStack;

  // A capability of this test only: routes that fail the way a bug or a dependency would.
  const faulty = defineCapability({
    name: 'faulty',
    config: z.object({}),
    routes: (app, deps) => {
      const answers = { 200: { description: 'Never', content: { 'application/json': { schema: z.object({}) } } }, ...problemResponses(401, 404), 500: { description: 'A bug', content: problemContent } };
      app.openapi(createRoute({ method: 'get', path: '/v1/faulty/bug', security: [{ bearer: [] }], middleware: [requireAuth(deps.config.JWT_SECRET)], responses: answers }), () => {
        throw new TypeError("Cannot read properties of undefined (reading 'amount')");
      });
      app.openapi(createRoute({ method: 'get', path: '/v1/faulty/missing', responses: answers }), () => {
        throw problems.notFound('No such thing.');
      });
    },
  });

  beforeAll(async () => {
    await sentry.start();
    stack = await startTestStack({ worker: false, api: { capabilities: [...CAPABILITIES, faulty] }, env: { SENTRY_DSN: sentry.dsn } });
  });
  afterAll(async () => {
    await stack.stop();
    await sentry.stop();
  });

  it('reports an unhandled error (500) with the request id, route and account', async () => {
    const user = await createActiveAccount(stack.deps);
    const res = await stack.http.get('/v1/faulty/bug', { token: user.token, headers: { 'x-request-id': 'req-ops-500' } });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('amount');
    const event = await eventually(async () => sentry.events.find((e) => e.event.tags?.request_id === 'req-ops-500'));
    expect(eventText(event)).toBe("TypeError: Cannot read properties of undefined (reading 'amount')");
    expect(event.event.tags).toMatchObject({ route: 'GET /v1/faulty/bug', status: '500', account_id: user.id, service: 'test' });
    expect(event.event.level).toBe('error');
  });

  it('does not report answers that are not server errors', async () => {
    const res = await stack.http.get('/v1/faulty/missing', { headers: { 'x-request-id': 'req-ops-404' } });
    expect(res.status).toBe(404);
    await stack.deps.errors.flush(2_000);
    expect(sentry.events.filter((e) => e.event.tags?.request_id === 'req-ops-404')).toEqual([]);
  });
});
