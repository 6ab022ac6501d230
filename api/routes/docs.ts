import fs from 'node:fs';
import path from 'node:path';
import type { AppOpenAPI } from '../app-types';
import { refineOpenApiDocument } from '../openapi-refine';
import { problems } from '../problem';

// A Map, not an object: `__proto__`, `constructor` or `toString` must not find anything.
const ASSETS = new Map<string, string>(Object.entries({
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}));

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Limelight API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

/**
 * OpenAPI 3.1 at /openapi.json and Swagger UI at /docs, its assets served from the local package (no CDN).
 * The document is generated once, on its first request (every route is registered by then), and
 * completed by refineOpenApiDocument (operationIds, security, shared answers).
 */
export function registerDocsRoutes(app: AppOpenAPI): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  let document: string | undefined;
  app.get('/openapi.json', (c) => {
    document ??= JSON.stringify(
      refineOpenApiDocument(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: {
            title: 'Limelight API',
            version: '1.0.0',
            description:
              'Creator commerce and payments on Temporal workflows. Money is `{amount, currency}` in integer minor units; errors are RFC 9457 problem documents; authenticated POSTs accept `Idempotency-Key`. Strings must not hold NUL bytes or lone UTF-16 surrogates (400 naming the field).',
          },
          servers: [{ url: '/' }],
        }),
      ),
    );
    return c.body(document, 200, { 'Content-Type': 'application/json' });
  });
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'application/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    // Asset names are file names with an extension (`swagger-ui.css`): `__proto__`, `constructor`… are a bad request, not a lookup.
    if (!file.includes('.')) throw problems.badRequest('Not an asset file name.', [{ field: 'file', message: 'must be a file name with an extension, such as swagger-ui.css' }]);
    const type = ASSETS.get(file);
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = fs.readFileSync(path.join(dir, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
