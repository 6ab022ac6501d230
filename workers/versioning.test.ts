import * as workflows from '../workflows';
import { versioningBehaviorOf, WORKFLOW_VERSIONING } from './versioning';

/** Every workflow type has a deliberate Worker Versioning behaviour (README, "Deploys without downtime"). */
describe('Worker Versioning behaviour per workflow type', () => {
  const workflowTypes = Object.entries(workflows)
    .filter(([, value]) => typeof value === 'function' && value.constructor.name === 'AsyncFunction')
    .map(([name]) => name)
    .sort();

  it('lists every workflow type of the bundle, and nothing else', () => {
    expect(workflowTypes.length).toBeGreaterThan(10);
    expect(Object.keys(WORKFLOW_VERSIONING).sort()).toEqual(workflowTypes);
  });

  it('auto-upgrades the workflows that never end or sleep for weeks, pins the rest', () => {
    expect(workflowTypes.filter((t) => versioningBehaviorOf(t) === 'AUTO_UPGRADE').sort()).toEqual(['accountPurge', 'filmPurchase', 'subscription', 'transferBatcher']);
    expect(versioningBehaviorOf('shoutoutOrder')).toBe('PINNED');
    expect(versioningBehaviorOf('aWorkflowAddedLater')).toBe('PINNED');
  });
});
