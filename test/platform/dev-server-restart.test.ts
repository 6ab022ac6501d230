import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { newId } from '../../domain/ids';
import { closeCoreDeps, createCoreDeps } from '../../platform/bootstrap';
import { freePort } from '../../platform/child-process';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';
import { startTemporalDevServer, type DevServer } from '../../platform/temporal-dev-server';
import { createWorkers } from '../../workers/worker';
import { ping } from '../../workflows/ping';
import { testEnv } from '../harness/stack';

/**
 * The embedded Temporal keeps its state in one SQLite file: a workflow started before the dev
 * server stops is still there after a restart on the same file, and completes once a worker runs.
 * This suite runs a dev server of its own (the run's shared one must stay up for the others).
 */
describe('Temporal dev server restart on the same SQLite file', () => {
  let dir: string;
  let server: DevServer | undefined;
  let deps: CoreDeps | undefined;
  let connection: NativeConnection | undefined;
  let client: Client | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-devserver-'));
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed by an earlier suite in this process
    }
  });

  afterEach(async () => {
    await connection?.close().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    if (deps) await closeCoreDeps(deps);
    await server?.stop();
    connection = undefined;
    client = undefined;
    deps = undefined;
    server = undefined;
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['stopped (SIGTERM, as Ctrl-C on npm start does)', 'SIGTERM'],
    ['killed (SIGKILL, a crash)', 'SIGKILL'],
  ] as const)('completes a workflow started before the server was %s, once a worker runs after the restart', async (_how, signal) => {
    const dbFile = path.join(dir, `temporal-${signal}.db`);
    const port = await freePort();
    const uiPort = await freePort();
    const start = () => startTemporalDevServer({ toolsDir: '.tools', dbFile, port, uiPort, namespace: 'default', logFile: path.join(dir, 'temporal.log') });
    const address = `127.0.0.1:${port}`;
    const taskQueue = `restart-${newId('q').slice(-8)}`;

    // 1. Start the workflow while no worker polls its task queue: it can only wait.
    server = await start();
    const id = newId('png');
    const workflowId = `ping-${id}`;
    client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const started = await client.workflow.start(ping, { taskQueue, workflowId, args: [{ id, message: 'survives a restart' }] });
    expect((await started.describe()).status.name).toBe('RUNNING');
    await client.connection.close();
    client = undefined;

    // 2. Stop the server and start it again on the same file.
    if (signal === 'SIGTERM') await server.stop();
    else await new Promise<void>((resolve) => server!.child.once('exit', () => resolve()).kill('SIGKILL'));
    expect(server.child.exitCode !== null || server.child.signalCode !== null).toBe(true);
    expect(fs.statSync(dbFile).size).toBeGreaterThan(0);
    server = await start();

    client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const handle = client.workflow.getHandle(workflowId);
    const afterRestart = await handle.describe();
    expect(afterRestart.status.name).toBe('RUNNING');
    expect(afterRestart.runId).toBe(started.firstExecutionRunId);

    // 3. A worker (the real one, with the run's bundle) picks it up and the activity writes its row.
    const config = configWith({}, testEnv({ TEMPORAL_ADDRESS: address, TASK_QUEUE: taskQueue }));
    deps = await createCoreDeps(config, 'test-restart');
    connection = await NativeConnection.connect({ address });
    const workers = await createWorkers(deps, connection, { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
    const running = workers.run();
    try {
      const result = await handle.result();
      expect(result).toMatchObject({ id, status: 'completed', message: 'survives a restart' });
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } finally {
      workers.shutdown();
      await running;
    }

    const row = await deps.db('pings').where({ id }).first();
    expect(row).toMatchObject({ id, workflow_id: workflowId, message: 'survives a restart' });
  });
});
