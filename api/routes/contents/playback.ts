import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { text } from 'node:stream/consumers';
import type { Context } from 'hono';
import { MEDIA_FILES, SEGMENT_NAME, type Content } from '../../../domain/contents';
import type { CoreDeps } from '../../../platform/deps';
import type { AppEnv, AppOpenAPI } from '../../app-types';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { parseRange } from '../shoutouts/media';
import { mediaSecurity, SignedQuery } from './schemas';
import { signPlaylist } from './signing';
import type { ContentViewer } from './viewer';

const binary = (mediaTypes: string | string[], description: string) => ({
  description,
  content: Object.fromEntries([mediaTypes].flat().map((type) => [type, { schema: z.string().openapi({ type: 'string', format: 'binary' }) }])),
});
const HLS_TYPE = 'application/vnd.apple.mpegurl';
const mediaProblems = problemResponses(401, 403, 404);
const access =
  'Allowed with a signed URL (`exp`, `sig`; the content resource gives them), or for a caller who may play the content (bearer token, or anonymous for public contents): ' +
  'private contents and unpublished ones are the channel team\'s (404 for others); premium contents answer 403 `premium-required` to callers who are not premium members, platform admins or the team; a bad or expired signature without a token is 403.';

const idParam = z.object({ id: z.string().min(1).max(100) });
const renditionParams = idParam.extend({ rendition: z.string().regex(/^[0-9]{2,4}p$/).openapi({ example: '720p' }) });
const segmentParams = renditionParams.extend({ segment: z.string().regex(SEGMENT_NAME).openapi({ example: 'seg_00000.ts' }) });

const routes = {
  master: createRoute({
    method: 'get', path: '/v1/contents/{id}/hls/master.m3u8', tags: ['contents'], summary: "A video's HLS master playlist (its rendition URIs signed)", description: access, security: mediaSecurity,
    request: { params: idParam, query: SignedQuery }, responses: { 200: binary(HLS_TYPE, 'The master playlist'), ...mediaProblems },
  }),
  playlist: createRoute({
    method: 'get', path: '/v1/contents/{id}/hls/{rendition}/index.m3u8', tags: ['contents'], summary: "One rendition's media playlist (its segment URIs signed)", description: access, security: mediaSecurity,
    request: { params: renditionParams, query: SignedQuery }, responses: { 200: binary(HLS_TYPE, 'The media playlist'), ...mediaProblems },
  }),
  segment: createRoute({
    method: 'get', path: '/v1/contents/{id}/hls/{rendition}/{segment}', tags: ['contents'], summary: 'One 4-second MPEG-TS segment of a rendition', description: access, security: mediaSecurity,
    request: { params: segmentParams, query: SignedQuery }, responses: { 200: binary('video/mp2t', 'The segment'), ...mediaProblems },
  }),
  download: createRoute({
    method: 'get', path: '/v1/contents/{id}/download', tags: ['contents'], summary: 'The progressive MP4 of a video, or the normalised AAC (m4a) of a track; supports HTTP Range', description: access, security: mediaSecurity,
    request: { params: idParam, query: SignedQuery, headers: z.object({ range: z.string().optional().openapi({ example: 'bytes=0-1023' }) }) },
    responses: {
      200: binary(['video/mp4', 'audio/mp4'], 'The whole file: video/mp4 for videos, audio/mp4 for tracks'),
      206: binary(['video/mp4', 'audio/mp4'], 'The requested byte range (Content-Range)'),
      416: { description: 'The range cannot be satisfied (Content-Range: bytes */size)' },
      ...mediaProblems,
    },
  }),
  poster: createRoute({
    method: 'get', path: '/v1/contents/{id}/poster', tags: ['contents'], summary: "A video's poster JPEG", description: access, security: mediaSecurity,
    request: { params: idParam, query: SignedQuery }, responses: { 200: binary('image/jpeg', 'The poster'), ...mediaProblems },
  }),
  waveform: createRoute({
    method: 'get', path: '/v1/contents/{id}/waveform', tags: ['contents'], summary: "A track's waveform: 800 peaks (0..1) for players", description: access, security: mediaSecurity,
    request: { params: idParam, query: SignedQuery },
    responses: {
      200: { description: 'The waveform', content: { 'application/json': { schema: z.object({ version: z.literal(1), durationSeconds: z.number(), peaks: z.array(z.number()) }).openapi('Waveform') } } },
      ...mediaProblems,
    },
  }),
};

export function registerPlaybackRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { storage } = deps.ports;

  const keyOf = (content: Content, path: string) => `${content.media!.prefix}/${path}`;

  async function serve(c: Context<AppEnv>, key: string, contentType: string, options: { ranges?: boolean; cache?: string } = {}): Promise<Response> {
    const stat = await storage.stat(key);
    if (!stat) throw problems.notFound('The file');
    const headers: Record<string, string> = { 'Content-Type': contentType, 'Cache-Control': options.cache ?? 'private, max-age=3600' };
    if (options.ranges) headers['Accept-Ranges'] = 'bytes';
    const range = options.ranges ? parseRange(c.req.header('range'), stat.size) : undefined;
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${stat.size}` } });
    const body = Readable.toWeb(storage.read(key, range)) as unknown as ReadableStream<Uint8Array>;
    if (range) {
      return new Response(body, { status: 206, headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${stat.size}`, 'Content-Length': String(range.end - range.start + 1) } });
    }
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Length': String(stat.size) } });
  }

  const video = (content: Content) => {
    if (content.media?.kind !== 'video') throw problems.notFound('HLS media of this content (it is a track)');
    return content.media;
  };

  /** A playlist from storage with every URI signed for `expiresAt` (relative to the playlist, so players resolve them). */
  async function playlist(content: Content, path: string, base: string, expiresAt: number): Promise<Response> {
    const key = keyOf(content, path);
    if (!(await storage.stat(key))) throw problems.notFound('The playlist');
    const signed = signPlaylist(await text(storage.read(key)), (p) => viewer.signer.signedPath(content.id, p, expiresAt), base);
    return new Response(signed, { status: 200, headers: { 'Content-Type': HLS_TYPE, 'Cache-Control': 'private, no-store' } });
  }

  app.openapi(routes.master, async (c) => {
    const { id } = c.req.valid('param');
    const { content, expiresAt } = await viewer.authorizeMedia(c, id, MEDIA_FILES.master);
    video(content);
    return (await playlist(content, MEDIA_FILES.master, 'hls/', expiresAt)) as never;
  });

  app.openapi(routes.playlist, async (c) => {
    const { id, rendition } = c.req.valid('param');
    const path = MEDIA_FILES.playlist(rendition);
    const { content, expiresAt } = await viewer.authorizeMedia(c, id, path);
    if (!video(content).renditions.some((r) => r.name === rendition)) throw problems.notFound('The rendition');
    return (await playlist(content, path, `hls/${rendition}/`, expiresAt)) as never;
  });

  app.openapi(routes.segment, async (c) => {
    const { id, rendition, segment } = c.req.valid('param');
    const path = `hls/${rendition}/${segment}`;
    const { content } = await viewer.authorizeMedia(c, id, path);
    const r = video(content).renditions.find((x) => x.name === rendition);
    const n = Number(SEGMENT_NAME.exec(segment)![1]);
    if (!r || n >= r.segments) throw problems.notFound('The segment');
    return (await serve(c, keyOf(content, path), 'video/mp2t')) as never;
  });

  app.openapi(routes.download, async (c) => {
    const { content } = await viewer.authorizeMedia(c, c.req.valid('param').id, 'download');
    const isVideo = content.media!.kind === 'video';
    return (await serve(c, keyOf(content, isVideo ? MEDIA_FILES.download : MEDIA_FILES.audio), isVideo ? 'video/mp4' : 'audio/mp4', { ranges: true })) as never;
  });

  app.openapi(routes.poster, async (c) => {
    const { content } = await viewer.authorizeMedia(c, c.req.valid('param').id, 'poster');
    video(content);
    return (await serve(c, keyOf(content, MEDIA_FILES.poster), 'image/jpeg')) as never;
  });

  app.openapi(routes.waveform, async (c) => {
    const { content } = await viewer.authorizeMedia(c, c.req.valid('param').id, 'waveform');
    if (content.media!.kind !== 'track') throw problems.notFound('The waveform of this content (it is a video)');
    return (await serve(c, keyOf(content, MEDIA_FILES.waveform), 'application/json')) as never;
  });
}
