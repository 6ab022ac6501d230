import type { Readable } from 'node:stream';

/** Where uploaded and produced files live. Adapter: `local.ts` (a folder); S3-compatible later. */
export interface StoredObject {
  key: string;
  size: number;
}

export interface Storage {
  /** Streams `body` to `key` (written to a temporary name, then renamed: readers never see half a file). */
  write(key: string, body: Readable): Promise<StoredObject>;
  /** Reads all of `key`, or the inclusive byte range [start, end]. */
  read(key: string, range?: { start: number; end: number }): Readable;
  stat(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /**
   * Deletes every object whose key starts with `prefix/` (a folder: `contents/<id>`, a trailing `/`
   * is ignored) and answers how many went. Idempotent: a missing folder deletes nothing.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** A local filesystem path for tools that need one (ffmpeg); adapters without one download to a temp file. */
  localPath(key: string): Promise<string>;
}
