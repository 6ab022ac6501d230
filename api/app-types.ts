import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../domain/auth';
import type { Logger } from '../platform/logger';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by requireAuth. */
    principal: Principal;
  };
}

export type AppOpenAPI = OpenAPIHono<AppEnv>;
