import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage, StoredObject } from './port';

/** A key that could escape the storage folder or name something other than a plain object. */
export class InvalidStorageKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;
/** Temporary files live beside the objects (same filesystem, so the final rename is atomic) but under a name no key can take. */
const TMP_DIR = '.tmp';

/**
 * Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`; a segment may not start with
 * a dot (so no `.`/`..` and nothing reaching the temporary folder), no empty segments, no leading slash.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidStorageKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) throw new InvalidStorageKeyError(key, `bad segment ${JSON.stringify(segment)}`);
  }
}

export interface LocalStorageOptions {
  /** The folder holding every object; created on first write. */
  dir: string;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Storage in a local folder: one file per key, written to a temporary name and renamed into place. */
export class LocalStorage implements Storage {
  readonly root: string;

  constructor(options: LocalStorageOptions) {
    this.root = resolve(options.dir);
  }

  /** The file of a key; validated twice (syntax, then the resolved path stays inside the root). */
  pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key, 'outside the storage folder');
    return path;
  }

  async write(key: string, body: Readable): Promise<StoredObject> {
    let path: string;
    try {
      path = this.pathOf(key);
    } catch (error) {
      body.destroy();
      throw error;
    }
    const tmpDir = join(this.root, TMP_DIR);
    await Promise.all([mkdir(dirname(path), { recursive: true }), mkdir(tmpDir, { recursive: true })]);
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    try {
      // Streams chunk by chunk with backpressure: the whole file is never in memory.
      await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
      const { size } = await stat(tmp);
      await rename(tmp, path);
      return { key, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    const path = this.pathOf(key);
    if (range) {
      const { start, end } = range;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
        throw new RangeError(`invalid byte range ${start}-${end}`);
      }
      return createReadStream(path, { start, end });
    }
    return createReadStream(path);
  }

  async stat(key: string): Promise<StoredObject | null> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size } : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return;
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await rm(path, { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const folder = this.pathOf(prefix.replace(/\/+$/, ''));
    let count: number;
    try {
      count = await countFiles(folder);
    } catch (error) {
      // ENOENT: nothing there; ENOTDIR: the prefix names an object, not a folder (keys under it cannot exist).
      if (isNotFound(error) || (error as NodeJS.ErrnoException)?.code === 'ENOTDIR') return 0;
      throw error;
    }
    await rm(folder, { recursive: true, force: true });
    return count;
  }

  async localPath(key: string): Promise<string> {
    return this.pathOf(key);
  }
}

/** Files under a folder, all levels down. */
async function countFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).length;
}

export function createLocalStorage(options: LocalStorageOptions): LocalStorage {
  return new LocalStorage(options);
}
