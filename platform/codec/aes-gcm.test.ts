import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, CodecDecryptError, KEY_ID_METADATA } from './aes-gcm';
import { CodecKeyError, parseCodecKeys } from './keys';

const key = () => randomBytes(32).toString('base64');
const converter = new DefaultPayloadConverter();
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

describe('AES-256-GCM payload codec', () => {
  const k1 = key();
  const k2 = key();
  const input = converter.toPayload({ fan: { email: 'ana@example.com', name: 'Ana' }, instructions: 'Say happy birthday' });

  it('encrypts every payload with the first key, and reads it back', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(`k1:${k1}`)!);
    const [sealed] = await codec.encode([input]);
    expect(text(sealed.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(sealed.data!).includes('ana@example.com')).toBe(false);
    const [opened] = await codec.decode([sealed]);
    expect(converter.fromPayload(opened)).toEqual({ fan: { email: 'ana@example.com', name: 'Ana' }, instructions: 'Say happy birthday' });
    // Two encryptions of the same value differ (a fresh nonce each time).
    expect(Buffer.from((await codec.encode([input]))[0].data!).equals(Buffer.from(sealed.data!))).toBe(false);
  });

  it('keeps old payloads readable after a rotation, and passes plain payloads through', async () => {
    const before = new AesGcmPayloadCodec(parseCodecKeys(`k1:${k1}`)!);
    const after = new AesGcmPayloadCodec(parseCodecKeys(`k2:${k2}, k1:${k1}`)!);
    const [old] = await before.encode([input]);
    const [fresh] = await after.encode([input]);
    expect(text(fresh.metadata![KEY_ID_METADATA])).toBe('k2');
    const [a, b, plain] = await after.decode([old, fresh, input]);
    expect(converter.fromPayload(a)).toEqual(converter.fromPayload(input));
    expect(converter.fromPayload(b)).toEqual(converter.fromPayload(input));
    expect(plain).toBe(input);
    await expect(before.decode([fresh])).rejects.toThrow(CodecDecryptError);
  });

  it('refuses altered ciphertext and bad key settings', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(`k1:${k1}`)!);
    const [sealed] = await codec.encode([input]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(/does not decrypt/);
    expect(() => parseCodecKeys('k1:short')).toThrow(CodecKeyError);
    expect(() => parseCodecKeys(`k1:${k1},k1:${k2}`)).toThrow(/twice/);
    expect(() => parseCodecKeys(key())).toThrow(CodecKeyError);
    expect(parseCodecKeys('')).toBeUndefined();
  });
});
