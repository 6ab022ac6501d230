import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { newId } from '../../domain/ids';
import type { CoreDeps } from '../../platform/deps';
import { ping, pingStateQuery, type PingState } from '../../workflows/ping';
import type { AppOpenAPI } from '../app-types';
import { problems } from '../problem';
import { problemResponses } from '../schemas';
import { emptyJsonBodyIsAbsent } from '../middleware/empty-json-body';

const PingStarted = z.object({ id: z.string(), workflowId: z.string() }).openapi('PingStarted');
const PingStateSchema = z
  .object({ id: z.string(), workflowId: z.string(), status: z.enum(['running', 'completed']), message: z.string(), recordedAt: z.string().optional() })
  .openapi('PingState');

const startPing = createRoute({
  method: 'post',
  path: '/v1/ping',
  tags: ['platform'],
  summary: 'Start a ping workflow (a round trip through Temporal, a worker and PostgreSQL)',
  middleware: [emptyJsonBodyIsAbsent] as const,
  request: { body: { required: false, content: { 'application/json': { schema: z.object({ message: z.string().max(200).optional() }) } } } },
  responses: { 202: { description: 'Started', content: { 'application/json': { schema: PingStarted } } }, ...problemResponses(400) },
});

const getPing = createRoute({
  method: 'get',
  path: '/v1/ping/{id}',
  tags: ['platform'],
  summary: 'Read a ping: live from a workflow query, or its result once completed',
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: { description: 'The ping', content: { 'application/json': { schema: PingStateSchema } } }, ...problemResponses(404) },
});

export function registerPingRoutes(app: AppOpenAPI, { temporal, config }: CoreDeps): void {
  app.openapi(startPing, async (c) => {
    const body = c.req.header('content-length') === '0' ? {} : await c.req.json().catch(() => ({}));
    const message = typeof body?.message === 'string' ? body.message : 'ping';
    const id = newId('png');
    const workflowId = `ping-${id}`;
    await temporal.workflow.start(ping, { taskQueue: config.TASK_QUEUE, workflowId, args: [{ id, message }] });
    return c.json({ id, workflowId }, 202);
  });

  app.openapi(getPing, async (c) => {
    const { id } = c.req.valid('param');
    const workflowId = `ping-${id}`;
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      const { status } = await handle.describe();
      const state: PingState = status.name === 'COMPLETED' ? await handle.result() : await handle.query(pingStateQuery);
      return c.json({ ...state, workflowId }, 200);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw problems.notFound(`Ping ${id}`);
      throw error;
    }
  });
}
