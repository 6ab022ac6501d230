import { z } from 'zod';
import { duration, optionalString } from './env';

/** Variables of rolling deploys: worker versioning, what a worker polls, the API's graceful drain. */
export const deploysSchema = z.object({
  WORKER_DEPLOYMENT_NAME: z.string().min(1).default('limelight').describe('Temporal Worker Deployment the worker joins when WORKER_BUILD_ID is set.'),
  WORKER_BUILD_ID: optionalString.describe('Build id of the worker code (e.g. the image tag). Set, the worker uses Temporal Worker Versioning (pinned workflows stay on the build that started them, see the README); unset, it is unversioned.'),
  WORKER_TASK_QUEUES: z
    .string()
    .default('main,media')
    .transform((text, ctx) => {
      const queues = text.split(',').map((q) => q.trim()).filter(Boolean);
      if (queues.length === 0 || queues.some((q) => q !== 'main' && q !== 'media')) {
        ctx.addIssue({ code: 'custom', message: `expected main, media or main,media; got ${text}` });
        return z.NEVER;
      }
      return [...new Set(queues)] as ('main' | 'media')[];
    })
    .describe('Task queues this worker process polls: main (workflows, business activities), media (transcodes), or main,media; media-only workers scale on their own.'),
  API_DRAIN_DELAY: duration('0s').describe('On SIGTERM the API answers 503 on /readyz for this long (load balancers stop routing to it), then stops accepting connections and finishes the requests in flight.'),
});

export type DeploysConfig = z.infer<typeof deploysSchema>;
