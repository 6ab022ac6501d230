import { createRoute, z } from '@hono/zod-openapi';
import { listMailbox } from '../../../providers/email/records';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { mailboxListPage, mailboxMessagePage, wantsHtml } from './mailbox-html';

const mailbox = createRoute({
  method: 'get',
  path: '/dev/mailbox',
  tags: ['development'],
  summary: 'Mail kept by the outbox adapter (no SMTP_URL), newest last; an HTML list (or one message, ?id=) for a browser (Accept: text/html). Not served in production.',
  request: { query: z.object({ to: z.string().max(254).optional(), id: z.string().max(100).optional().openapi({ description: 'One message (its id)' }), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: {
    200: {
      description: 'The messages',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string(), sentAt: z.string() })) }).openapi('Mailbox'),
        },
        'text/html': { schema: z.string().openapi({ description: 'The list, or the message named by ?id=' }) },
      },
    },
    ...problemResponses(400, 404),
  },
});

/** The development mailbox, so a newcomer running `npm start` can read their verification code. */
export function registerMailboxRoutes(app: AppOpenAPI, { db, config }: CoreDeps): void {
  if (config.NODE_ENV === 'production') return;
  app.openapi(mailbox, async (c) => {
    const { to, id, limit } = c.req.valid('query');
    const items = await listMailbox(db, to, id ? 500 : limit);
    const chosen = id ? items.filter((m) => m.id === id) : items;
    if (id && chosen.length === 0) throw problems.notFound(`Message ${id}`);
    if (wantsHtml(c.req.header('accept'))) return c.html(id ? mailboxMessagePage(chosen[0], to) : mailboxListPage(chosen, to), 200) as never;
    return c.json({ items: chosen }, 200);
  });
}
