import { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { canUpload, contentWorkflowId, uploadPrefix, type ContentKind } from '../../../domain/contents';
import type { CoreDeps } from '../../../platform/deps';
import { recordThenStart } from '../../../platform/record-then-start';
import { createContentTranscoder, type AudioProbeResult, type ContentTranscoder, type ProbeResult } from '../../../providers/media';
import { findAccount } from '../../../stores/accounts/accounts';
import { beginProcessing, undoProcessing } from '../../../stores/contents/contents';
import { contentPublishing } from '../../../workflows/contents/publishing';
import { contentPublishingInput } from './publishing-input';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { receiveMediaUpload, type UploadKind } from '../../uploads/media-upload';
import { videoUploadKind } from '../../uploads/video-upload';
import { requireChannelPermission } from '../channels/access';
import { bearer, ContentIdParam, UploadAccepted } from './schemas';
import type { ContentViewer } from './viewer';

/** The multipart field of every content upload. */
export const MEDIA_FIELD = 'file';

/** A track upload: mp3, flac, wav, ogg or m4a, probed as audio. */
export function trackUploadKind(content: ContentTranscoder): UploadKind<AudioProbeResult> {
  return {
    field: MEDIA_FIELD,
    accepts: 'an mp3, flac, wav, ogg or m4a audio file',
    extensions: new Set(['mp3', 'flac', 'wav', 'ogg', 'oga', 'm4a']),
    extensionByMime: {
      'audio/mpeg': 'mp3',
      'audio/mp3': 'mp3',
      'audio/flac': 'flac',
      'audio/x-flac': 'flac',
      'audio/wav': 'wav',
      'audio/x-wav': 'wav',
      'audio/wave': 'wav',
      'audio/vnd.wave': 'wav',
      'audio/ogg': 'ogg',
      'audio/mp4': 'm4a',
      'audio/x-m4a': 'm4a',
    },
    probe: (path) => content.probeAudio(path),
    isUsable: (probe) => probe.isAudio && probe.durationSeconds > 0,
    unusable: 'is not readable audio (mp3, flac, wav, ogg or m4a)',
  };
}

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/contents/{id}/media',
  tags: ['contents'],
  summary: "Upload a content's media (a draft's, or again after a failure): its owner, or an admin with add_content",
  description:
    'multipart/form-data with the file in the field `file`: videos mp4/mov/webm (up to CONTENT_VIDEO_MAX_BYTES), tracks mp3/flac/wav/ogg/m4a (up to CONTENT_TRACK_MAX_BYTES). ' +
    'Streamed to storage and probed; nothing is kept when it fails (415 wrong type, 413 too large, 422 not readable media, each naming `file`). ' +
    'Then the contentPublishing-<id> workflow processes it on the media queue: videos → HLS 360p/720p (never upscaled, 4 s segments) + MP4 + poster; ' +
    'tracks → AAC 128 kb/s at −14 LUFS (true peak ≤ −1 dBTP) + 800-peak waveform. The content is `processing`, then `published` or `failed` (the uploader is emailed).',
  security: bearer,
  request: {
    params: ContentIdParam,
    body: { required: true, content: { 'multipart/form-data': { schema: z.object({ [MEDIA_FIELD]: z.string().openapi({ type: 'string', format: 'binary' }) }) } } },
  },
  responses: {
    202: { description: 'Received; processing runs in the workflow', content: { 'application/json': { schema: UploadAccepted } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 422),
    415: { description: 'Not multipart, or not a file type this content takes', content: { 'application/problem+json': { schema: z.object({ type: z.string() }) } } },
  },
});

export function registerUploadRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { db, config, temporal, ports } = deps;
  const auth = requireAuth(config.JWT_SECRET);
  const kinds: { [K in ContentKind]: UploadKind<ProbeResult> | UploadKind<AudioProbeResult> } = {
    video: videoUploadKind(ports.transcoder, MEDIA_FIELD),
    track: trackUploadKind(createContentTranscoder(config)),
  };

  // Documented with its multipart body but served by a plain handler: the upload streams to storage.
  app.openAPIRegistry.registerPath(uploadRoute);
  app.post('/v1/contents/:id/media', auth, async (c) => {
    const id = ContentIdParam.parse({ id: c.req.param('id') }).id;
    const principal = c.get('principal');
    const { content } = await viewer.load(id, principal);
    await requireChannelPermission(db, content.channelId, principal, 'add_content');
    const busy = () => problems.conflict(`The content is ${content.status}; media are accepted for a draft, or again after a failure.`, { contentStatus: content.status });
    if (!canUpload(content.status)) throw busy();
    const account = await findAccount(db, principal.accountId);
    if (!account) throw problems.unauthorized('The account does not exist any more.');

    const kind = kinds[content.kind] as UploadKind<{ durationSeconds: number }>;
    const maxBytes = content.kind === 'video' ? config.CONTENT_VIDEO_MAX_BYTES : config.CONTENT_TRACK_MAX_BYTES;
    const upload = await receiveMediaUpload(c, ports.storage, kind, { maxBytes, keyPrefix: uploadPrefix(id, content.uploadCount + 1) });

    const workflowId = contentWorkflowId(id);
    await recordThenStart({
      record: async () => {
        const begun = await beginProcessing(db, id);
        if (!begun) {
          await ports.storage.delete(upload.key).catch(() => undefined);
          throw busy();
        }
        return begun;
      },
      start: ({ version }) => {
        const input = contentPublishingInput(config, { id, kind: content.kind, title: content.title }, {
          upload: { version, key: upload.key, bytes: upload.bytes, filename: upload.filename, probe: upload.probe as ProbeResult | AudioProbeResult },
          uploader: { id: account.id, email: account.email, name: account.name },
          notifyPageSize: config.NOTIFY_PAGE_SIZE,
        });
        return temporal.workflow.start(contentPublishing, { workflowId, taskQueue: config.TASK_QUEUE, args: [input] });
      },
      undo: async ({ version, previousStatus, previousReason }) => {
        await undoProcessing(db, id, version, { status: previousStatus, reason: previousReason });
        await ports.storage.delete(upload.key).catch(() => undefined);
      },
    }).catch((error: unknown) => {
      // The content's previous run is still finishing (its upload file being dropped after a failure): the status was restored.
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw problems.conflict('The previous upload of this content is still being wrapped up; try again in a moment.', { contentStatus: content.status });
      throw error;
    });
    const now = await viewer.load(id, principal);
    return c.json({ content: viewer.resource(now.content, now.relation), workflowId, upload: { bytes: upload.bytes, filename: upload.filename, durationSeconds: upload.probe.durationSeconds } }, 202);
  });
}
