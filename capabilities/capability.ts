import type { z } from 'zod';
import type { AppOpenAPI } from '../api/app-types';
import type { CoreDeps } from '../platform/deps';

/** What a capability's routes may hand to the API process: loops to stop when it closes (outbox pumps, batched writers). */
export interface ApiLifecycle {
  onClose(stop: () => void | Promise<void>): void;
}

/** A request body limit a route declares for itself (the default is BODY_LIMIT_BYTES). */
export interface BodyLimit {
  method: string;
  /** The route's OpenAPI path, e.g. `/v1/shoutouts/{id}/video`. */
  path: string;
  /** `streamed`: the route reads its body as a stream and bounds it itself (uploads). */
  limit: 'streamed' | ((config: CoreDeps['config']) => number);
}

/**
 * Everything the platform needs to know about one capability, in one object: the API, the worker
 * and the config loader iterate the list in capabilities/index.ts. Adding a capability means a
 * migration, domain/<cap>, stores/<cap>, activities/<cap>, workflows/<cap>, api/routes/<cap>, and
 * one object here (CONTRIBUTING.md, "Adding a capability").
 */
export interface Capability<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  /** Its configuration variables (zod), merged into the platform's Config. */
  config: z.ZodObject<Shape>;
  /** Registers its HTTP routes (and any loop they run in the API process, stopped through `lifecycle`). */
  routes?: (app: AppOpenAPI, deps: CoreDeps, lifecycle: ApiLifecycle) => void;
  /** Body limits its routes declare (uploads). */
  bodyLimits?: BodyLimit[];
  /** Its activities, per task queue: `main` (TASK_QUEUE) and `media` (MEDIA_TASK_QUEUE, CPU-heavy work). */
  activities?: {
    main?: (deps: CoreDeps) => object;
    media?: (deps: CoreDeps) => object;
  };
  /** Creates or updates its Temporal Schedules (idempotently) when a worker starts. */
  schedules?: (deps: CoreDeps) => Promise<void>;
}

/** Keeps each capability's config shape in its type, so the merged Config stays typed. */
export function defineCapability<Shape extends z.ZodRawShape>(capability: Capability<Shape>): Capability<Shape> {
  return capability;
}
