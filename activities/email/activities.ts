import { ApplicationFailure } from '@temporalio/activity';
import type { CoreDeps } from '../../platform/deps';
import { businessMetrics } from '../../platform/metrics/business';
import { PermanentMailError } from '../../providers/email/port';
import { renderEmail, type TemplateVars } from './templates';

export interface SendEmailInput {
  to: string;
  /** A folder under activities/email/templates/. */
  template: string;
  vars: TemplateVars;
  /** Deterministic per step (`<workflowId>/email/<what>`): a retry never sends twice. */
  idempotencyKey: string;
}

/** The one activity every workflow uses to email someone. */
export function createEmailActivities({ ports, metrics }: Pick<CoreDeps, 'ports' | 'metrics'>) {
  const emails = businessMetrics(metrics).emails;
  return {
    async sendEmail(input: SendEmailInput): Promise<{ messageId: string }> {
      const rendered = renderEmail(input.template, input.vars);
      try {
        const sent = await ports.mailer.send({ ...rendered, to: input.to, kind: input.template }, { idempotencyKey: input.idempotencyKey });
        // Counted once: an attempt that sent returns, so no retry follows it (transient failures are not counted).
        emails.inc({ kind: input.template, outcome: 'sent' });
        return sent;
      } catch (error) {
        // A 5xx from the SMTP server will not change on retry: fail the activity for good.
        if (error instanceof PermanentMailError) {
          emails.inc({ kind: input.template, outcome: 'failed' });
          throw ApplicationFailure.nonRetryable(error.message, 'PermanentMailError', { responseCode: error.responseCode });
        }
        throw error;
      }
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
