import { randomUUID } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { AppOptions } from '../../api/app';
import { startApi, type RunningApi } from '../../api/server';
import { closeCoreDeps, createCoreDeps } from '../../platform/bootstrap';
import { configWith, type Config } from '../../platform/config';
import type { CoreDeps, Ports } from '../../platform/deps';
import type { Env } from '../../platform/config/env';
import { createWorkers, type Workers } from '../../workers/worker';
import { ResponseGuard } from './response-guard';

export interface TestStack {
  config: Config;
  deps: CoreDeps;
  api?: RunningApi;
  workers?: Workers;
  /** Real HTTP against the running API. */
  http: HttpClient;
  /** Stops the worker (drains) without touching the API: for crash/restart tests. */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same task queues. */
  startWorker(): Promise<void>;
  /** Answers of this stack's API that /openapi.json does not describe (see response-guard.ts); stop() fails on any. */
  responseViolations: string[];
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Env;
  ports?: Partial<Ports>;
  api?: boolean | AppOptions;
  worker?: boolean;
  /** Check every answer against /openapi.json (test/harness/response-guard.ts); on under jest, off in benches. */
  responseGuard?: boolean;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process by an earlier test file
  }
}

/** The env every test stack starts from: the run's Temporal and database, a task queue of its own. */
export function testEnv(overrides: Env = {}): Env {
  const suffix = randomUUID().slice(0, 8);
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TASK_QUEUE: `test-${suffix}`,
    MEDIA_TASK_QUEUE: `test-media-${suffix}`,
    PORT: '0',
    // Suites post webhooks to receivers on loopback, and sign up far more than a person would.
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    SIGNUP_MAX_PER_IP: '1000000',
    SIGNUP_MAX_PER_EMAIL_DOMAIN: '1000000',
    ...overrides,
  };
}

/**
 * A real API and a real worker against the run's Temporal server and database. Each stack
 * has its own task queues, so suites never pick up each other's workflows.
 */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  quietRuntime();
  const config = configWith({}, testEnv(options.env));
  const deps = await createCoreDeps(config, 'test', options.ports);
  let connection: NativeConnection | undefined;
  let workers: Workers | undefined;
  let running: Promise<void> | undefined;

  const startWorker = async () => {
    connection ??= await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
    workers = await createWorkers(deps, connection, { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
    running = workers.run();
  };
  const stopWorker = async () => {
    workers?.shutdown();
    await running?.catch(() => undefined);
    workers = undefined;
    running = undefined;
  };

  if (options.worker !== false) await startWorker();
  // RESPONSE_GUARD=off turns it off for a run (to tell a guard finding from a test's own failure).
  const guard = (options.responseGuard ?? (process.env.JEST_WORKER_ID !== undefined && process.env.RESPONSE_GUARD !== 'off')) ? new ResponseGuard() : undefined;
  const api = options.api === false ? undefined : await startApi(deps, { ...(typeof options.api === 'object' ? options.api : {}), ...(guard ? { outermost: guard.middleware } : {}), port: 0, host: '127.0.0.1' });

  return {
    config,
    deps,
    api,
    get workers() {
      return workers;
    },
    http: new HttpClient(api?.url ?? 'http://127.0.0.1:1'),
    stopWorker,
    startWorker,
    responseViolations: guard?.violations ?? [],
    stop: async () => {
      await api?.close();
      await stopWorker();
      await connection?.close().catch(() => undefined);
      await closeCoreDeps(deps);
      if (guard?.violations.length) {
        throw new Error(`${guard.violations.length} answer(s) not described by /openapi.json:\n  ${[...new Set(guard.violations)].slice(0, 30).join('\n  ')}`);
      }
    },
  };
}

export interface HttpResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  raw?: string | Uint8Array;
  token?: string;
  headers?: Record<string, string>;
}

export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: string | Uint8Array | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options: RequestOptions = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = any>(path: string, body?: unknown, options: RequestOptions = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = any>(path: string, options?: RequestOptions) { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.request<T>('DELETE', path, options);
  }
}

/** Polls `probe` until it returns a truthy value (returned) or the time runs out (throws with the last value). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'condition'}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
