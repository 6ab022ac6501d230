import { validate, compileErrors } from '@readme/openapi-parser';
import { eventually, startTestStack, type TestStack } from '../harness/stack';

/** What every client and operator relies on: the OpenAPI document, the docs page, headers, metrics. */
describe('API surface: OpenAPI, /docs, headers, metrics', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('serves /openapi.json as a valid OpenAPI 3.1 document', async () => {
    const res = await stack.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.paths['/v1/ping']?.post).toBeDefined();
    expect(doc.paths['/v1/ping/{id}']?.get).toBeDefined();

    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.specification).toBe('OpenAPI');
  });

  it('serves Swagger UI at /docs with every asset from /docs (no CDN)', async () => {
    const res = await stack.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = res.text;
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);

    const refs = [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/docs\//);
      const asset = await fetch(stack.api!.url + ref);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(0);
      if (ref.endsWith('.js')) expect(asset.headers.get('content-type')).toContain('javascript');
    }
    expect(refs.some((r) => r.startsWith('/docs/assets/') && r.endsWith('swagger-ui-bundle.js'))).toBe(true);
    // The page's own script points Swagger UI at this API's document.
    expect(await (await fetch(`${stack.api!.url}/docs/init.js`)).text()).toContain("'/openapi.json'");
    // Only the listed assets are served: no path traversal into node_modules.
    expect((await stack.http.get('/docs/assets/package.json')).status).toBe(404);
    expect((await stack.http.get('/docs/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('sets secure headers on every answer, errors included', async () => {
    for (const path of ['/healthz', '/v1/no-such-route']) {
      const res = await stack.http.get(path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const echoed = await stack.http.get('/healthz', { headers: { 'X-Request-Id': 'client-req.42_abc' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-req.42_abc');

    const generated = await stack.http.get('/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // Header injection / log forging attempts are replaced, not echoed.
    const hostile = await stack.http.get('/healthz', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(hostile.headers.get('x-request-id')).not.toBe('a b<script>');
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // Problem answers carry it too, so a client can quote it in a bug report.
    const problem = await stack.http.get('/v1/no-such-route', { headers: { 'X-Request-Id': 'trace-me' } });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('x-request-id')).toBe('trace-me');
  });

  it('accepts a POST /v1/ping without a body (curl -X POST)', async () => {
    const res = await stack.http.request('POST', '/v1/ping');
    expect(res.status).toBe(202);
    const done = await eventually(async () => {
      const state = await stack.http.get(`/v1/ping/${res.body.id}`);
      return state.body.status === 'completed' ? state.body : undefined;
    });
    expect(done).toMatchObject({ id: res.body.id, message: 'ping', status: 'completed' });
  });

  it('exposes http_request_duration_seconds on /metrics by route and status', async () => {
    await stack.http.get('/healthz');
    const res = await stack.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*method="GET"[^}]*route="\/healthz"[^}]*status="200"[^}]*\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/ping"[^}]*status="202"[^}]*\} [1-9]/);
    // Default process metrics are there for dashboards.
    expect(res.text).toContain('process_cpu_seconds_total');
  });
});
