/**
 * A rolling restart of the API with no failed request: two real API processes (`npm run api`'s
 * entrypoint) behind a small load balancer that routes only to instances whose /readyz answers 200
 * (what a Kubernetes Service does with readiness probes; no retries). Requests flow without pause
 * while each process in turn gets SIGTERM, drains (readiness 503 for API_DRAIN_DELAY, in-flight
 * requests finish), exits, and is started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort, waitForPort } from '../../platform/child-process';
import { eventually, startTestStack, testEnv, type TestStack } from '../harness/stack';

const ROOT = path.resolve(__dirname, '..', '..');
// Above the balancer's probe period plus its timeout, with room for a loaded machine (Helm's default: 10s).
const DRAIN = '5s';
const PROBE_EVERY_MS = 200;

interface Instance {
  port: number;
  child?: ChildProcess;
  ready: boolean;
  exited?: Promise<number | null>;
}

function startApiProcess(instance: Instance, env: NodeJS.ProcessEnv): void {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'api', 'main.ts')], {
    cwd: ROOT,
    env: { ...env, PORT: String(instance.port), HOST: '127.0.0.1', API_DRAIN_DELAY: DRAIN },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  instance.child = child;
  instance.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Round robin over the instances whose last readiness probe answered 200. */
function startBalancer(instances: Instance[]): Promise<{ url: string; close(): Promise<void>; sawNotReady: () => boolean }> {
  let next = 0;
  let notReadySeen = false;
  const probe = setInterval(() => {
    for (const instance of instances) {
      fetch(`http://127.0.0.1:${instance.port}/readyz`, { signal: AbortSignal.timeout(1000) })
        .then((res) => {
          if (instance.ready && res.status !== 200) notReadySeen = true;
          instance.ready = res.status === 200;
          return res.arrayBuffer();
        })
        .catch(() => {
          instance.ready = false;
        });
    }
  }, PROBE_EVERY_MS);
  const server = http.createServer(async (req, res) => {
    const ready = instances.filter((i) => i.ready);
    if (ready.length === 0) {
      res.writeHead(503).end('no ready backend');
      return;
    }
    const target = ready[next++ % ready.length];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)).map(([k, v]) => [k, String(v)]));
      const answer = await fetch(`http://127.0.0.1:${target.port}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, signal: AbortSignal.timeout(30_000) });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(body);
    } catch (error) {
      res.writeHead(502).end(`backend ${target.port} failed: ${(error as Error).message}`);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        sawNotReady: () => notReadySeen,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(probe);
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

describe('rolling restart of two API processes', () => {
  let worker: TestStack;
  const instances: Instance[] = [];

  beforeAll(async () => {
    // The worker that runs the ping workflows the requests start; the APIs are separate processes.
    worker = await startTestStack({ api: false });
  }, 60_000);
  afterAll(async () => {
    for (const i of instances) i.child?.kill('SIGKILL');
    await worker?.stop();
  });

  it('answers every request while each API process in turn drains and restarts', async () => {
    const env = testEnv({ TASK_QUEUE: worker.config.TASK_QUEUE, MEDIA_TASK_QUEUE: worker.config.MEDIA_TASK_QUEUE, LOG_LEVEL: 'warn' }) as NodeJS.ProcessEnv;
    for (let i = 0; i < 2; i++) {
      const instance: Instance = { port: await freePort(), ready: false };
      instances.push(instance);
      startApiProcess(instance, env);
    }
    await Promise.all(instances.map((i) => waitForPort(i.port, '127.0.0.1', 60_000)));
    const lb = await startBalancer(instances);
    await eventually(async () => instances.every((i) => i.ready), { timeoutMs: 30_000, what: 'both APIs ready' });

    // Four clients send requests back to back: start a ping, read it, health.
    let stop = false;
    let sent = 0;
    const failures: string[] = [];
    const perStatus = new Map<number, number>();
    const client = async () => {
      while (!stop) {
        sent++;
        try {
          const started = await fetch(`${lb.url}/v1/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'rolling' }), signal: AbortSignal.timeout(45_000) });
          const body = (await started.json()) as { id?: string };
          perStatus.set(started.status, (perStatus.get(started.status) ?? 0) + 1);
          if (started.status !== 202) failures.push(`POST /v1/ping → ${started.status} ${JSON.stringify(body)}`);
          else {
            sent++;
            const read = await fetch(`${lb.url}/v1/ping/${body.id}`, { signal: AbortSignal.timeout(45_000) });
            const text = await read.text();
            perStatus.set(read.status, (perStatus.get(read.status) ?? 0) + 1);
            if (read.status !== 200) failures.push(`GET /v1/ping/${body.id} → ${read.status} ${text.slice(0, 300)}`);
          }
        } catch (error) {
          failures.push(`network: ${(error as Error).message}`);
        }
      }
    };
    const clients = Array.from({ length: 4 }, () => client());

    const restarts: { port: number; oldPid: number; newPid: number; exitCode: number | null; ms: number }[] = [];
    await new Promise((r) => setTimeout(r, 1500));
    for (const instance of instances) {
      const began = Date.now();
      const oldPid = instance.child!.pid!;
      instance.child!.kill('SIGTERM');
      const exitCode = await Promise.race([instance.exited!, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('API did not exit within 20 s of SIGTERM')), 20_000))]);
      startApiProcess(instance, env);
      await waitForPort(instance.port, '127.0.0.1', 60_000);
      await eventually(async () => instance.ready, { timeoutMs: 30_000, what: `API on ${instance.port} ready again` });
      restarts.push({ port: instance.port, oldPid, newPid: instance.child!.pid!, exitCode, ms: Date.now() - began });
      await new Promise((r) => setTimeout(r, 1000));
    }
    stop = true;
    await Promise.all(clients);
    await lb.close();
    for (const i of instances) {
      i.child!.kill('SIGTERM');
      await i.exited;
    }

    console.log(JSON.stringify({ metric: 'api_rolling_restart', apiProcesses: 2, requests: sent, failed: failures.length, drain: DRAIN, restartsMs: restarts.map((r) => r.ms) }));
    expect(failures).toEqual([]);
    expect(restarts).toHaveLength(2);
    expect(restarts.every((r) => r.exitCode === 0 && r.newPid !== r.oldPid)).toBe(true);
    expect(lb.sawNotReady()).toBe(true); // the draining instance did fail readiness before it stopped
    expect(sent).toBeGreaterThan(100);
  }, 180_000);
});
