import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKeys } from './keys';

/**
 * Encrypts every payload the client and the workers send to Temporal (workflow inputs, results,
 * activity arguments, signals, queries, memos), so emails, names and instructions are ciphertext
 * in histories and visibility. Each payload (metadata and data, as the protobuf Payload) becomes
 * AES-256-GCM ciphertext with a fresh 12-byte nonce: data = nonce ‖ ciphertext ‖ 16-byte tag;
 * metadata says `encoding: binary/encrypted` and `encryption-key-id: <id>`, so any listed key can
 * read it after a rotation. Payloads written before encryption was on pass through untouched.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

export class CodecDecryptError extends Error {}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: CodecKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.keys.current;
    const key = this.keys.keys.get(id)!;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(id) }, data: new Uint8Array(sealed) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? untext.decode(idBytes) : '';
      const key = this.keys.keys.get(id);
      if (!key) throw new CodecDecryptError(`payload encrypted with key "${id}", which TEMPORAL_CODEC_KEYS does not list`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new CodecDecryptError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new CodecDecryptError(`payload does not decrypt with key "${id}" (altered, or another key under the same id)`);
      }
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
