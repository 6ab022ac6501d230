import * as workflows from '../../workflows';

/** Every workflow type the worker registers: the async functions workflows/index.ts exports. */
export function workflowTypes(): string[] {
  return Object.entries(workflows)
    .filter(([, value]) => typeof value === 'function' && value.constructor.name === 'AsyncFunction')
    .map(([name]) => name)
    .sort();
}
