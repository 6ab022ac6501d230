/**
 * A deploy with Temporal Worker Versioning, on the cluster: orders (PINNED) and subscriptions
 * (AUTO_UPGRADE) start on build v1; a worker v2 whose shoutoutOrder changed incompatibly is deployed
 * and made current; new workflows run on v2, the v1 orders finish on v1 without a non-determinism
 * error, the subscriptions move to v2 and keep one charge per period; v1 drains and stops.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { closeCoreDeps, createCoreDeps } from '../../platform/bootstrap';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';
import { bundleWorkflows } from '../../workers/bundle';
import { createWorkers, type Workers } from '../../workers/worker';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { capturedCharges, createPlan, subscribe, waitForSubscription, BILLING_TEST_ENV, type BillingFixture } from '../billing/helpers';
import { createFan, createTalent, order, waitForStatus } from '../shoutouts/helpers';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const DRAINED = 2; // temporal.api.enums.v1.VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED
const WORKFLOW_TASK_FAILED = 8; // temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
const TIMER_STARTED = 17; // temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED
const ACTIVITY_TASK_SCHEDULED = 10; // temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
// Long enough that the v1 orders are still open after v2 is bundled, deployed and made current on a loaded machine.
const TURNAROUND = '75s';

describe('deploying a worker build with Worker Versioning (pinned vs auto-upgrade)', () => {
  const deploymentName = `limelight-test-${randomUUID().slice(0, 8)}`;
  let stack: TestStack; // the API and worker v1
  let f: BillingFixture;
  let v2: { deps: CoreDeps; connection: NativeConnection; workers: Workers; running: Promise<void> } | undefined;

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...BILLING_TEST_ENV, SHOUTOUT_TURNAROUND: TURNAROUND, WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: 'v1' } });
    f = { stack, admin: await createActiveAccount(stack.deps, { roles: ['admin'] }) };
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    if (v2) {
      v2.workers.shutdown();
      await v2.running.catch(() => undefined);
      await v2.connection.close().catch(() => undefined);
      await closeCoreDeps(v2.deps);
    }
  });

  const service = () => stack.deps.temporal.workflowService;
  const namespace = () => stack.config.TEMPORAL_NAMESPACE;

  /** Makes a build the current version of the deployment (retried until its pollers are registered). */
  const makeCurrent = (buildId: string) =>
    eventually(async () => {
      await service().setWorkerDeploymentCurrentVersion({ namespace: namespace(), deploymentName, buildId, identity: 'versioning-test' });
      return true;
    }, { timeoutMs: 30_000, intervalMs: 500, what: `${buildId} current` });

  /** The build a workflow's current run is on, and its behaviour, once its first task completed. */
  const versionOf = async (workflowId: string) => {
    const d = await service().describeWorkflowExecution({ namespace: namespace(), execution: { workflowId } });
    const v = d.workflowExecutionInfo?.versioningInfo;
    return { buildId: v?.deploymentVersion?.buildId ?? undefined, behavior: v?.behavior ?? undefined, status: d.workflowExecutionInfo?.status };
  };
  const waitOnBuild = (workflowId: string, buildId: string, timeoutMs = 30_000) =>
    eventually(async () => ((await versionOf(workflowId)).buildId === buildId ? true : undefined), { timeoutMs, intervalMs: 250, what: `${workflowId} on ${buildId}` });

  /** scripts/worker-deployment.ts as an operator (or the Helm hook) runs it; answers its JSON line. */
  const deploymentCli = async (args: string[]) => {
    const { stdout } = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'worker-deployment.ts'), ...args], {
      cwd: ROOT,
      timeout: 120_000,
      env: { ...process.env, NODE_ENV: 'test', TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, WORKER_DEPLOYMENT_NAME: deploymentName },
    });
    return stdout.trim().split('\n').pop()!;
  };

  const eventTypes = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events!.map((e) => Number(e.eventType));

  it('new workflows go to v2, pinned orders finish on v1, subscriptions upgrade, v1 drains', async () => {
    await makeCurrent('v1');
    const talent = await createTalent(stack);
    const fan = await createFan(stack);
    const plan = await createPlan(f, { intervalCount: 2 });

    // On v1: three orders (PINNED; two left to expire, one cancelled later) and two subscriptions (AUTO_UPGRADE).
    const v1Orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await order(stack, fan, talent.id);
      expect(res.status).toBe(201);
      v1Orders.push(res.body.id);
      await waitForStatus(stack, res.body.id, fan.token, 'requested');
    }
    const users: TestAccount[] = [];
    const subs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const user = await createActiveAccount(stack.deps);
      users.push(user);
      subs.push(await subscribe(f, user, plan.id));
    }
    for (const id of v1Orders) expect(await versionOf(`shoutout-${id}`)).toMatchObject({ buildId: 'v1', behavior: 1 /* PINNED */ });
    for (const id of subs) await waitOnBuild(`subscription-${id}`, 'v1');
    expect((await versionOf(`subscription-${subs[0]}`)).behavior).toBe(2 /* AUTO_UPGRADE */);

    // v2's shoutoutOrder is incompatible with v1 histories: the replayer says so.
    const v2Bundle = await bundleWorkflows(undefined, path.join(__dirname, 'fixtures', 'workflows-v2.ts'));
    const v1History = await stack.deps.temporal.workflow.getHandle(`shoutout-${v1Orders[0]}`).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: v2Bundle }, v1History, `shoutout-${v1Orders[0]}`)).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, v1History, `shoutout-${v1Orders[0]}`);

    // Deploy v2 beside v1 (same task queues), then make it current.
    const v2Config = configWith({
      ...BILLING_TEST_ENV,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TASK_QUEUE: stack.config.TASK_QUEUE,
      MEDIA_TASK_QUEUE: stack.config.MEDIA_TASK_QUEUE,
      SHOUTOUT_TURNAROUND: TURNAROUND,
      WORKER_DEPLOYMENT_NAME: deploymentName,
      WORKER_BUILD_ID: 'v2',
    });
    const v2Deps = await createCoreDeps(v2Config, 'test');
    const connection = await NativeConnection.connect({ address: v2Config.TEMPORAL_ADDRESS! });
    const workers = await createWorkers(v2Deps, connection, v2Bundle);
    v2 = { deps: v2Deps, connection, workers, running: workers.run() };
    // Made current the way the Helm post-upgrade hook does it: `npm run worker:deployment -- set-current`.
    const setCurrent = await deploymentCli(['set-current', '--build-id', 'v2', '--timeout', '60']);
    expect(JSON.parse(setCurrent)).toEqual({ deploymentName, currentBuildId: 'v2' });
    const switchedAt = Date.now();

    // New workflows start on v2 and run its code (the timer before the first activity).
    const fresh = await order(stack, fan, talent.id);
    expect(fresh.status).toBe(201);
    await waitForStatus(stack, fresh.body.id, fan.token, 'requested');
    expect(await versionOf(`shoutout-${fresh.body.id}`)).toMatchObject({ buildId: 'v2', behavior: 1 });
    const freshTypes = await eventTypes(stack.deps.temporal.workflow.getHandle(`shoutout-${fresh.body.id}`));
    expect(freshTypes.indexOf(TIMER_STARTED)).toBeGreaterThan(-1);
    expect(freshTypes.indexOf(TIMER_STARTED)).toBeLessThan(freshTypes.indexOf(ACTIVITY_TASK_SCHEDULED));
    const freshUser = await createActiveAccount(stack.deps);
    const freshSub = await subscribe(f, freshUser, plan.id);
    await waitOnBuild(`subscription-${freshSub}`, 'v2');

    // The v1 subscriptions move to v2 at their next task (renewal); the v1 orders stay on v1.
    for (const id of subs) await waitOnBuild(`subscription-${id}`, 'v2', 30_000);
    for (const id of v1Orders) expect((await versionOf(`shoutout-${id}`)).buildId).toBe('v1');

    // The pinned v1 orders finish on v1: one cancelled by the fan (an update handled by v1), two expire.
    const cancelled = await stack.http.post(`/v1/shoutouts/${v1Orders[0]}/cancel`, {}, { token: fan.token });
    expect(cancelled.status).toBe(200);
    await waitForStatus(stack, v1Orders[0], fan.token, 'cancelled');
    for (const id of v1Orders.slice(1)) await waitForStatus(stack, id, fan.token, 'expired', 120_000);
    for (const id of v1Orders) {
      const handle = stack.deps.temporal.workflow.getHandle(`shoutout-${id}`);
      await handle.result().catch(() => undefined);
      expect((await versionOf(`shoutout-${id}`)).buildId).toBe('v1');
      expect(await eventTypes(handle)).not.toContain(WORKFLOW_TASK_FAILED);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    }

    // With its pinned workflows closed, v1 reports drained; then it is stopped.
    const drained = await eventually(async () => {
      const d = await service().describeWorkerDeploymentVersion({ namespace: namespace(), deploymentVersion: { deploymentName, buildId: 'v1' } });
      return d.workerDeploymentVersionInfo?.drainageInfo?.status === DRAINED ? d.workerDeploymentVersionInfo : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, what: 'v1 drained' });
    expect(drained.deploymentVersion?.buildId).toBe('v1');
    expect(JSON.parse(await deploymentCli(['wait-drained', '--build-id', 'v1', '--timeout', '30']))).toEqual({ deploymentName, buildId: 'v1', drained: true });
    expect(JSON.parse(await deploymentCli(['status']))).toMatchObject({ deploymentName, current: 'v2' });
    const drainedMs = Date.now() - switchedAt;
    await stack.stopWorker();

    // Only v2 runs now: subscriptions keep renewing, exactly one charge per period; new orders are served.
    const periods = await Promise.all(subs.map(async (id, i) => (await waitForSubscription(f, users[i], id, () => true)).period as number));
    await Promise.all(subs.map((id, i) => waitForSubscription(f, users[i], id, (s) => s.period >= periods[i] + 1, 30_000)));
    const last = await order(stack, fan, talent.id);
    await waitForStatus(stack, last.body.id, fan.token, 'requested');
    expect((await stack.http.post(`/v1/shoutouts/${last.body.id}/cancel`, {}, { token: fan.token })).status).toBe(200);
    await waitForStatus(stack, last.body.id, fan.token, 'cancelled');

    for (const [id, user] of [...subs.map((s, i) => [s, users[i]] as const), [freshSub, freshUser] as const]) {
      await stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
      await waitForSubscription(f, user, id, (s) => s.status === 'cancelled', 30_000);
      const charges = await capturedCharges(f, id);
      const ids = charges.map((c: { id: string }) => c.id);
      expect(ids).toEqual(ids.map((_: string, n: number) => `pay_${id}_p${n + 1}`));
      const intents = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'subscriptionId' = ?`, [id]).andWhere({ status: 'succeeded' });
      expect(intents.length).toBe(charges.length);
    }
    console.log(JSON.stringify({ metric: 'worker_versioning_deploy', pinnedOrdersOnV1: v1Orders.length, upgradedSubscriptions: subs.length, v1DrainedAfterMs: drainedMs }));
  }, 300_000);
});
