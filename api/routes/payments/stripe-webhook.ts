import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import Stripe from 'stripe';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { ProblemError, problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { processStripeWebhookEventOnce, recordStripeWebhookEvent, type StripeWebhookOutcome } from '../../../stores/payments/stripe-webhook-events';
import { defaultWorkflowId, routeFor, toSignalPayload } from './stripe-routing';

export type { StripeWebhookOutcome };

const WebhookReceived = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    duplicate: z.boolean().openapi({ description: 'The event id was already processed; nothing was done again.' }),
    outcome: z.enum(['signalled', 'unrouted', 'no_workflow', 'workflow_not_found']),
  })
  .openapi('StripeWebhookReceived');

// No request body schema on purpose: a JSON validator would parse and re-encode the body, and the
// signature is over the exact bytes Stripe sent.
const stripeWebhook = createRoute({
  method: 'post',
  path: '/webhooks/stripe',
  tags: ['payments'],
  summary: 'Stripe webhook: verifies Stripe-Signature, stores the event once, signals its workflow',
  description:
    'Raw body signed by Stripe (`Stripe-Signature`, checked with STRIPE_WEBHOOK_SECRET, 5-minute tolerance). ' +
    'Idempotent by event id: a redelivered event is acknowledged without signalling again. A bad or stale signature answers 400 and nothing is stored or signalled.',
  request: { headers: z.object({ 'stripe-signature': z.string().optional() }) },
  responses: {
    200: { description: 'Received', content: { 'application/json': { schema: WebhookReceived } } },
    ...problemResponses(400, 413, 503),
  },
});

const badSignature = (detail: string) => new ProblemError(400, 'invalid-signature', detail);

export function registerStripeWebhook(app: AppOpenAPI, { config, db, temporal, logger }: CoreDeps): void {
  const toleranceSeconds = Math.max(1, Math.round(config.STRIPE_WEBHOOK_TOLERANCE / 1000));

  app.openapi(stripeWebhook, async (c) => {
    const raw = await c.req.text();
    const header = c.req.header('stripe-signature');
    if (!header) throw badSignature('The Stripe-Signature header is missing.');
    let event: Stripe.Event;
    try {
      // Checks the HMAC over the raw bytes and that the signed timestamp is within the tolerance (replays).
      event = await Stripe.webhooks.constructEventAsync(raw, header, config.STRIPE_WEBHOOK_SECRET, toleranceSeconds);
    } catch (error) {
      // Verified bytes that are not JSON: signed by someone holding the secret, but not an event.
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw problems.badRequest('The signed body is not a Stripe event.');
      const reason = error.message;
      c.get('logger')?.warn({ reason }, 'stripe webhook: signature refused');
      throw badSignature(/tolerance/i.test(reason) ? 'The Stripe-Signature timestamp is outside the tolerance: the event is stale or replayed.' : 'The Stripe-Signature header does not verify against this endpoint’s secret.');
    }
    if (!event || typeof event.id !== 'string' || typeof event.type !== 'string' || !event.data?.object) {
      throw problems.badRequest('The signed body is not a Stripe event.');
    }

    const object = event.data.object as { id?: string };
    // Stored first, outside the routing transaction: the event is kept even if routing fails below.
    await recordStripeWebhookEvent(db, {
      id: event.id,
      type: event.type,
      livemode: Boolean(event.livemode),
      apiVersion: event.api_version ?? null,
      objectId: object.id ?? null,
      payload: raw,
      eventCreatedAt: new Date((event.created ?? 0) * 1000),
    });

    // Under the event's row lock: a concurrent delivery of the same event waits, then sees it processed.
    const answer = await processStripeWebhookEventOnce(db, event.id, async () => {
      const route = routeFor(event.type);
      let outcome: StripeWebhookOutcome = 'unrouted';
      let workflowId: string | undefined;
      if (route) {
        workflowId = await (route.workflowId ?? defaultWorkflowId)(event, db);
        if (!workflowId) outcome = 'no_workflow';
        else {
          try {
            await temporal.workflow.getHandle(workflowId).signal(route.signal, (route.payload ?? toSignalPayload)(event));
            outcome = 'signalled';
          } catch (error) {
            // A finished (or never started) workflow cannot act on the event; keep it and acknowledge.
            if (error instanceof WorkflowNotFoundError) outcome = 'workflow_not_found';
            else {
              logger.error({ err: error, eventId: event.id, workflowId }, 'stripe webhook: signalling failed; Stripe will redeliver');
              // Not marked processed: Stripe's redelivery retries the signal.
              throw problems.unavailable('The event could not be delivered to its workflow yet; retry later.');
            }
          }
        }
      }
      return { outcome, workflowId, signalName: route && workflowId ? route.signal : null };
    });

    c.get('logger')?.info({ eventId: event.id, type: event.type, ...answer }, 'stripe webhook');
    return c.json({ received: true as const, eventId: event.id, ...answer }, 200);
  });
}
