import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { CoreDeps } from '../platform/deps';
import { createApp, type AppOptions } from './app';

export interface RunningApi {
  url: string;
  port: number;
  server: ServerType;
  close(): Promise<void>;
}

/** Serves the API; close() stops accepting, lets in-flight requests finish, then resolves. */
export function startApi(deps: CoreDeps, options: AppOptions & { port?: number; host?: string } = {}): Promise<RunningApi> {
  const closing: (() => void | Promise<void>)[] = [];
  const app = createApp(deps, { ...options, lifecycle: { onClose: (stop) => closing.push(stop) } });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? deps.config.PORT, hostname: options.host ?? deps.config.HOST }, (info: AddressInfo) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        server,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would hold close() open.
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
          // Then the loops the routes ran (after the last request, which may have kicked one).
          for (const stop of closing) await stop();
        },
      });
    });
  });
}
