import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { stopChild, waitForPort, type ManagedProcess } from './child-process';
import { temporalBinary } from './tools';

export interface DevServer extends ManagedProcess {
  address: string;
  uiUrl: string;
}

export interface DevServerOptions {
  toolsDir: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  logFile?: string;
}

/**
 * The Temporal CLI dev server: a real Temporal server whose state lives in one SQLite file,
 * so workflows survive a restart, with the Web UI beside it.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const binary = temporalBinary(options.toolsDir);
  fs.mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });
  const logFile = options.logFile ?? path.join(path.dirname(path.resolve(options.dbFile)), 'temporal.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    binary,
    [
      'server', 'start-dev',
      '--db-filename', path.resolve(options.dbFile),
      '--ip', '127.0.0.1',
      '--port', String(options.port),
      '--ui-port', String(options.uiPort),
      '--namespace', options.namespace,
      '--log-level', 'warn',
      // WAL with synchronous=NORMAL: commits no longer fsync the rollback journal each time (about
      // twice the workflow starts per second, on par with the in-memory store), and the file stays
      // consistent after a crash of the server; only an OS crash may lose the last transactions.
      '--sqlite-pragma', 'journal_mode=wal',
      '--sqlite-pragma', 'synchronous=normal',
      // The dev server has ONE history shard, whose transfer queue (every activity and workflow task
      // on its way to matching) is read at most transferProcessorMaxPollRPS times a second: 20 by
      // default, i.e. up to 50 ms of waiting per dispatch, twice per remote activity (its task, then
      // the workflow task after it). Measured (scratch runs, c=1, loaded 2-core box): a no-op remote
      // activity ~95 ms → ~30 ms. Reads stay driven by new tasks; this only lifts the pacing.
      '--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000',
      // Activities scheduled by a workflow task go straight back to the worker that completed it
      // (up to its maxEagerActivityReservationsPerWorkflowTask, 3) instead of through matching.
      '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
      // Search attributes the platform's workflows set, so operators can filter by them in the UI.
      '--search-attribute', 'LimelightStatus=Keyword',
      '--search-attribute', 'LimelightAccountId=Keyword',
    ],
    { stdio: ['ignore', log, log], detached: false },
  );
  fs.closeSync(log);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`temporal dev server exited with ${code}; see ${logFile}`))));
  await Promise.race([waitForPort(options.port, '127.0.0.1', 60_000), exited]);
  child.removeAllListeners('exit');
  return {
    child,
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    stop: () => stopChild(child, 15_000),
  };
}
