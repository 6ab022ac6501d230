import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm';
import { parseCodecKeys } from './keys';

export { AesGcmPayloadCodec, CodecDecryptError, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm';
export { CodecKeyError, parseCodecKeys, type CodecKeys } from './keys';

/** The codec from TEMPORAL_CODEC_KEYS, or none when it is unset (payloads stay plain JSON). */
export function payloadCodecFrom(config: { TEMPORAL_CODEC_KEYS?: string }): AesGcmPayloadCodec | undefined {
  const keys = parseCodecKeys(config.TEMPORAL_CODEC_KEYS);
  return keys ? new AesGcmPayloadCodec(keys) : undefined;
}

/** What the client, the workers and the replayer pass to Temporal: the same codec everywhere. */
export function dataConverterFrom(config: { TEMPORAL_CODEC_KEYS?: string }): DataConverter | undefined {
  const codec = payloadCodecFrom(config);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
