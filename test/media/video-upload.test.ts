import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createFfmpegTranscoder } from '../../providers/media/ffmpeg';
import { LocalStorage } from '../../providers/storage/local';
import type { AppEnv } from '../../api/app-types';
import { onError } from '../../api/middleware/errors';
import { receiveVideoUpload } from '../../api/uploads/video-upload';
import { makeClip } from './clips';

type FetchBody = NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']>;

/** Every file under a folder (temporary ones included), as relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** A hand-made multipart body, so the test controls framing (and can stream it without a Content-Length). */
function multipart(parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string }>): { body: Buffer; contentType: string } {
  const boundary = `----limelight${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('receiveVideoUpload (multipart → storage → probe)', () => {
  const MAX = 200_000;
  let dir: string;
  let storageDir: string;
  let server: ServerType;
  let url: string;
  let app: Hono<AppEnv>;
  let clip: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-upload-'));
    storageDir = join(dir, 'storage');
    const storage = new LocalStorage({ dir: storageDir });
    const transcoder = createFfmpegTranscoder({ crf: 28, preset: 'veryfast', maxLongSide: 1280 });
    const clipPath = join(dir, 'clip.mp4');
    await makeClip(clipPath, { width: 320, height: 240, seconds: 2, crf: 30 });
    clip = await readFile(clipPath);
    expect(clip.length).toBeLessThan(MAX);

    app = new Hono<AppEnv>();
    app.onError(onError);
    app.post('/upload', async (c) => c.json(await receiveVideoUpload(c, { storage, transcoder }, { maxBytes: MAX, keyPrefix: 'uploads/test' }), 201));
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}/upload`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await rm(storageDir, { recursive: true, force: true });
  });

  const post = async (body: FetchBody, headers: Record<string, string> = {}, init: Record<string, unknown> = {}) => {
    const res = await fetch(url, { method: 'POST', body, headers, ...init });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
  };
  const form = (parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string }>) => {
    const f = new FormData();
    for (const p of parts) {
      if (p.filename) f.append(p.name, new Blob([p.data], { type: p.type ?? '' }), p.filename);
      else f.append(p.name, String(p.data));
    }
    return f;
  };

  it('streams a good mp4 into storage and answers its key, size and probe', async () => {
    const res = await post(form([{ name: 'note', data: 'hi' }, { name: 'video', filename: 'birthday.mp4', type: 'video/mp4', data: clip }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ bytes: clip.length, filename: 'birthday.mp4', probe: { isVideo: true, width: 320, height: 240, videoCodec: 'h264' } });
    expect(res.body.key).toMatch(/^uploads\/test\/[0-9a-f-]{36}\.mp4$/);
    expect(await filesUnder(storageDir)).toEqual([res.body.key]);
    expect(await readFile(join(storageDir, String(res.body.key)))).toEqual(clip);
  });

  it('accepts by media type when the name has no known extension (mov, webm)', async () => {
    const res = await post(form([{ name: 'video', filename: 'clip', type: 'video/quicktime', data: clip }]));
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/\.mov$/);
  });

  it('answers 413 for a file over the limit (declared length) and keeps nothing', async () => {
    const big = Buffer.alloc(MAX * 2, 1);
    const res = await post(form([{ name: 'video', filename: 'big.mp4', type: 'video/mp4', data: big }]));
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 413, errors: [{ field: 'video' }] });
    expect(await filesUnder(storageDir)).toEqual([]);
  });

  it('answers 413 when the streamed file passes the limit (no Content-Length) and keeps nothing', async () => {
    const { body, contentType } = multipart([{ name: 'video', filename: 'big.webm', type: 'video/webm', data: Buffer.concat([clip, Buffer.alloc(MAX, 2)]) }]);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < body.length; i += 16 * 1024) controller.enqueue(new Uint8Array(body.subarray(i, i + 16 * 1024)));
        controller.close();
      },
    });
    const res = await post(stream, { 'content-type': contentType }, { duplex: 'half' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, errors: [{ field: 'video' }] });
    expect(await filesUnder(storageDir)).toEqual([]);
  });

  it('answers 422 naming `video` for a text file sent as mp4, and keeps nothing', async () => {
    const res = await post(form([{ name: 'video', filename: 'clip.mp4', type: 'video/mp4', data: 'this is only text\n'.repeat(200) }]));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, errors: [{ field: 'video' }] });
    expect(await filesUnder(storageDir)).toEqual([]);
  });

  it('answers 415 for another file type and for a body that is not multipart', async () => {
    const text = await post(form([{ name: 'video', filename: 'notes.txt', type: 'text/plain', data: 'hello' }]));
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ status: 415, errors: [{ field: 'video' }] });
    const json = await post(JSON.stringify({ video: 'x' }), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(await filesUnder(storageDir)).toEqual([]);
  });

  it('answers 400 naming `video` when no file was sent', async () => {
    const none = await post(form([{ name: 'note', data: 'no file here' }]));
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ status: 400, errors: [{ field: 'video', message: 'required' }] });
    const otherField = await post(form([{ name: 'file', filename: 'clip.mp4', type: 'video/mp4', data: clip }]));
    expect(otherField.status).toBe(400);
    const broken = await post('--nope\r\ngarbage', { 'content-type': 'multipart/form-data; boundary=xyz' });
    expect(broken.status).toBe(400);
    expect(await filesUnder(storageDir)).toEqual([]);
  });

  it('also works without the Node request (web body), e.g. app.request()', async () => {
    const res = await app.request('/upload', { method: 'POST', body: form([{ name: 'video', filename: 'a.webm', type: 'video/webm', data: clip }]) });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { key: string }).key).toMatch(/\.webm$/);
  });
});
