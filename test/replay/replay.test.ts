/**
 * Replay safety: a history of every workflow type, recorded from a real run (test/replay/record.ts),
 * is replayed against the workflow code of this commit. A change that would break workflows
 * already running (another command order, a removed activity call) fails here with a
 * non-determinism error; guard such changes with `patched()` (README, "Changing a workflow").
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { dataConverterFrom } from '../../platform/codec';
import { CODEC_KEYS_ROTATED } from '../operations-money/codec-keys';
import { HISTORIES_DIR } from './record';
import { workflowTypes } from './workflow-types';

const fixtures = fs.existsSync(HISTORIES_DIR) ? fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')) : [];

describe('replay of recorded histories', () => {
  it('has a recorded history for every workflow type', () => {
    const recorded = fixtures.map((f) => path.basename(f, '.json')).sort();
    expect(recorded).toEqual(workflowTypes());
  });

  it('replays every history against the current workflow code without non-determinism', async () => {
    const histories = fixtures.map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
    }));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! }, dataConverter: dataConverterFrom({ TEMPORAL_CODEC_KEYS: CODEC_KEYS_ROTATED }) }, histories)) {
      results.push({ type: result.workflowId, error: result.error ? String(result.error) : undefined });
    }
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(histories.length);
  }, 180_000);
});
