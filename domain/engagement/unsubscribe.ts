import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one-click unsubscribe link of upload notifications: `<channelId>.<accountId>.<mac>` signed
 * with a server secret, so the link works without signing in and cannot be forged for someone else.
 */
function mac(secret: string, channelId: string, accountId: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${channelId}:${accountId}`).digest('base64url');
}

export function unsubscribeToken(secret: string, channelId: string, accountId: string): string {
  return `${channelId}.${accountId}.${mac(secret, channelId, accountId)}`;
}

export function readUnsubscribeToken(secret: string, token: string): { channelId: string; accountId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [channelId, accountId, given] = parts;
  const expected = Buffer.from(mac(secret, channelId, accountId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { channelId, accountId } : undefined;
}
