import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

// workflows/ plus each workflow type's Worker Versioning behaviour (workers/versioning.ts).
export const WORKFLOWS_PATH = path.resolve(__dirname, 'workflows-entry.ts');
/** Runs inside the sandbox with every workflow: reports failures through the `operations` sink (workers/interceptors.ts). */
export const WORKFLOW_INTERCEPTORS_PATH = path.resolve(__dirname, 'interceptors-workflow.ts');

/** Bundles every workflow once (webpack); the result is what workers load. */
export async function bundleWorkflows(outFile?: string, workflowsPath = WORKFLOWS_PATH): Promise<{ code: string }> {
  const bundle = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH], logger: quietLogger });
  if (outFile) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, bundle.code);
  }
  return bundle;
}

/** A prebuilt bundle if one is given and exists, else a fresh one. */
export async function loadOrBundle(prebuilt?: string): Promise<{ code: string }> {
  if (prebuilt && fs.existsSync(prebuilt)) return { code: fs.readFileSync(prebuilt, 'utf8') };
  return bundleWorkflows(prebuilt);
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
