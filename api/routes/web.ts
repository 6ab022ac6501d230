import { createRoute, z } from '@hono/zod-openapi';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { CoreDeps } from '../../platform/deps';
import type { AppOpenAPI } from '../app-types';
import type { EngagementConfig } from '../../platform/config/engagement';

/** Paths the API owns: never answered with the web app. */
const API_PREFIXES = ['/v1/', '/dev/', '/webhooks/', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const SANDBOX_CARDS = [
  { paymentMethod: 'pm_card_visa', label: 'Visa ending 4242 — succeeds' },
  { paymentMethod: 'pm_card_mastercard', label: 'Mastercard ending 4444 — succeeds' },
  { paymentMethod: 'pm_card_amex', label: 'American Express ending 8431 — succeeds' },
  { paymentMethod: 'pm_card_chargeDeclined', label: 'Visa ending 0002 — declined' },
  { paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Visa ending 9995 — insufficient funds' },
];

const WebConfigSchema = z
  .object({
    environment: z.enum(['development', 'test', 'production']),
    devMailbox: z.boolean().openapi({ description: 'GET /dev/mailbox is available (outside production, without SMTP_URL).' }),
    paymentsProvider: z.enum(['sandbox', 'stripe']),
    testCards: z.array(z.object({ paymentMethod: z.string(), label: z.string() })).openapi({ description: 'Payment methods a client may offer in sandbox mode (empty otherwise).' }),
    temporalUiUrl: z.string().openapi({ description: 'Base URL of the Temporal Web UI; a workflow is at {temporalUiUrl}/namespaces/{namespace}/workflows/{workflowId}.' }),
    temporalNamespace: z.string(),
    viewCountsAfterSeconds: z.number().openapi({ description: 'VIEW_COUNTS_AFTER in seconds: a player reports a view (POST /v1/contents/{id}/views) after this much watching.' }),
  })
  .openapi('WebConfig');

const webConfig = createRoute({
  method: 'get',
  path: '/v1/web/config',
  tags: ['web'],
  summary: 'What a client needs to know about this deployment: sandbox test cards, the dev mailbox, the Temporal UI',
  responses: { 200: { description: 'The deployment facts', content: { 'application/json': { schema: WebConfigSchema } } } },
});

function distDir(configured: string | undefined): string | undefined {
  const candidates = configured ? [path.resolve(configured)] : [path.resolve(__dirname, '../../web/dist'), path.resolve(__dirname, '../../../web/dist'), path.resolve(process.cwd(), 'web/dist')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  immutable: boolean;
}

/** The built web app (web/dist) at /, with /v1/web/config; every asset local, gzipped once and cached. */
export function registerWebRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { config } = deps;
  const { VIEW_COUNTS_AFTER } = config as CoreDeps['config'] & EngagementConfig;
  const temporalUiUrl = (config.TEMPORAL_UI_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.TEMPORAL_UI_PORT}`).replace(/\/$/, '');

  app.openapi(webConfig, (c) =>
    c.json(
      {
        environment: config.NODE_ENV,
        devMailbox: config.NODE_ENV !== 'production' && !config.SMTP_URL,
        paymentsProvider: config.STRIPE_SECRET_KEY ? ('stripe' as const) : ('sandbox' as const),
        testCards: config.STRIPE_SECRET_KEY && config.NODE_ENV === 'production' ? [] : SANDBOX_CARDS,
        temporalUiUrl,
        temporalNamespace: config.TEMPORAL_NAMESPACE,
        viewCountsAfterSeconds: VIEW_COUNTS_AFTER / 1000,
      },
      200,
    ),
  );

  const cache = new Map<string, Asset | null>();
  const load = (root: string, rel: string): Asset | null => {
    if (cache.has(rel)) return cache.get(rel)!;
    const file = path.resolve(root, '.' + rel);
    let asset: Asset | null = null;
    if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const body = fs.readFileSync(file);
      asset = { body, gzip: zlib.gzipSync(body, { level: 9 }), type: TYPES[path.extname(file)] ?? 'application/octet-stream', immutable: rel.startsWith('/assets/') };
    }
    cache.set(rel, asset);
    return asset;
  };

  app.get('*', async (c, next) => {
    const url = c.req.path;
    if (API_PREFIXES.some((p) => url === p.replace(/\/$/, '') || url.startsWith(p))) return next();
    const root = distDir(config.WEB_DIST_DIR);
    if (!root) {
      if (url !== '/') return next();
      return c.text('The web app is not built: run `npm run build` (or `npm start`, which builds it when missing).', 503);
    }
    // A file of the build, else the app's shell (client-side routes), but only for pages, not for missing assets.
    let asset = load(root, decodeURIComponent(url));
    if (!asset) {
      if (url.startsWith('/assets/') || path.extname(url)) return next();
      asset = load(root, '/index.html')!;
    }
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const headers: Record<string, string> = {
      'Content-Type': asset.type,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      Vary: 'Accept-Encoding',
    };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    return c.body(new Uint8Array(gzip ? asset.gzip : asset.body), 200, headers);
  });
}
