/**
 * The entry of the workflow bundle: every workflow of workflows/, each marked with its Worker
 * Versioning behaviour (workers/versioning.ts). Runs inside the workflow sandbox at load time.
 *
 * The behaviour is declared only when the worker running the task belongs to a deployment (the
 * server refuses a behaviour from an unversioned worker), so one bundle serves both kinds.
 */
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import * as workflows from '../workflows';
import { versioningBehaviorOf } from './versioning';

export * from '../workflows';

for (const [name, fn] of Object.entries(workflows)) {
  if (typeof fn !== 'function') continue;
  const versioningBehavior = versioningBehaviorOf(name);
  setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {}), fn as (...args: unknown[]) => Promise<unknown>);
}
