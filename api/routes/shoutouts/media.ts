import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Context } from 'hono';
import { getOrderRow } from '../../../stores/shoutouts/orders';
import { canUpload, type ShoutoutStatus } from '../../../domain/shoutouts';
import type { CoreDeps } from '../../../platform/deps';
import { shoutoutStateQuery, videoUploadedSignal } from '../../../workflows/shoutouts/order';
import type { AppEnv, AppOpenAPI } from '../../app-types';
import { problems } from '../../problem';
import { problemContent, problemResponses } from '../../schemas';
import { receiveVideoUpload } from '../../uploads/video-upload';
import { loadOrder } from './views';

const idParam = z.object({ id: z.string().max(100) });

const UploadAccepted = z
  .object({
    id: z.string(),
    status: z.literal('processing'),
    upload: z.object({ bytes: z.number().int(), filename: z.string(), durationSeconds: z.number(), width: z.number().int(), height: z.number().int() }),
  })
  .openapi('ShoutoutUploadAccepted');

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/shoutouts/{id}/video',
  tags: ['shoutouts'],
  summary: 'Upload the video (its talent, after accepting): multipart field `video`, mp4/mov/webm; streamed to storage, probed, then the workflow is signalled',
  security: [{ bearer: [] }],
  request: {
    params: idParam,
    body: { required: true, content: { 'multipart/form-data': { schema: z.object({ video: z.string().openapi({ type: 'string', format: 'binary' }) }) } } },
  },
  responses: {
    202: { description: 'Received; transcoding runs in the workflow', content: { 'application/json': { schema: UploadAccepted } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 422),
    415: { description: 'Not multipart, or not an mp4/mov/webm file', content: { 'application/problem+json': { schema: z.object({ type: z.string() }) } } },
  },
});

const binary = (mediaType: string, description: string) => ({
  description,
  headers: z.object({ 'Accept-Ranges': z.string(), 'Content-Length': z.string() }),
  content: { [mediaType]: { schema: z.string().openapi({ type: 'string', format: 'binary' }) } },
});

const videoRoute = createRoute({
  method: 'get',
  path: '/v1/shoutouts/{id}/video',
  tags: ['shoutouts'],
  summary: 'The delivered, watermarked MP4 (fan, talent or admin); supports HTTP Range',
  security: [{ bearer: [] }],
  request: { params: idParam, headers: z.object({ range: z.string().optional().openapi({ example: 'bytes=0-1023' }) }) },
  responses: {
    200: binary('video/mp4', 'The whole video'),
    206: binary('video/mp4', 'The requested byte range (Content-Range)'),
    416: { description: 'The range cannot be satisfied (Content-Range: bytes */size); a problem naming `Range`', content: problemContent },
    ...problemResponses(401, 403, 404),
  },
});

const posterRoute = createRoute({
  method: 'get',
  path: '/v1/shoutouts/{id}/poster',
  tags: ['shoutouts'],
  summary: 'The poster JPEG of the delivered video (fan, talent or admin)',
  security: [{ bearer: [] }],
  request: { params: idParam },
  responses: { 200: binary('image/jpeg', 'The poster'), ...problemResponses(401, 403, 404) },
});

/** One `bytes=` range of RFC 9110 against `size`: a range, 'unsatisfiable', or undefined to send everything. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!m) return undefined; // several ranges or another unit: answer with the whole file (allowed by RFC 9110)
  const [, first, last] = m;
  if (first === '' && last === '') return undefined;
  if (size === 0) return 'unsatisfiable';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function serveFile(c: Context<AppEnv>, deps: CoreDeps, key: string, contentType: string, ranges: boolean): Promise<Response> {
  const stat = await deps.ports.storage.stat(key);
  if (!stat) throw problems.notFound('The file');
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Cache-Control': 'private, max-age=3600',
    ETag: `"${stat.size.toString(16)}-${Buffer.from(key).toString('base64url').slice(-16)}"`,
  };
  if (ranges) headers['Accept-Ranges'] = 'bytes';
  const range = ranges ? parseRange(c.req.header('range'), stat.size) : undefined;
  if (range === 'unsatisfiable') throw problems.rangeNotSatisfiable(stat.size);
  const body = deps.ports.storage.read(key, range);
  const web = Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>;
  if (range) {
    return new Response(web, { status: 206, headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${stat.size}`, 'Content-Length': String(range.end - range.start + 1) } });
  }
  return new Response(web, { status: 200, headers: { ...headers, 'Content-Length': String(stat.size) } });
}

export function registerMediaRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, temporal, config, ports } = deps;

  // Documented with its multipart body, but served by a plain handler: a validator would buffer the
  // whole form in memory, and the upload must stream to storage.
  app.openAPIRegistry.registerPath(uploadRoute);
  app.post('/v1/shoutouts/:id/video', async (c) => {
    const id = idParam.parse({ id: c.req.param('id') }).id;
    const row = await loadOrder(db, id, c.get('principal'), 'talent');
    // The live state decides (the row may lag by a step); checked before a byte is stored.
    let status: ShoutoutStatus = row.status;
    if (!row.closed_at) {
      try {
        status = (await temporal.workflow.getHandle(row.workflow_id).query(shoutoutStateQuery)).status;
      } catch {
        status = (await getOrderRow(db, id))?.status ?? row.status;
      }
    }
    if (row.closed_at || !canUpload(status)) throw problems.conflict(`The order is ${status}; a video is accepted once the talent accepted it and until it is delivered.`, { orderStatus: status });
    const upload = await receiveVideoUpload(c, { storage: ports.storage, transcoder: ports.transcoder }, { maxBytes: config.UPLOAD_MAX_BYTES, keyPrefix: `shoutouts/${id}/uploads` });
    try {
      await temporal.workflow.getHandle(row.workflow_id).signal(videoUploadedSignal, { key: upload.key, bytes: upload.bytes, filename: upload.filename });
    } catch (error) {
      // The workflow closed while the bytes streamed in (expired, say): keep nothing.
      await ports.storage.delete(upload.key).catch(() => undefined);
      if (error instanceof WorkflowNotFoundError) {
        const now = (await getOrderRow(db, id))?.status ?? status;
        throw problems.conflict(`The order is ${now}; the video was not kept.`, { orderStatus: now });
      }
      throw error;
    }
    return c.json(
      {
        id,
        status: 'processing' as const,
        upload: { bytes: upload.bytes, filename: upload.filename, durationSeconds: upload.probe.durationSeconds, width: upload.probe.width, height: upload.probe.height },
      },
      202,
    );
  });

  /**
   * The delivered files' keys. The order's status is shown live from its workflow (views.ts), which
   * says `delivered` a moment before the row is written: a client told so must find the video, so a
   * running order without keys in its row is asked for them too.
   */
  const delivered = async (c: Context<AppEnv>, id: string): Promise<{ videoKey: string; posterKey: string }> => {
    const row = await loadOrder(db, id, c.get('principal'));
    if (row.video_key && row.poster_key && row.delivered_at) return { videoKey: row.video_key, posterKey: row.poster_key };
    if (!row.closed_at) {
      const live = await temporal.workflow.getHandle(row.workflow_id).query(shoutoutStateQuery).catch(() => undefined);
      if (live?.deliveredAt && live.video) return { videoKey: live.video.videoKey, posterKey: live.video.posterKey };
    }
    throw problems.notFound(`The video of shoutout ${id} (it is ${row.status})`);
  };

  app.openapi(videoRoute, async (c) => {
    const { videoKey } = await delivered(c, c.req.valid('param').id);
    return serveFile(c, deps, videoKey, 'video/mp4', true) as never;
  });

  app.openapi(posterRoute, async (c) => {
    const { posterKey } = await delivered(c, c.req.valid('param').id);
    return serveFile(c, deps, posterKey, 'image/jpeg', false) as never;
  });
}
