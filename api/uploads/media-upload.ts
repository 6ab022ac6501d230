import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context } from 'hono';
import { assertValidKey } from '../../providers/storage/local';
import type { Storage, StoredObject } from '../../providers/storage/port';
import { ProblemError, problems } from '../problem';

/**
 * What one upload endpoint takes: the multipart field, the accepted containers (by file extension
 * and by declared media type) and the probe that decides whether the stored file is usable media.
 */
export interface UploadKind<P> {
  field: string;
  /** Human words for the accepted files, e.g. "an mp4, mov or webm video". */
  accepts: string;
  extensions: ReadonlySet<string>;
  extensionByMime: Readonly<Record<string, string>>;
  probe(path: string): Promise<P>;
  isUsable(probe: P): boolean;
  /** The 422 message naming the field when the probe refuses the file. */
  unusable: string;
}

/** Room for multipart boundaries, part headers and small fields around the file when judging Content-Length. */
const MULTIPART_SLACK = 64 * 1024;

export interface MediaUpload<P> {
  /** Where the upload now lives in storage: `<keyPrefix>/<uuid>.<ext>`. */
  key: string;
  bytes: number;
  probe: P;
  /** The client's file name (base name only), or `<field>.<ext>`. */
  filename: string;
}

const tooLarge = (field: string, maxBytes: number) =>
  new ProblemError(413, 'upload-too-large', `The file is larger than the ${maxBytes} bytes accepted.`, [{ field, message: `larger than ${maxBytes} bytes` }], { maxBytes });

const unsupportedType = (field: string, accepts: string, detail: string) =>
  new ProblemError(415, 'unsupported-media-type', detail, [{ field, message: `must be ${accepts}` }]);

class TooLargeError extends Error {}

/** Passes bytes through and fails as soon as more than `max` went by. */
function byteLimit(max: number): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counter.bytes += chunk.length;
      if (counter.bytes > max) callback(new TooLargeError());
      else callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

function baseName(filename: string | undefined): string | undefined {
  const name = filename?.split(/[\\/]/).pop()?.trim();
  return name ? name.slice(-255) : undefined;
}

/** The extension to store the upload under, or undefined when neither the name nor the declared type is one the kind takes. */
function mediaExtension(kind: UploadKind<unknown>, filename: string | undefined, mimeType: string | undefined): string | undefined {
  const byName = /\.([A-Za-z0-9]+)$/.exec(filename ?? '')?.[1]?.toLowerCase();
  if (byName && kind.extensions.has(byName)) return byName;
  return kind.extensionByMime[(mimeType ?? '').split(';')[0].trim().toLowerCase()];
}

/** The request body as a Node stream: the raw IncomingMessage under @hono/node-server, else the web body. */
function requestBody(c: Context): Readable {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.pipe === 'function' && !incoming.readableDidRead) return incoming;
  const web = c.req.raw.body;
  return web ? Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
}

/**
 * Receives a `multipart/form-data` upload whose field `kind.field` holds a file of the kind, streams
 * it straight into storage (never whole in memory), then probes it. Nothing stays stored when it fails:
 * no multipart body → 415, no file in the field → 400, another type → 415, over `maxBytes` → 413 (the
 * transfer is cut at the limit), not usable media → 422; each names the field.
 */
export async function receiveMediaUpload<P>(c: Context, storage: Storage, kind: UploadKind<P>, options: { maxBytes: number; keyPrefix: string }): Promise<MediaUpload<P>> {
  const { maxBytes, keyPrefix } = options;
  const FIELD = kind.field;
  assertValidKey(keyPrefix);

  const contentType = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw unsupportedType(FIELD, kind.accepts, `Send the file as multipart/form-data, in the field \`${FIELD}\`.`);
  }
  const declaredLength = Number(c.req.header('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + MULTIPART_SLACK) throw tooLarge(FIELD, maxBytes);

  const body = requestBody(c);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: maxBytes + 1, files: 4, fields: 32, fieldSize: 64 * 1024, parts: 40 },
    });
  } catch {
    throw problems.badRequest('The multipart body has no usable boundary.', [{ field: FIELD, message: 'malformed multipart/form-data' }]);
  }

  const stored = await new Promise<{ object: StoredObject; filename: string }>((resolve, reject) => {
    let settled = false;
    let parsed = false;
    let failure: Error | undefined;
    let mediaFile: Readable | undefined;
    let write: Promise<{ object: StoredObject; filename: string }> | undefined;

    /** Stops reading the form; the rest of the body is drained so the connection can answer. */
    const abort = (error: Error) => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      parser.removeAllListeners('file');
      mediaFile?.destroy(error);
      parser.destroy();
      body.on('error', () => undefined);
      if (!body.destroyed) body.resume();
      // Wait for the storage write to unwind (it removes its temporary file), then delete anything it published.
      void (write ?? Promise.resolve(undefined))
        .then(async (done) => {
          if (done) await storage.delete(done.object.key);
        })
        .catch(() => undefined)
        .finally(() => reject(error));
    };

    const finish = () => {
      if (settled || !parsed) return;
      if (failure) return abort(failure);
      if (!write) return abort(problems.badRequest(`A file is required in the field \`${FIELD}\`.`, [{ field: FIELD, message: 'required' }]));
      write.then(
        (done) => {
          if (settled) return void storage.delete(done.object.key).catch(() => undefined);
          settled = true;
          resolve(done);
        },
        (error: unknown) => abort(error instanceof TooLargeError ? tooLarge(FIELD, maxBytes) : (error as Error)),
      );
    };

    parser.on('file', (name, file, info) => {
      if (name !== FIELD || write || failure) {
        file.resume(); // not ours: drop it
        return;
      }
      const filenameGiven = baseName(info.filename);
      const extension = mediaExtension(kind as UploadKind<unknown>, filenameGiven, info.mimeType);
      if (!extension) {
        failure = unsupportedType(FIELD, kind.accepts, `The field \`${FIELD}\` must hold ${kind.accepts} (got ${info.mimeType || 'no type'}${filenameGiven ? `, ${filenameGiven}` : ''}).`);
        file.resume();
        return;
      }
      mediaFile = file;
      const limited = byteLimit(maxBytes);
      file.on('error', (error) => limited.destroy(error));
      file.pipe(limited);
      const key = `${keyPrefix}/${randomUUID()}.${extension}`;
      write = storage.write(key, limited).then((object) => ({ object, filename: filenameGiven ?? `${FIELD}.${extension}` }));
      // A failed write (too large, disk) ends the upload at once, without waiting for the rest of the body.
      write.catch((error: unknown) => abort(error instanceof TooLargeError ? tooLarge(FIELD, maxBytes) : (error as Error)));
    });
    parser.on('error', () => abort(problems.badRequest('The multipart body is malformed.', [{ field: FIELD, message: 'malformed multipart/form-data' }])));
    parser.on('close', () => {
      parsed = true;
      finish();
    });
    body.on('error', (error) => abort(error));
    body.on('close', () => {
      // The client went away before the body was complete.
      if (!parsed && !settled && (body as Partial<IncomingMessage>).complete === false) abort(new Error('the upload was interrupted'));
    });
    body.pipe(parser);
  });

  let probe: P;
  try {
    probe = await kind.probe(await storage.localPath(stored.object.key));
  } catch (error) {
    await storage.delete(stored.object.key).catch(() => undefined);
    throw error;
  }
  if (!kind.isUsable(probe)) {
    await storage.delete(stored.object.key);
    throw problems.field(FIELD, kind.unusable);
  }
  return { key: stored.object.key, bytes: stored.object.size, probe, filename: stored.filename };
}
