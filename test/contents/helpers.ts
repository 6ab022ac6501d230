import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestAccount } from '../harness/accounts';
import { eventually, type TestStack } from '../harness/stack';

const run = promisify(execFile);

/** A video of ffmpeg's testsrc2 + a tone, small and short (the suite shares 2 cores). */
export async function makeVideo(file: string, options: { width: number; height: number; seconds: number }): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${options.width}x${options.height}:rate=25:duration=${options.seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${options.seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file,
  ]);
}

/** A stereo WAV tone, quiet (about −30 LUFS) so normalisation has work to do. */
export async function makeWav(file: string, seconds: number): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}:sample_rate=44100`, '-af', 'volume=0.25,aformat=channel_layouts=stereo', file]);
}

/** Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ebur128 filter. */
export async function loudness(file: string): Promise<{ lufs: number; truePeak: number }> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  return { lufs: Number(/I:\s*(-?[\d.]+) LUFS/.exec(summary)![1]), truePeak: Number(/Peak:\s*(-?[\d.]+) dBFS/.exec(summary)![1]) };
}

export async function ffprobe(target: string, headers?: string): Promise<{ streams: Record<string, unknown>[]; format?: Record<string, unknown> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...(headers ? ['-headers', headers] : []), '-show_streams', '-show_format', '-of', 'json', target]);
  return JSON.parse(stdout);
}

/** Decodes every frame of a file: rejects when ffmpeg finds an error. */
export async function decodes(file: string): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-xerror', '-i', file, '-f', 'null', '-']);
}

export async function newContent(stack: TestStack, channelId: string, token: string, body: Record<string, unknown>) {
  const res = await stack.http.post(`/v1/channels/${channelId}/contents`, body, { token });
  if (res.status !== 201) throw new Error(`POST contents → ${res.status} ${res.text}`);
  return res.body as { id: string; status: string };
}

/** POST /v1/contents/{id}/media, multipart field `file`. */
export async function uploadMedia(stack: TestStack, id: string, token: string | undefined, file: string, type: string, name = path.basename(file)) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type }), name);
  const res = await fetch(`${stack.api!.url}/v1/contents/${id}/media`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function waitForStatus(stack: TestStack, id: string, token: string, status: string | string[], timeoutMs = 120_000) {
  const wanted = Array.isArray(status) ? status : [status];
  return eventually(
    async () => {
      const res = await stack.http.get(`/v1/contents/${id}`, { token });
      return wanted.includes(res.body?.status) ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 300, what: `content ${id} to be ${wanted.join('|')}` },
  );
}

/** The files under `contents/<id>/` in the test's storage folder. */
export function storedFiles(storageDir: string, contentId: string): string[] {
  const dir = path.join(storageDir, 'contents', contentId);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

export async function get(stack: TestStack, url: string, caller?: TestAccount, headers: Record<string, string> = {}) {
  return fetch(stack.api!.url + url, { headers: { ...(caller ? { authorization: `Bearer ${caller.token}` } : {}), ...headers } });
}
