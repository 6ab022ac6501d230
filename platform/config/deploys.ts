import { z } from 'zod';
import { duration, optionalString } from './env';

/** Variables of rolling deploys: worker versioning and the API's graceful drain. */
export const deploysSchema = z.object({
  /** Temporal Worker Deployment the worker belongs to (with WORKER_BUILD_ID). */
  WORKER_DEPLOYMENT_NAME: z.string().min(1).default('limelight'),
  /** Build id of this worker's code (e.g. the image tag). Set, the worker uses Temporal Worker Versioning: pinned workflows stay on the build that started them; unset, it is unversioned. */
  WORKER_BUILD_ID: optionalString,
  /** Task queues this worker process polls: `main` (workflows and business activities), `media` (transcodes), or both (comma-separated), so media workers scale on their own. */
  WORKER_TASK_QUEUES: z
    .string()
    .default('main,media')
    .transform((text, ctx) => {
      const queues = text.split(',').map((q) => q.trim()).filter(Boolean);
      const bad = queues.filter((q) => q !== 'main' && q !== 'media');
      if (bad.length || queues.length === 0) {
        ctx.addIssue({ code: 'custom', message: `expected main, media or main,media; got ${text}` });
        return z.NEVER;
      }
      return [...new Set(queues)] as ('main' | 'media')[];
    }),
  /** On SIGTERM the API answers 503 on /readyz for this long (load balancers stop sending it requests), then stops accepting connections and finishes the requests in flight. */
  API_DRAIN_DELAY: duration('0s'),
});

export type DeploysConfig = z.infer<typeof deploysSchema>;
