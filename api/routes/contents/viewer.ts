import type { Context } from 'hono';
import type { Principal } from '../../../domain/auth';
import type { ChannelRelation } from '../../../domain/channels/permissions';
import { isChannelTeam } from '../../../domain/channels/permissions';
import { MEDIA_FILES, type Content } from '../../../domain/contents';
import { canSeeContent, playDecision } from '../../../domain/contents/access';
import type { CoreDeps } from '../../../platform/deps';
import { findContent } from '../../../stores/contents/contents';
import type { AppEnv } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { ProblemError, problems } from '../../problem';
import { loadChannelRelation } from '../channels/access';
import { createMediaSigner, type MediaSigner } from './signing';

export const premiumRequired = () =>
  new ProblemError(403, 'premium-required', 'This content is for premium members: a premium membership is needed to play it.', undefined, { premiumRequired: true });

/** The caller when a bearer token is sent (verified: a bad one is 401), else anonymous. */
export async function optionalPrincipal(c: Context<AppEnv>, secret: string): Promise<Principal | undefined> {
  if (!c.req.header('authorization')) return undefined;
  await requireAuth(secret)(c, async () => undefined);
  return c.get('principal');
}

export interface Viewer {
  content: Content;
  relation: ChannelRelation;
  principal?: Principal;
}

export function createContentViewer(deps: CoreDeps) {
  const { db, config } = deps;
  const signer: MediaSigner = createMediaSigner(config.JWT_SECRET);
  const ttlSeconds = Math.max(60, Math.floor(config.CONTENT_MEDIA_URL_TTL / 1000));

  /** The content as the caller may see it: 404 when it does not exist, is being deleted, or is not theirs to see. */
  async function load(id: string, principal: Principal | undefined): Promise<Viewer> {
    const content = await findContent(db, id);
    if (!content) throw problems.notFound('The content');
    const relation = await loadChannelRelation(db, content.channelId, principal).catch((error: unknown) => {
      if (error instanceof ProblemError && error.status === 404) throw problems.notFound('The content');
      throw error;
    });
    if (!canSeeContent(content, relation)) throw problems.notFound('The content');
    return { content, relation, principal };
  }

  const expiry = () => Math.floor(Date.now() / 1000) + ttlSeconds;
  const url = (id: string, path: string, expiresAt: number) => `/v1/contents/${id}/${signer.signedPath(id, path, expiresAt)}`;

  /** The resource: team-only fields hidden from others, signed playback URLs when the caller may play it. */
  function resource(content: Content, relation: ChannelRelation) {
    const team = isChannelTeam(relation);
    const mayPlay = playDecision(content, relation) === 'allowed';
    const media = content.status === 'published' ? content.media : null;
    let playback = null;
    if (media && mayPlay) {
      const exp = expiry();
      playback =
        media.kind === 'video'
          ? { expiresAt: new Date(exp * 1000).toISOString(), hls: url(content.id, MEDIA_FILES.master, exp), download: url(content.id, 'download', exp), poster: url(content.id, 'poster', exp) }
          : { expiresAt: new Date(exp * 1000).toISOString(), download: url(content.id, 'download', exp), waveform: url(content.id, 'waveform', exp) };
    }
    return {
      id: content.id,
      channelId: content.channelId,
      kind: content.kind,
      title: content.title,
      description: content.description,
      authorId: content.authorId,
      status: content.status,
      visibility: content.visibility,
      audience: content.audience,
      durationSeconds: content.durationSeconds,
      ...(content.kind === 'track' ? { artist: content.artist, album: content.album } : {}),
      failureReason: team ? content.failureReason : null,
      createdAt: content.createdAt,
      updatedAt: content.updatedAt,
      publishedAt: content.publishedAt,
      ...(media?.kind === 'video' ? { renditions: media.renditions.map((r) => ({ name: r.name, width: r.width, height: r.height, bandwidth: r.bandwidth })) } : {}),
      premiumRequired: !mayPlay,
      playback,
    };
  }

  /**
   * A media request (`path` relative to `/v1/contents/<id>/`): allowed by a valid signature for that
   * path, or by the caller (token or anonymous) being allowed to play the content. Answers the
   * content and the expiry that signed URIs inside playlists get (a signed request's own expiry:
   * a signed URL is never extended).
   */
  async function authorizeMedia(c: Context<AppEnv>, id: string, path: string): Promise<{ content: Content; expiresAt: number }> {
    const verdict = signer.verify(id, path, c.req.query('exp'), c.req.query('sig'));
    let content: Content | undefined;
    let expiresAt: number;
    if (verdict === 'valid') {
      content = await findContent(db, id);
      // The channel must still be live (a deleted channel's contents go with it).
      if (content) await loadChannelRelation(db, content.channelId, undefined);
      expiresAt = Number(c.req.query('exp'));
    } else {
      const principal = await optionalPrincipal(c, config.JWT_SECRET);
      if (verdict === 'invalid' && !principal) throw new ProblemError(403, 'invalid-signature', 'The media URL is expired or its signature is invalid: fetch the content again for fresh URLs.');
      const viewer = await load(id, principal);
      if (playDecision(viewer.content, viewer.relation) === 'premium_required') throw premiumRequired();
      content = viewer.content;
      expiresAt = expiry();
    }
    if (!content || content.status !== 'published' || !content.media) throw problems.notFound('The media of this content');
    return { content, expiresAt };
  }

  return { load, resource, authorizeMedia, signer };
}

export type ContentViewer = ReturnType<typeof createContentViewer>;
