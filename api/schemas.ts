import { z } from '@hono/zod-openapi';
import { decodeCursor } from '../stores/pagination';
import { ProblemError } from './problem';

/** Shared OpenAPI schemas: money, problems, pages. */
export const MoneySchema = z
  .object({
    amount: z.number().int().openapi({ example: 2500, description: 'Integer minor units (cents for USD).' }),
    currency: z.string().regex(/^[A-Z]{3}$/).openapi({ example: 'USD', description: 'ISO 4217 code.' }),
  })
  .openapi('Money');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** The usual error answers of a route, for its OpenAPI description. */
export function problemResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid request', 401: 'Missing or invalid access token', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict with the current state',
    413: 'Body too large', 422: 'Rejected by a business rule', 429: 'Rate limited',
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: descriptions[s] ?? 'Error', content: problemContent }]));
}

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().max(255).optional().openapi({ description: 'Replays the first answer for a retried POST.' }),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'Page size (1–200).' }),
  cursor: z.string().optional().openapi({ description: 'The nextCursor of the previous page.' }),
});

export function pageOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

/**
 * A refund's optional amount: `{amount, currency}` like all money in the API, or a bare integer of
 * minor units in the payment's currency (accepted for older clients).
 */
export const RefundAmountSchema = z
  .union([z.number().int().positive(), MoneySchema])
  .openapi({ description: 'Money `{amount, currency}` (or an integer of minor units in the payment currency); omitted, everything refundable.' });

/** Minor units of a refund amount in `currency`; a Money in another currency is a 422 naming `amount.currency`. */
export function refundMinorUnits(value: number | { amount: number; currency: string } | undefined, currency: string): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (value.currency !== currency) throw new ProblemError(422, 'unprocessable', `amount.currency: the payment is in ${currency}`, [{ field: 'amount.currency', message: `must be ${currency}` }]);
  if (value.amount <= 0) throw new ProblemError(422, 'unprocessable', 'amount.amount: must be positive', [{ field: 'amount.amount', message: 'must be positive' }]);
  return value.amount;
}

/** The `cursor` query parameter decoded; a cursor this API did not issue is a 400 naming `cursor`. */
export function cursorParam(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  const after = decodeCursor(cursor);
  if (cursor && !after) throw new ProblemError(400, 'invalid-request', 'The cursor is not valid.', [{ field: 'cursor', message: 'not a cursor from this list' }]);
  return after;
}

export { encodeCursor } from '../stores/pagination';
