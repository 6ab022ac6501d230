/** What the channel pages share: the queries they read and who the caller is to a channel. */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';
import type { operations } from '../../api/schema';
import { useAuth } from '../../auth';
import './channels.css';

export type Channel = Schemas['Channel'];
export type Content = Schemas['Content'];
export type Permission = Schemas['ChannelAdmin']['permissions'][number];

export const PERMISSIONS: { value: Permission; label: string }[] = [
  { value: 'add_content', label: 'Add contents' },
  { value: 'edit_content', label: 'Edit contents' },
  { value: 'delete_content', label: 'Delete contents' },
  { value: 'moderate_comments', label: 'Moderate comments' },
  { value: 'edit_channel', label: 'Edit the channel' },
];

/** The multipart field of a content's media upload, as the OpenAPI document names it (a rename fails the type check). */
export const MEDIA_FIELD: keyof operations['postContentsByIdMedia']['requestBody']['content']['multipart/form-data'] = 'file';

export const keys = {
  channel: (idOrHandle: string) => ['channel', idOrHandle.toLowerCase()] as const,
  contents: (channelId: string) => ['channel-contents', channelId] as const,
  content: (id: string) => ['content', id] as const,
  admins: (channelId: string) => ['channel-admins', channelId] as const,
  subscriptions: ['my-channel-subscriptions'] as const,
  comments: (contentId: string) => ['comments', contentId] as const,
  replies: (commentId: string) => ['replies', commentId] as const,
};

/** A channel by id or handle; null when there is none (404). */
export function useChannel(idOrHandle: string | undefined) {
  return useQuery({
    queryKey: keys.channel(idOrHandle ?? ''),
    enabled: !!idOrHandle,
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/v1/channels/{id}', { params: { path: { id: idOrHandle! } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export interface ChannelRole {
  isOwner: boolean;
  /** Owner or admin: sees drafts, the admin list. */
  isTeam: boolean;
  may(permission: Permission): boolean;
  /** Platform admins moderate comments everywhere. */
  mayModerate: boolean;
}

/** Who the signed-in caller is to the channel: the owner, an admin (read from the admin list, which only the team may read) or neither. */
export function useChannelRole(channel: Channel | null | undefined): ChannelRole {
  const { account, isAdmin } = useAuth();
  const isOwner = !!account && !!channel && channel.ownerId === account.id;
  const admins = useQuery({
    queryKey: keys.admins(channel?.id ?? ''),
    enabled: !!account && !!channel && !isOwner,
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/v1/channels/{id}/admins', { params: { path: { id: channel!.id } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) return null; // not on the team
        throw error;
      }
    },
  });
  const mine = admins.data?.items.find((a) => a.accountId === account?.id);
  const may = (p: Permission) => isOwner || !!mine?.permissions.includes(p);
  return { isOwner, isTeam: isOwner || !!mine, may, mayModerate: may('moderate_comments') || isAdmin };
}

/** The caller's subscription to the channel (undefined: not subscribed). */
export function useMySubscription(channelId: string | undefined) {
  const { account } = useAuth();
  const subs = useQuery({
    queryKey: keys.subscriptions,
    enabled: !!account,
    queryFn: () => unwrap(api.GET('/v1/me/channel-subscriptions', { params: { query: { limit: 200 } } })),
  });
  return { ...subs, subscription: subs.data?.items.find((s) => s.channelId === channelId) };
}

/** A person by display name; the short account id only when the API has no name (the account is gone or deactivated). */
export function personName(accountId: string, name: string | null): string {
  return name ?? `Account ${accountId.slice(-6)}`;
}

/** How a comment's author is named: you, the channel owner marked as such, or anyone by their display name. */
export function authorName(authorId: string | null, name: string | null, me: string | undefined, channel: Channel | null | undefined): string {
  if (!authorId) return 'Deleted';
  if (authorId === me) return 'You';
  if (authorId === channel?.ownerId) return `${personName(authorId, name)} (channel owner)`;
  return personName(authorId, name);
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
