/**
 * A real Temporal cluster on PostgreSQL, as in production: the temporal-server binary (built by
 * scripts/install-cluster-tools.sh at the version the dev server embeds) started once per service
 * (`--service frontend|history|matching|worker`), two history processes sharing the shards, the
 * schemas created and migrated by temporal-sql-tool from the server module's own schema files, a
 * `default` namespace with the platform's search attributes, and (optionally) the standalone Web UI.
 * Used by `npm run cluster` (scripts/cluster.ts) and the cluster test suite (test/cluster/).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { isPortFree, waitForPort } from './child-process';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

export const CLUSTER_SERVER_VERSION = '1.29.1';
export const CLUSTER_UI_VERSION = '2.42.1';
/** The search attributes the platform's workflows set (the dev server gets the same flags). */
export const PLATFORM_SEARCH_ATTRIBUTES = ['LimelightStatus', 'LimelightAccountId'] as const;

export type ServiceName = 'frontend' | 'history' | 'matching' | 'worker';

export interface ClusterOptions {
  /** A PostgreSQL URL of the server that holds Temporal's two databases (its database part is ignored). */
  postgresUrl: string;
  /** Names of the persistence and visibility databases (default `temporal`, `temporal_visibility`). */
  databases?: { main: string; visibility: string };
  /** Configuration files and one log file per process go here. */
  workDir: string;
  toolsDir?: string;
  /** gRPC port of the frontend (default: a free port). */
  frontendPort?: number;
  historyProcesses?: number;
  numHistoryShards?: number;
  namespace?: string;
  /** Port of the Web UI; false to run without it. */
  uiPort?: number | false;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra dynamic config (key → value), on top of the defaults below. */
  dynamicConfig?: Record<string, unknown>;
  /** Aborting stops what was started so far and makes the start fail (Ctrl-C during startup). */
  signal?: AbortSignal;
  /** Progress lines (npm run cluster prints them). */
  say?: (line: string) => void;
}

export interface ClusterProcess {
  /** `frontend`, `history-1`, `history-2`, `matching`, `worker`, `ui`. */
  name: string;
  service: ServiceName | 'ui';
  pid: number;
  /** How to start it again (the cluster test restarts a killed history process). */
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  /** The port that opens once it runs (gRPC; membership for the worker service, which serves no gRPC; HTTP for the UI). */
  port: number;
}

/** Everything another process needs to control the cluster (JSON-serialisable). */
export interface ClusterState {
  address: string;
  namespace: string;
  uiUrl?: string;
  databases: { main: string; visibility: string };
  processes: ClusterProcess[];
}

export interface TemporalCluster extends ClusterState {
  process(name: string): ClusterProcess;
  /** Sends a signal (SIGKILL for a crash) and resolves once the process is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a process of that name again (after kill), with the same configuration. */
  restart(name: string): Promise<void>;
  /** Stops every process (UI and frontend first, history last) and waits for them. */
  stop(): Promise<void>;
  state(): ClusterState;
}

function binary(toolsDir: string, name: string): string {
  const file = path.resolve(ROOT, toolsDir, 'bin', name);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: run "npm run tools:install" (builds temporal-server ${CLUSTER_SERVER_VERSION} from the Go module proxy).`);
  return file;
}

/** The schema folder of the server module the binaries were built from (in the Go module cache). */
export async function serverSchemaDir(): Promise<string> {
  const { stdout } = await execFileAsync('go', ['env', 'GOMODCACHE'], { timeout: 20_000 });
  const dir = path.join(stdout.trim(), `go.temporal.io/server@v${CLUSTER_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!fs.existsSync(dir)) {
    // A fresh module cache (the binaries came from elsewhere): fetch the module's source only.
    await execFileAsync('go', ['mod', 'download', `go.temporal.io/server@v${CLUSTER_SERVER_VERSION}`], { timeout: 300_000 });
  }
  if (!fs.existsSync(dir)) throw new Error(`schema folder ${dir} missing`);
  return dir;
}

interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function pgTarget(url: string): PgTarget {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: decodeURIComponent(u.password) };
}

/** create-database (if missing), setup-schema 0.0 (if new), update-schema to the latest version. */
export async function migrateTemporalSchemas(toolsDir: string, pg: PgTarget, databases: { main: string; visibility: string }, say: (l: string) => void): Promise<void> {
  const sqlTool = binary(toolsDir, 'temporal-sql-tool');
  const schemaDir = await serverSchemaDir();
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, ...(pg.password ? ['--pw', pg.password] : [])];
  const run = async (args: string[]) => {
    try {
      return (await execFileAsync(sqlTool, [...base, ...args], { timeout: 300_000 })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string };
      throw new Error(`temporal-sql-tool ${args.join(' ')} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
    }
  };
  for (const [database, folder] of [[databases.main, 'temporal'], [databases.visibility, 'visibility']] as const) {
    say(`  schema ${database} (${folder}, temporal-sql-tool)`);
    try {
      await run(['--db', database, 'create-database']);
    } catch (error) {
      if (!/already exists/.test(String(error))) throw error;
    }
    // setup-schema -v 0.0 creates the version table once; on an existing database it only
    // (re)records version 0.0 when none is there, so update-schema then applies what is missing.
    await run(['--db', database, 'setup-schema', '-v', '0.0']);
    await run(['--db', database, 'update-schema', '-d', path.join(schemaDir, folder, 'versioned')]);
  }
}

interface ServicePorts {
  grpc: number;
  membership: number;
  http?: number;
}

function serverConfig(opts: { pg: PgTarget; databases: { main: string; visibility: string }; shards: number; logLevel: string; services: Partial<Record<ServiceName, ServicePorts>>; frontendAddress: string; dynamicConfigFile: string }): unknown {
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${opts.pg.host}:${opts.pg.port}`,
      connectProtocol: 'tcp',
      user: opts.pg.user,
      password: opts.pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const services: Record<string, unknown> = {};
  for (const [name, ports] of Object.entries(opts.services)) {
    services[name] = { rpc: { grpcPort: ports.grpc, membershipPort: ports.membership, bindOnLocalHost: true, ...(ports.http ? { httpPort: ports.http } : {}) } };
  }
  return {
    log: { stdout: true, level: opts.logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: opts.shards,
      datastores: { 'postgres-default': store(opts.databases.main, 20), 'postgres-visibility': store(opts.databases.visibility, 5) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: opts.frontendAddress } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: opts.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * A free port below 32768: Temporal stores membership ports in a smallint column, so the OS's
 * ephemeral range (above 32768) will not do.
 */
const taken = new Set<number>();
export async function clusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    if (await isPortFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000');
}

/** Dynamic config every cluster gets: what the platform uses, and drainage of worker versions noticed in seconds. */
const DEFAULT_DYNAMIC_CONFIG: Record<string, unknown> = {
  'limit.maxIDLength': 255,
  'system.enableDeploymentVersions': true,
  'frontend.workerVersioningWorkflowAPIs': true,
  'frontend.enableExecuteMultiOperation': true,
  'frontend.enableUpdateWorkflowExecution': true,
  // New search attributes and namespaces are visible at once instead of after a cache refresh.
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  // A draining worker version reports `drained` seconds after its last pinned workflow closed.
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '5s',
  'matching.wv.VersionDrainageStatusRefreshInterval': '5s',
};

/** Starts the whole cluster; on failure half way, stops what it started. */
export async function startTemporalCluster(options: ClusterOptions): Promise<TemporalCluster> {
  const say = options.say ?? (() => undefined);
  const toolsDir = options.toolsDir ?? '.tools';
  const server = binary(toolsDir, 'temporal-server');
  const databases = options.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const namespace = options.namespace ?? 'default';
  const pg = pgTarget(options.postgresUrl);
  const workDir = path.resolve(options.workDir);
  const configDir = path.join(workDir, 'config');
  fs.mkdirSync(configDir, { recursive: true });

  await migrateTemporalSchemas(toolsDir, pg, databases, say);

  const frontendPort = options.frontendPort ?? (await clusterPort());
  const frontendAddress = `127.0.0.1:${frontendPort}`;
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  const dynamic = { ...DEFAULT_DYNAMIC_CONFIG, ...(options.dynamicConfig ?? {}) };
  // YAML is a superset of JSON: each key takes a list of {value, constraints}.
  fs.writeFileSync(dynamicConfigFile, JSON.stringify(Object.fromEntries(Object.entries(dynamic).map(([k, value]) => [k, [{ value, constraints: {} }]])), null, 2));

  const historyCount = options.historyProcesses ?? 2;
  const plan: { name: string; service: ServiceName; ports: ServicePorts }[] = [
    { name: 'frontend', service: 'frontend', ports: { grpc: frontendPort, membership: await clusterPort(), http: await clusterPort() } },
  ];
  for (let i = 1; i <= historyCount; i++) plan.push({ name: `history-${i}`, service: 'history', ports: { grpc: await clusterPort(), membership: await clusterPort() } });
  plan.push({ name: 'matching', service: 'matching', ports: { grpc: await clusterPort(), membership: await clusterPort() } });
  plan.push({ name: 'worker', service: 'worker', ports: { grpc: await clusterPort(), membership: await clusterPort() } });

  // One config file (one `--env`) per process: the same cluster, the ports of that process.
  for (const p of plan) {
    // Every service must be listed (the membership monitor tracks those it knows); the process's
    // own service carries its ports, the others those of their first process.
    const services: Partial<Record<ServiceName, ServicePorts>> = {};
    for (const other of plan) services[other.service] ??= other.ports;
    services[p.service] = p.ports;
    const config = serverConfig({ pg, databases, shards: options.numHistoryShards ?? 8, logLevel: options.logLevel ?? 'warn', services, frontendAddress, dynamicConfigFile });
    fs.writeFileSync(path.join(configDir, `${p.name}.yaml`), JSON.stringify(config, null, 2));
  }

  const processes: ClusterProcess[] = plan.map((p) => ({
    name: p.name,
    service: p.service,
    pid: 0,
    command: server,
    args: ['--root', workDir, '--config', 'config', '--env', p.name, '--allow-no-auth', 'start', '--service', p.service],
    cwd: workDir,
    logFile: path.join(workDir, `${p.name}.log`),
    port: p.service === 'worker' ? p.ports.membership : p.ports.grpc,
  }));
  const state: ClusterState = { address: frontendAddress, namespace, databases, processes };
  const handle = attachTemporalCluster(state);
  const onAbort = () => void handle.stop();
  options.signal?.addEventListener('abort', onAbort);
  const check = () => {
    if (options.signal?.aborted) throw new Error('cluster start aborted');
  };
  try {
    // History first (owns the shards), then matching, frontend, and the internal worker service.
    for (const service of ['history', 'matching', 'frontend', 'worker'] as const) {
      for (const proc of processes.filter((x) => x.service === service)) {
        check();
        say(`  ${proc.name.padEnd(10)} temporal-server --service ${proc.service}  (port ${proc.port})`);
        await handle.restart(proc.name);
      }
    }
    check();
    await ensureNamespace(frontendAddress, namespace, say, options.signal);

    check();
    if (options.uiPort !== false) {
      const uiPort = options.uiPort ?? (await clusterPort());
      const uiConfigDir = path.join(workDir, 'ui-config');
      fs.mkdirSync(uiConfigDir, { recursive: true });
      fs.writeFileSync(path.join(uiConfigDir, 'cluster.yaml'), JSON.stringify({ host: '127.0.0.1', port: uiPort, temporalGrpcAddress: frontendAddress, enableUi: true, defaultNamespace: namespace, refreshInterval: '1m', cors: { allowOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`] } }, null, 2));
      processes.unshift({ name: 'ui', service: 'ui', pid: 0, command: binary(toolsDir, 'temporal-ui-server'), args: ['--root', workDir, '--config', 'ui-config', '--env', 'cluster', 'start'], cwd: workDir, logFile: path.join(workDir, 'ui.log'), port: uiPort });
      say(`  ui         temporal-ui-server ${CLUSTER_UI_VERSION}  (http://127.0.0.1:${uiPort})`);
      await handle.restart('ui');
      state.uiUrl = `http://127.0.0.1:${uiPort}`;
    }
    check();
    return handle;
  } catch (error) {
    await handle.stop();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Controls a cluster described by `state` (possibly started by another process, e.g. jest's global
 * setup): processes are addressed by pid, so kill/restart/stop work from anywhere. Restarted
 * processes get their new pid written into `state`.
 */
export function attachTemporalCluster(state: ClusterState): TemporalCluster {
  const find = (name: string) => {
    const proc = state.processes.find((p) => p.name === name);
    if (!proc) throw new Error(`no cluster process ${name}`);
    return proc;
  };
  const kill = async (name: string, signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = find(name);
    if (!alive(proc.pid)) return;
    process.kill(proc.pid, signal);
    if (!(await gone(proc.pid, signal === 'SIGKILL' ? 10_000 : 15_000))) {
      process.kill(proc.pid, 'SIGKILL');
      if (!(await gone(proc.pid, 10_000))) throw new Error(`${name} (pid ${proc.pid}) did not exit`);
    }
  };
  const restart = async (name: string) => {
    const proc = find(name);
    if (alive(proc.pid)) throw new Error(`${name} is still running (pid ${proc.pid})`);
    const log = fs.openSync(proc.logFile, 'a');
    // Detached: a crash test may restart a process from a jest worker, and the cluster outlives it.
    const child: ChildProcess = spawn(proc.command, proc.args, { cwd: proc.cwd, stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    child.unref();
    proc.pid = child.pid!;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, sig) => reject(new Error(`${name} exited (${code ?? sig}) while starting; see ${proc.logFile}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForPort(proc.port, '127.0.0.1', 90_000), exited]);
  };
  const stop = async () => {
    for (const service of ['ui', 'frontend', 'matching', 'worker', 'history']) {
      await Promise.all(state.processes.filter((p) => p.service === service).map((p) => kill(p.name, 'SIGTERM').catch(() => undefined)));
    }
  };
  return {
    get address() {
      return state.address;
    },
    get namespace() {
      return state.namespace;
    },
    get uiUrl() {
      return state.uiUrl;
    },
    get databases() {
      return state.databases;
    },
    get processes() {
      return state.processes;
    },
    process: find,
    kill,
    restart,
    stop,
    state: () => state,
  };
}

/** Registers the namespace (1 day retention) and the platform's search attributes, then waits until the frontend serves it. */
async function ensureNamespace(address: string, namespace: string, say: (l: string) => void, signal?: AbortSignal): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') }));
        say(`  namespace  ${namespace} registered`);
        break;
      } catch (error) {
        const message = String((error as Error).message);
        if (/already exists|AlreadyExists/i.test(message)) break;
        // The frontend answers before history and membership have settled: retry until the deadline.
        if (Date.now() > deadline || signal?.aborted) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const keyword = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
    for (;;) {
      try {
        await connection.withDeadline(Date.now() + 5_000, () => connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(PLATFORM_SEARCH_ATTRIBUTES.map((n) => [n, keyword])) }));
        break;
      } catch (error) {
        const message = String((error as Error).message);
        if (/already exists/i.test(message)) break;
        if (Date.now() > deadline || signal?.aborted) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // The namespace cache of the frontend and history refreshes on its own clock: wait until it serves.
    for (;;) {
      try {
        await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }));
        await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.describeNamespace({ namespace }));
        break;
      } catch (error) {
        if (Date.now() > deadline || signal?.aborted) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}
