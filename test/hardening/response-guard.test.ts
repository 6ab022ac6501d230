import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../api/app-types';
import { problemResponse } from '../../api/problem';
import { problemContent } from '../../api/schemas';
import { ResponseGuard } from '../harness/response-guard';

/**
 * The guard every end-to-end suite runs with (startTestStack): it must catch an undocumented status,
 * a body off its schema, an undocumented media type and an undocumented route, and let documented
 * answers through.
 */
describe('the response guard', () => {
  const app = new OpenAPIHono<AppEnv>();
  const guard = new ResponseGuard();
  app.use('*', guard.middleware(app));
  const Thing = z.object({ id: z.string(), price: z.object({ amount: z.number().int() }).nullable() }).openapi('Thing');
  app.openapi(
    createRoute({
      method: 'get',
      path: '/things/{id}',
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { description: 'A thing', content: { 'application/json': { schema: Thing } } }, 404: { description: 'None', content: problemContent } },
    }),
    // Deliberately off the route's own types: the guard must catch what TypeScript would.
    ((c: Context<AppEnv>) => {
      const id = c.req.param('id');
      if (id === 'bad-body') return c.json({ id: 1, price: null } as never, 200);
      if (id === 'teapot') return c.json({ id }, 418 as never);
      if (id === 'html') return c.html('<p>hi</p>', 200) as never;
      if (id === 'missing') return problemResponse(c, 404, 'not-found', 'No such thing.') as never;
      return c.json({ id, price: id === 'priced' ? { amount: 5 } : null }, 200);
    }) as never,
  );
  app.get('/hidden', (c) => c.json({ ok: true }));
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 't', version: '1' } });

  it('lets documented answers through and reports every other one', async () => {
    for (const id of ['ok', 'priced', 'missing']) await app.request(`/things/${id}`);
    await app.request('/no-route-at-all');
    expect(guard.violations).toEqual([]);

    await app.request('/things/bad-body');
    await app.request('/things/teapot');
    await app.request('/things/html');
    await app.request('/hidden');
    expect(guard.violations).toEqual([
      expect.stringMatching(/GET \/things\/bad-body → 200: body does not match .*\/id must be string/),
      expect.stringMatching(/GET \/things\/teapot → 418: status 418 is not documented/),
      expect.stringMatching(/GET \/things\/html → 200: Content-Type text\/html is not documented/),
      expect.stringMatching(/GET \/hidden → 200: route \/hidden is served but not in \/openapi.json/),
    ]);
  });
});
