import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A Kafka-protocol broker for tests: franz-go's kfake (test/kafka/kfake/main.go, built into
 * .tools/bin by `npm run tools:install`). In memory; restarting it on the same port is a broker
 * outage followed by an empty cluster.
 */
export const KFAKE_BINARY = path.resolve(__dirname, '..', '..', '.tools', 'bin', 'kfake');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Kfake {
  brokers: string;
  stop(): Promise<void>;
}

export async function startKfake(port: number, topics: string[]): Promise<Kfake> {
  if (!fs.existsSync(KFAKE_BINARY)) throw new Error(`${KFAKE_BINARY} is missing: run npm run tools:install`);
  const child: ChildProcess = spawn(KFAKE_BINARY, ['-port', String(port), '-topics', topics.join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`kfake did not start: ${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kfake exited with ${code}: ${output}`));
    });
  });
  return {
    brokers: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
