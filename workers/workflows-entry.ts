/**
 * The entry of the workflow bundle: every workflow of workflows/, each marked with its Worker
 * Versioning behaviour (workers/versioning.ts). Runs inside the workflow sandbox at load time.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import * as workflows from '../workflows';
import { versioningBehaviorOf } from './versioning';

export * from '../workflows';

for (const [name, fn] of Object.entries(workflows)) {
  if (typeof fn === 'function') setWorkflowOptions({ versioningBehavior: versioningBehaviorOf(name) }, fn as (...args: unknown[]) => Promise<unknown>);
}
