import { createRoute, z } from '@hono/zod-openapi';
import { listMailbox } from '../../../providers/email/records';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { problemResponses } from '../../schemas';

const mailbox = createRoute({
  method: 'get',
  path: '/dev/mailbox',
  tags: ['development'],
  summary: 'Mail kept by the outbox adapter (no SMTP_URL), newest last. Not served in production.',
  request: { query: z.object({ to: z.string().max(254).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: {
    200: {
      description: 'The messages',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string(), sentAt: z.string() })) }).openapi('Mailbox'),
        },
      },
    },
    ...problemResponses(400),
  },
});

/** The development mailbox, so a newcomer running `npm start` can read their verification code. */
export function registerMailboxRoutes(app: AppOpenAPI, { db, config }: CoreDeps): void {
  if (config.NODE_ENV === 'production') return;
  app.openapi(mailbox, async (c) => {
    const { to, limit } = c.req.valid('query');
    return c.json({ items: await listMailbox(db, to, limit) }, 200);
  });
}
