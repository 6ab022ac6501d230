import { z } from '@hono/zod-openapi';

export const EmailField = z.string().trim().max(254).pipe(z.email()).openapi({ example: 'ana@example.com' });

export const AccountSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(['fan', 'talent']),
    status: z.enum(['pending_verification', 'active', 'deactivated']),
    roles: z.array(z.enum(['admin', 'premium', 'normal'])),
    createdAt: z.string(),
    verifiedAt: z.string().nullable(),
    deactivatedAt: z.string().nullable(),
  })
  .openapi('Account');

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().openapi({ description: 'Seconds the access token is valid.' }),
    tokenType: z.literal('Bearer'),
  })
  .openapi('TokenPair');

export const bearer = [{ bearer: [] }];
