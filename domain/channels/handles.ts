/**
 * Channel handles: 3–30 characters of `a-z 0-9 _ -`, unique case-insensitively among live
 * channels (the migration's `channels_handle_live` index on lower(handle)). Kept as typed, compared lower-cased.
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9_-]{3,30}$/;
export const HANDLE_MIN = 3;
export const HANDLE_MAX = 30;

export function isValidHandle(text: string): boolean {
  return HANDLE_PATTERN.test(text);
}

/** Channel ids are `chn_` + 32 hex digits (36 characters): never a valid handle, so `/v1/channels/{idOrHandle}` is unambiguous. */
export const CHANNEL_ID_PREFIX = 'chn';

export function looksLikeChannelId(text: string): boolean {
  return /^chn_[0-9a-f]{32}$/.test(text);
}
