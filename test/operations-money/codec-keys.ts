/**
 * Test-only payload codec keys (never used outside tests). The replay test decodes with the rotated
 * set, so histories recorded from the codec suite replay like every other.
 */
export const CODEC_KEY_1 = 'test-2026-01:v1StFrxHhhrbkGy1OHIbdad+2zdomPbuK+rDOsXMBLU=';
export const CODEC_KEY_2 = 'test-2026-11:WwGY6rLTGeHurA0uVwNWMnNVyEQ0dRq52wBKDvlu10o=';
/** After a rotation: the new key encrypts, the old one still decrypts. */
export const CODEC_KEYS_ROTATED = `${CODEC_KEY_2},${CODEC_KEY_1}`;
