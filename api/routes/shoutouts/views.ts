import { z } from '@hono/zod-openapi';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { getOrderRow, type OrderRow } from '../../../stores/shoutouts/orders';
import { listTimeline } from '../../../stores/shoutouts/timeline';
import type { Principal } from '../../../domain/auth';
import { SHOUTOUT_STATUSES, type TimelineEvent } from '../../../domain/shoutouts';
import type { CoreDeps } from '../../../platform/deps';
import { FORBIDDEN, INVALID_STATE, shoutoutStateQuery, type ShoutoutView } from '../../../workflows/shoutouts/order';
import { isAdmin } from '../../middleware/auth';
import { ProblemError, problems } from '../../problem';
import { MoneySchema } from '../../schemas';

export const TimelineEventSchema = z
  .object({ seq: z.number().int(), type: z.string(), at: z.string(), data: z.record(z.string(), z.unknown()).optional() })
  .openapi('ShoutoutTimelineEvent');

export const ShoutoutSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    status: z.enum(SHOUTOUT_STATUSES),
    fanId: z.string(),
    talentId: z.string(),
    recipientName: z.string(),
    occasion: z.string(),
    instructions: z.string(),
    businessUse: z.boolean(),
    price: MoneySchema,
    platformFee: MoneySchema.nullable(),
    talentShare: MoneySchema.nullable(),
    refunded: MoneySchema,
    deadlineAt: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    failureReason: z.string().nullable(),
    videoUrl: z.string().nullable(),
    posterUrl: z.string().nullable(),
    createdAt: z.string(),
    source: z.enum(['workflow', 'database']).openapi({ description: 'workflow: live from a query of the running workflow; database: after it closed.' }),
    timeline: z.array(TimelineEventSchema),
  })
  .openapi('Shoutout');

export type ShoutoutResource = z.infer<typeof ShoutoutSchema>;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The order as the API shows it; `live` (a workflow query) wins over the row while the workflow runs. */
export function toResource(row: OrderRow, timeline: TimelineEvent[], live?: ShoutoutView): ShoutoutResource {
  const currency = row.currency;
  const status = live?.status ?? row.status;
  const delivered = status === 'delivered' || status === 'refunded' || !!row.delivered_at || !!live?.deliveredAt;
  const base = `/v1/shoutouts/${row.id}`;
  return {
    id: row.id,
    workflowId: row.workflow_id,
    status,
    fanId: row.fan_id,
    talentId: row.talent_id,
    recipientName: row.recipient_name,
    occasion: row.occasion,
    instructions: row.instructions,
    businessUse: row.business_use,
    price: { amount: Number(row.price_amount), currency },
    platformFee: row.platform_fee_amount === null ? null : { amount: Number(row.platform_fee_amount), currency },
    talentShare: row.talent_share_amount === null ? null : { amount: Number(row.talent_share_amount), currency },
    refunded: { amount: Number(row.refunded_amount), currency },
    deadlineAt: live?.deadlineAt ?? isoOrNull(row.deadline_at),
    acceptedAt: live?.acceptedAt ?? isoOrNull(row.accepted_at),
    deliveredAt: live?.deliveredAt ?? isoOrNull(row.delivered_at),
    failureReason: live?.failureReason ?? row.failure_reason,
    videoUrl: delivered ? `${base}/video` : null,
    posterUrl: delivered ? `${base}/poster` : null,
    createdAt: row.created_at.toISOString(),
    source: live ? 'workflow' : 'database',
    timeline: live?.timeline ?? timeline,
  };
}

/** Reads an order the caller may see (its fan, its talent, an admin); 404 / 403 otherwise. */
export async function loadOrder(db: CoreDeps['db'], id: string, principal: Principal, who: 'party' | 'fan' | 'talent' = 'party'): Promise<OrderRow> {
  const row = await getOrderRow(db, id);
  if (!row) throw problems.notFound(`Shoutout ${id}`);
  const isFan = row.fan_id === principal.accountId;
  const isTalent = row.talent_id === principal.accountId;
  const allowed = who === 'fan' ? isFan : who === 'talent' ? isTalent : isFan || isTalent || isAdmin(principal);
  if (!allowed) throw problems.forbidden(who === 'party' ? 'Only the fan, the talent or an admin may see this order.' : `Only the ${who} of this order may do this.`);
  return row;
}

/** Live from the workflow while it runs, from PostgreSQL once it closed (or when the query cannot answer). */
export async function readOrder(deps: CoreDeps, row: OrderRow): Promise<ShoutoutResource> {
  if (!row.closed_at) {
    try {
      const live = await deps.temporal.workflow.getHandle(row.workflow_id).query(shoutoutStateQuery);
      return toResource(row, live.timeline, live);
    } catch (error) {
      deps.logger.debug({ err: error, orderId: row.id }, 'shoutout query failed; answering from PostgreSQL');
      row = (await getOrderRow(deps.db, row.id)) ?? row;
    }
  }
  return toResource(row, await listTimeline(deps.db, row.id));
}

/** An update the workflow's validator rejected → 403 / 409; a closed workflow → 409. */
export function updateProblem(error: unknown, status: string): ProblemError {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    if (error.cause.type === FORBIDDEN) return problems.forbidden(error.cause.message);
    if (error.cause.type === INVALID_STATE) return problems.conflict(error.cause.message, { orderStatus: status });
  }
  return problems.conflict(`The order is ${status}; this is not possible any more.`, { orderStatus: status });
}
