import { createRoute, z } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { CodecDecryptError, payloadCodecFrom } from '../../../platform/codec';
import { fromJsonPayload, toJsonPayload } from '../../../platform/codec/payloads-json';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth, requireRole } from '../../middleware/auth';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';

/**
 * The remote codec the Temporal UI and CLI call to show encrypted payloads to operators
 * (`temporal … --codec-endpoint <api>/codec --codec-auth "Bearer <admin token>"`; the UI's
 * "codec server" setting). Admins only; CORS only for the configured Temporal UI origin(s).
 * Without TEMPORAL_CODEC_KEYS payloads are plain and both operations answer them unchanged.
 */
const PayloadSchema = z
  .object({
    metadata: z.record(z.string().max(256), z.string().max(1_000_000)).optional().openapi({ description: 'Metadata values in base64' }),
    data: z.string().max(10_000_000).optional().openapi({ description: 'The payload bytes in base64' }),
  })
  .openapi('CodecPayload');
const Payloads = z.object({ payloads: z.array(PayloadSchema).max(1000) }).openapi('CodecPayloads');

const route = (op: 'encode' | 'decode') =>
  createRoute({
    method: 'post',
    path: `/codec/${op}`,
    tags: ['platform', 'admin'],
    summary: op === 'decode' ? 'Decrypt workflow payloads for the Temporal UI or CLI (admin)' : 'Encrypt workflow payloads for the Temporal UI or CLI (admin)',
    security: [{ bearer: [] }],
    request: {
      headers: z.object({ 'x-namespace': z.string().max(200).optional() }),
      body: { required: true, content: { 'application/json': { schema: Payloads } } },
    },
    responses: { 200: { description: 'The payloads, same order', content: { 'application/json': { schema: Payloads } } }, ...problemResponses(400, 401, 403, 422) },
  });

export function registerCodecRoutes(app: AppOpenAPI, { config }: CoreDeps): void {
  const codec = payloadCodecFrom(config);
  const origins = config.TEMPORAL_UI_ORIGIN.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  // Preflights are answered here, before authentication; any other origin gets no CORS headers.
  app.use('/codec/*', cors({ origin: (origin) => (origins.includes(origin) ? origin : null), allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace'], credentials: true, maxAge: 600 }));
  const adminOnly = [requireAuth(config.JWT_SECRET), requireRole('admin')] as const;
  for (const op of ['encode', 'decode'] as const) {
    app.openapi({ ...route(op), middleware: [...adminOnly] }, async (c) => {
      const { payloads } = c.req.valid('json');
      if (!codec) return c.json({ payloads }, 200);
      try {
        const out = await codec[op](payloads.map(fromJsonPayload));
        return c.json({ payloads: out.map(toJsonPayload) }, 200);
      } catch (error) {
        if (error instanceof CodecDecryptError) throw problems.unprocessable(error.message, [{ field: 'payloads', message: 'cannot be decrypted' }]);
        throw error;
      }
    });
  }
}
