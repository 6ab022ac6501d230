/**
 * Re-records the replay fixtures (test/replay/histories/<workflowType>.json) from a real run:
 * `npm run histories:record` runs the whole suite with RECORD_HISTORIES=1, and before the dev
 * server stops the global teardown calls this. For each workflow type it keeps the longest closed
 * history the suites produced (the most code paths), else the longest still running one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { temporalBinary } from '../../platform/tools';
import { workflowTypes } from './workflow-types';

export const HISTORIES_DIR = path.join(__dirname, 'histories');

export async function recordHistories(address: string, namespace = 'default'): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const best = new Map<string, { workflowId: string; runId: string; length: number; closed: boolean }>();
    for await (const info of client.workflow.list()) {
      const length = info.historyLength ?? 0;
      const closed = info.status.name !== 'RUNNING';
      const current = best.get(info.type);
      if (!current || (closed && !current.closed) || (closed === current.closed && length > current.length)) {
        best.set(info.type, { workflowId: info.workflowId, runId: info.runId, length, closed });
      }
    }
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    const written: string[] = [];
    for (const type of workflowTypes()) {
      const pick = best.get(type);
      if (!pick) continue;
      // The pinned CLI writes the history in the proto JSON that historyFromJSON reads (the CLI's export format).
      const json = execFileSync(temporalBinary('.tools'), ['workflow', 'show', '--address', address, '--namespace', namespace, '--workflow-id', pick.workflowId, '--run-id', pick.runId, '--output', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      fs.writeFileSync(path.join(HISTORIES_DIR, `${type}.json`), JSON.stringify(JSON.parse(json), null, 1) + '\n');
      written.push(type);
    }
    return written;
  } finally {
    await connection.close();
  }
}

// Run as its own process by the global teardown (outside jest's module registry, where the SDK's
// protobuf JSON conversion does not work): `tsx test/replay/record.ts <temporal address>`.
if (require.main === module) {
  recordHistories(process.argv[2])
    .then((written) => console.log(`recorded replay histories: ${written.join(', ')}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
