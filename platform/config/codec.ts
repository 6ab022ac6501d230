import { z } from 'zod';
import { CodecKeyError, parseCodecKeys } from '../codec/keys';
import { optionalString } from './env';

/** Encryption of workflow payloads (platform/codec) and the codec endpoint the Temporal UI calls. */
export const codecSchema = z.object({
  TEMPORAL_CODEC_KEYS: optionalString.superRefine((value, ctx) => {
    try {
      parseCodecKeys(value);
    } catch (error) {
      if (!(error instanceof CodecKeyError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  }),
  TEMPORAL_UI_ORIGIN: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
});
