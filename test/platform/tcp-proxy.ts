import net from 'node:net';

/**
 * A TCP proxy in front of a real server, to simulate that server going away and coming back:
 * `down()` stops listening and cuts every open connection (as a crash or a network partition
 * would); `up()` listens again on the same port.
 */
export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy. */
  readonly open: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(onPort, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as net.AddressInfo).port);
      });
    });

  const down = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  const actualPort = await listen(port);
  return {
    port: actualPort,
    get open() {
      return sockets.size / 2;
    },
    down,
    up: async () => {
      if (!server) await listen(actualPort);
    },
    close: down,
  };
}
