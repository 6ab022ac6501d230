/**
 * The payload codec's keys: `TEMPORAL_CODEC_KEYS="<id>:<base64 32 bytes>,<older id>:<…>"`. The
 * first key encrypts; every key listed decrypts, so rotating means putting a new key first and
 * keeping the old ones for as long as histories written with them exist.
 */
export interface CodecKeys {
  /** Id of the key new payloads are encrypted with. */
  current: string;
  keys: Map<string, Buffer>;
}

export class CodecKeyError extends Error {}

const ID = /^[A-Za-z0-9._-]{1,64}$/;

export function parseCodecKeys(text: string | undefined): CodecKeys | undefined {
  if (!text || !text.trim()) return undefined;
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    if (!ID.test(id)) throw new CodecKeyError(`TEMPORAL_CODEC_KEYS: each entry is <id>:<base64 key>, with an id of letters, digits, . _ - (got "${entry.slice(0, 20)}…")`);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== 32) throw new CodecKeyError(`TEMPORAL_CODEC_KEYS: key ${id} must be 32 bytes in base64 (AES-256), got ${key.length}`);
    if (keys.has(id)) throw new CodecKeyError(`TEMPORAL_CODEC_KEYS: key id ${id} is listed twice`);
    keys.set(id, key);
    current ??= id;
  }
  return current ? { current, keys } : undefined;
}
