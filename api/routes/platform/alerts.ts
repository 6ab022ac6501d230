import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import { listAdminAlerts } from '../../../stores/platform/admin-alerts';
import type { AppOpenAPI } from '../../app-types';
import { emptyJsonBodyIsAbsent } from '../../middleware/empty-json-body';
import { requireAuth, requireRole } from '../../middleware/auth';
import { pageOf, PageQuery, problemResponses } from '../../schemas';

const AlertSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ example: 'payment.capture_failed' }),
    severity: z.enum(['critical', 'error', 'warning', 'info']).or(z.string()),
    subject: z.string(),
    aggregateId: z.string().nullable().openapi({ description: 'The business record it is about (order, split, batch, …).' }),
    detail: z.record(z.string(), z.unknown()),
    occurrences: z.number().int().openapi({ description: 'How often its fault key was seen (one row per key).' }),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('AdminAlert');

const ChannelResultSchema = z
  .object({
    channel: z.string().openapi({ example: 'telegram', description: 'table, email, sentry or telegram.' }),
    ok: z.boolean(),
    error: z.string().optional().openapi({ description: 'Why the channel did not take it.' }),
  })
  .openapi('AlertChannelResult');

const TestAlertResult = z
  .object({
    ok: z.boolean().openapi({ description: 'Every configured channel took the alert.' }),
    key: z.string(),
    channels: z.array(ChannelResultSchema),
  })
  .openapi('AlertTestResult');

const TestAlertBody = z.object({ message: z.string().min(1).max(500).optional().openapi({ description: 'Shown in the test alert.' }) });

/** `GET /v1/admin/alerts`, `POST /v1/admin/alerts/test`: what operators check their alert wiring with. */
export function registerAlertRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, ports } = deps;
  const admin = [requireAuth(config.JWT_SECRET), requireRole('admin')];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/alerts/test',
      tags: ['operations'],
      summary: 'Send a test alert through every configured channel (admin table, admin email, Sentry, Telegram) and say what each did',
      security: [{ bearer: [] }],
      middleware: [...admin, emptyJsonBodyIsAbsent] as const,
      request: { body: { required: false, content: { 'application/json': { schema: TestAlertBody } } } },
      responses: {
        200: { description: 'What each channel did (ok is false when any refused it)', content: { 'application/json': { schema: TestAlertResult } } },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const text = await c.req.text();
      const body = text.trim() ? TestAlertBody.parse(JSON.parse(text)) : {};
      const principal = c.get('principal');
      const now = new Date();
      const key = `test/${now.getTime()}`;
      const results = await ports.alerts.sendNow({
        key,
        kind: 'operations.test',
        severity: 'info',
        subject: body.message ?? 'Test alert: the alert channels are wired',
        detail: { requestedBy: principal.accountId, requestId: c.get('requestId') },
        count: 1,
        firstAt: now,
        lastAt: now,
        test: true,
      });
      return c.json({ ok: results.every((r) => r.ok), key, channels: results }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/alerts',
      tags: ['operations'],
      summary: 'Recent alerts, newest first (one per fault key, with how often it happened)',
      security: [{ bearer: [] }],
      middleware: admin,
      request: { query: PageQuery.extend({ kind: z.string().max(200).optional(), open: z.enum(['true', 'false']).optional().openapi({ description: 'true: only unresolved alerts.' }) }) },
      responses: { 200: { description: 'A page of alerts', content: { 'application/json': { schema: pageOf(AlertSchema, 'AdminAlertPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { limit, cursor, kind, open } = c.req.valid('query');
      return c.json(await listAdminAlerts(db, { kind, open: open === 'true' }, { limit, cursor }), 200);
    },
  );
}
