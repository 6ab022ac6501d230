import { serve, type ServerType } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoreDeps } from '../platform/deps';
import { createApp, type AppOptions } from './app';

export interface RunningApi {
  url: string;
  port: number;
  server: ServerType;
  close(): Promise<void>;
  /**
   * Graceful stop for rolling deploys: /readyz answers 503 at once (load balancers and Kubernetes
   * stop routing here) and answers carry `Connection: close`; after `delayMs` the server stops
   * accepting connections and resolves once the requests in flight have finished.
   */
  drain(delayMs: number): Promise<void>;
}

/** Serves the API; close() stops accepting, lets in-flight requests finish, then resolves. */
export function startApi(deps: CoreDeps, options: AppOptions & { port?: number; host?: string } = {}): Promise<RunningApi> {
  let draining = false;
  const closing: (() => void | Promise<void>)[] = [];
  const app = createApp(deps, { ...options, readiness: { ...options.readiness, accepting: async () => !draining }, lifecycle: { onClose: (stop) => closing.push(stop) } });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? deps.config.PORT, hostname: options.host ?? deps.config.HOST }, (info: AddressInfo) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      const close = async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          // Idle keep-alive sockets would hold close() open.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        // Then the loops the routes ran (after the last request, which may have kicked one).
        for (const stop of closing.splice(0)) await stop();
      };
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        server,
        close,
        drain: async (delayMs) => {
          draining = true;
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          await close();
        },
      });
    });
    // While draining, keep-alive clients are told to reconnect (to another instance).
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (draining) res.setHeader('Connection', 'close');
    });
  });
}
