import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed media URLs: `?exp=<unix seconds>&sig=<HMAC-SHA256>` over (content id, media path, expiry),
 * keyed by a key derived from the server's JWT secret (its own purpose, so a signature is never a
 * token and the other way round). A player holding one needs no Authorization header; HLS
 * playlists served to an authorised caller carry signed URIs for every playlist and segment.
 */
export interface MediaSigner {
  sign(contentId: string, path: string, expiresAt: number): string;
  /** `path?exp=…&sig=…` (path relative to `/v1/contents/<id>/`). */
  signedPath(contentId: string, path: string, expiresAt: number): string;
  verify(contentId: string, path: string, exp: string | undefined, sig: string | undefined, nowSeconds?: number): 'valid' | 'absent' | 'invalid';
}

export function createMediaSigner(secret: string): MediaSigner {
  const key = createHmac('sha256', secret).update('limelight/content-media-url/v1').digest();
  const sign = (contentId: string, path: string, expiresAt: number) => createHmac('sha256', key).update(`${contentId}\n${path}\n${expiresAt}`).digest('base64url');
  return {
    sign,
    signedPath: (contentId, path, expiresAt) => `${path}?exp=${expiresAt}&sig=${sign(contentId, path, expiresAt)}`,
    verify(contentId, path, exp, sig, nowSeconds = Math.floor(Date.now() / 1000)) {
      if (exp === undefined && sig === undefined) return 'absent';
      if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return 'invalid';
      const expiresAt = Number(exp);
      if (expiresAt < nowSeconds) return 'invalid';
      const expected = Buffer.from(sign(contentId, path, expiresAt));
      const given = Buffer.from(sig);
      return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
    },
  };
}

/**
 * A playlist with each URI (its lines that are not tags) signed, relative to `base` (the playlist's
 * folder within the content's media, e.g. `hls/` or `hls/720p/`). Only URIs of plain relative file
 * names are kept; anything else is dropped, so a playlist can never point a player elsewhere.
 */
export function signPlaylist(playlist: string, sign: (path: string) => string, base: string): string {
  return playlist
    .split(/\r?\n/)
    .map((line) => {
      const uri = line.trim();
      if (uri === '' || uri.startsWith('#')) return line;
      if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$|^[A-Za-z0-9_.-]+$/.test(uri) || uri.includes('..')) return '';
      const signed = sign(base + uri);
      // The URI stays relative to the playlist: only the part below `base`, with the query.
      return signed.slice(base.length);
    })
    .join('\n');
}
