/**
 * `npm run worker:deployment -- <command>`: the Temporal Worker Deployment of the platform's workers
 * (WORKER_DEPLOYMENT_NAME), against TEMPORAL_ADDRESS — what a deploy does with Worker Versioning.
 *
 *   set-current [--build-id <id>] [--timeout 300]   waits until workers of the build poll, then makes it current
 *   status [--build-id <id>]                        prints the deployment (or one version) as one JSON line
 *   wait-drained --build-id <id> [--timeout 3600]   exits 0 once no pinned workflow runs on that build
 *
 * The build id defaults to WORKER_BUILD_ID. The Helm chart runs `set-current` as a post-upgrade hook.
 */
import { connectClient } from '../platform/temporal';
import { loadConfig } from '../platform/config';
import { loadDotEnv } from '../platform/config/dotenv';

const DRAINED = 2; // temporal.api.enums.v1.VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const command = process.argv[2];
  const deploymentName = config.WORKER_DEPLOYMENT_NAME;
  const buildId = option('build-id') ?? config.WORKER_BUILD_ID;
  const timeoutMs = Number(option('timeout') ?? (command === 'wait-drained' ? 3600 : 300)) * 1000;
  const client = await connectClient(config);
  const service = client.workflowService;
  const namespace = config.TEMPORAL_NAMESPACE;
  const deadline = Date.now() + timeoutMs;
  const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    if (command === 'set-current') {
      if (!buildId) throw new Error('set-current needs --build-id or WORKER_BUILD_ID');
      for (;;) {
        try {
          await service.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId, identity: 'limelight worker:deployment' });
          say({ deploymentName, currentBuildId: buildId });
          return;
        } catch (error) {
          // Until the new build's workers have polled, the version does not exist yet.
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    }
    if (command === 'status') {
      if (buildId && option('build-id')) {
        const d = await service.describeWorkerDeploymentVersion({ namespace, deploymentVersion: { deploymentName, buildId } });
        const info = d.workerDeploymentVersionInfo;
        say({ deploymentName, buildId, status: info?.status, drainage: info?.drainageInfo?.status ?? null, drained: info?.drainageInfo?.status === DRAINED });
      } else {
        const d = await service.describeWorkerDeployment({ namespace, deploymentName });
        const info = d.workerDeploymentInfo;
        say({
          deploymentName,
          current: info?.routingConfig?.currentDeploymentVersion?.buildId ?? null,
          ramping: info?.routingConfig?.rampingDeploymentVersion?.buildId ?? null,
          versions: (info?.versionSummaries ?? []).map((v) => ({ buildId: v.deploymentVersion?.buildId, status: v.status, drainage: v.drainageStatus })),
        });
      }
      return;
    }
    if (command === 'wait-drained') {
      if (!buildId) throw new Error('wait-drained needs --build-id');
      for (;;) {
        const d = await service.describeWorkerDeploymentVersion({ namespace, deploymentVersion: { deploymentName, buildId } });
        if (d.workerDeploymentVersionInfo?.drainageInfo?.status === DRAINED) {
          say({ deploymentName, buildId, drained: true });
          return;
        }
        if (Date.now() > deadline) throw new Error(`${deploymentName}.${buildId} still has pinned workflows after ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
    throw new Error('usage: npm run worker:deployment -- set-current|status|wait-drained [--build-id <id>] [--timeout <s>]');
  } finally {
    await client.connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
