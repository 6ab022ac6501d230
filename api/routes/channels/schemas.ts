import { z } from '@hono/zod-openapi';
import { CHANNEL_PERMISSIONS } from '../../../domain/channels/permissions';
import { HANDLE_PATTERN } from '../../../domain/channels/handles';

export const bearer = [{ bearer: [] }];

export const ChannelSchema = z
  .object({
    id: z.string().openapi({ example: 'chn_0f8c1d2e3b4a59687766554433221100' }),
    handle: z.string().openapi({ example: 'night-owls', description: 'Unique among live channels, case-insensitively; kept as typed.' }),
    name: z.string(),
    description: z.string(),
    ownerId: z.string().openapi({ description: 'The account that owns the channel.' }),
    createdAt: z.string(),
    subscriberCount: z.number().int(),
    contentCount: z.number().int(),
  })
  .openapi('Channel');

export const Handle = z.string().regex(HANDLE_PATTERN, 'must be 3–30 characters of a-z, 0-9, _ and -').openapi({
  example: 'night-owls',
  description: '3–30 characters of `a-z 0-9 _ -`, unique case-insensitively (taken → 409 naming handle). Kept as typed.',
});
const Name = z.string().trim().min(1).max(100);
const Description = z.string().max(5000);

export const ChannelInput = z.object({ name: Name, handle: Handle, description: Description.optional() }).openapi('ChannelInput');
export const ChannelPatch = z.object({ name: Name.optional(), handle: Handle.optional(), description: Description.optional() }).openapi('ChannelPatch');

export const ChannelIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The channel id.' }) });

export const ChannelDeletionAccepted = z
  .object({ id: z.string(), workflowId: z.string().openapi({ example: 'channelDeletion-chn_0f8c1d2e3b4a59687766554433221100', description: 'The channelDeletion workflow (Temporal UI).' }) })
  .openapi('ChannelDeletionAccepted');

export const PermissionSchema = z.enum(CHANNEL_PERMISSIONS);

export const ChannelAdminSchema = z
  .object({
    channelId: z.string(),
    accountId: z.string(),
    name: z.string().nullable().openapi({ description: "The admin's display name; null when the account is gone or deactivated." }),
    permissions: z.array(PermissionSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ChannelAdmin');

export const ChannelAdminInput = z
  .object({ permissions: z.array(PermissionSchema).max(CHANNEL_PERMISSIONS.length * 2).openapi({ description: 'Exactly the permissions the admin holds from now on (an empty list keeps them on the team with none).' }) })
  .openapi('ChannelAdminInput');

export const ChannelSubscriptionSchema = z
  .object({
    channelId: z.string(),
    accountId: z.string(),
    notify: z.boolean().openapi({ description: 'Whether new uploads are emailed to the subscriber.' }),
    subscribedAt: z.string(),
  })
  .openapi('ChannelSubscription');

export const ChannelSubscriptionInput = z.object({ notify: z.boolean().default(false) }).openapi('ChannelSubscriptionInput');
