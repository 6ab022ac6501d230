/** Part of `npm run build`: the prebuilt workflow bundle that `npm run worker` loads (dist/workflow-bundle.js). */
import path from 'node:path';
import { bundleWorkflows } from '../workers/bundle';

const out = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');
bundleWorkflows(out)
  .then(() => console.log(`workflow bundle: ${out}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
