import { createRoute, z } from '@hono/zod-openapi';
import { contentWorkflowId } from '../../../domain/contents';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { deactivateAccount } from '../../../stores/accounts/accounts';
import { findContent, markDeleted } from '../../../stores/contents/contents';
import { deleteComment, findComment } from '../../../stores/engagement/comments';
import { createReport, findReport, listReports, resolveReport, type ReportTarget } from '../../../stores/engagement/reports';
import { contentDeletedSignal, contentPublishing } from '../../../workflows/contents/publishing';
import { contentPublishingInput } from '../contents/publishing-input';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth, requireRole } from '../../middleware/auth';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, PageQuery, problemResponses } from '../../schemas';
import type { ContentViewer } from '../contents/viewer';
import { bearer, CommentIdParam, ContentIdParam, json, ReportInput, ReportPage, ReportSchema, ResolveInput } from './schemas';

/** Reports of contents and comments, and their resolution by platform admins (every decision is recorded). */
export function registerReportRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { db, config, temporal } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  const reportRoute = (kind: ReportTarget) =>
    createRoute({
      method: 'post',
      path: kind === 'content' ? '/v1/contents/{id}/reports' : '/v1/comments/{id}/reports',
      tags: ['engagement'],
      summary: `Report a ${kind} (spam, abuse, copyright, other)`,
      security: bearer,
      middleware: [auth],
      request: { params: kind === 'content' ? ContentIdParam : CommentIdParam, headers: IdempotencyKeyHeader, body: { required: true, content: json(ReportInput) } },
      responses: { 201: { description: 'Reported', content: json(ReportSchema) }, ...problemResponses(400, 401, 404) },
    });

  for (const kind of ['content', 'comment'] as const) {
    app.openapi(reportRoute(kind), async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      if (kind === 'content') {
        await viewer.load(id, principal);
      } else {
        const comment = await findComment(db, id);
        if (!comment || comment.deleted) throw problems.notFound('The comment');
        await viewer.load(comment.contentId, principal).catch(() => {
          throw problems.notFound('The comment');
        });
      }
      const report = await createReport(db, { id: newId('rpt'), targetKind: kind, targetId: id, reporterId: principal.accountId, reason: body.reason, detail: body.detail ?? null });
      return c.json(report, 201);
    });
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/reports',
      tags: ['engagement'],
      summary: 'Reports, newest first (platform admins)',
      security: bearer,
      middleware: [auth, requireRole('admin')],
      request: { query: PageQuery.extend({ status: z.enum(['open', 'resolved']).optional() }) },
      responses: { 200: { description: 'One page', content: json(ReportPage) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listReports(db, query.status, query.limit, query.cursor), 200);
    },
  );

  /** Removes a reported content as its DELETE does: hidden at once, media and row removed by its workflow. */
  async function removeContent(id: string): Promise<void> {
    const content = await findContent(db, id);
    if (!content) return;
    const input = contentPublishingInput(config, { id, kind: content.kind, title: content.title });
    await markDeleted(db, id);
    // The row stays hidden even if this start fails: the retried resolution starts it (signal-with-start is idempotent).
    await temporal.workflow.signalWithStart(contentPublishing, { workflowId: contentWorkflowId(id), taskQueue: config.TASK_QUEUE, args: [input], signal: contentDeletedSignal, signalArgs: [] });
  }

  async function authorOf(kind: ReportTarget, id: string): Promise<string | undefined> {
    if (kind === 'content') return (await findContent(db, id))?.authorId;
    return (await findComment(db, id))?.authorId ?? undefined;
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/reports/{id}/resolve',
      tags: ['engagement'],
      summary: 'Resolve a report: dismiss, remove the target, or deactivate its author (platform admins; recorded)',
      description: 'A report already resolved → 409.',
      security: bearer,
      middleware: [auth, requireRole('admin')],
      request: { params: z.object({ id: z.string().min(1).max(100) }), headers: IdempotencyKeyHeader, body: { required: true, content: json(ResolveInput) } },
      responses: { 200: { description: 'Resolved', content: json(ReportSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const report = await findReport(db, id);
      if (!report) throw problems.notFound('The report');
      if (report.status !== 'open') throw problems.conflict('This report is resolved already.');
      if (body.action === 'remove') {
        if (report.targetKind === 'comment') await deleteComment(db, report.targetId);
        else await removeContent(report.targetId);
      } else if (body.action === 'deactivate_author') {
        const author = await authorOf(report.targetKind, report.targetId);
        if (author) await deactivateAccount(db, author);
      }
      const resolved = await resolveReport(db, { reportId: id, actionId: newId('mod'), action: body.action, note: body.note, actorId: c.get('principal').accountId, targetKind: report.targetKind, targetId: report.targetId });
      if (!resolved) throw problems.conflict('This report is resolved already.');
      return c.json((await findReport(db, id))!, 200);
    },
  );
}
