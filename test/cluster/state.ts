import fs from 'node:fs';
import path from 'node:path';
import { attachTemporalCluster, type ClusterState, type TemporalCluster } from '../../platform/temporal-cluster';

/** Per `npm run test:cluster` run: the cluster's configuration and logs, the workflow bundle, the state file. */
export const CLUSTER_RUN_DIR = path.resolve(__dirname, '..', '..', '.data', `cluster-run-${process.pid}`);

export interface ClusterRunState {
  adminUrl: string;
  databaseUrl: string;
  /** Databases this run created (the platform's and Temporal's two), dropped at the end. */
  databases: string[];
  cluster: ClusterState;
  /** pid of an embedded PostgreSQL started for the run, if any. */
  embeddedPgPid?: number;
}

export function stateFile(): string {
  const file = process.env.CLUSTER_STATE_FILE;
  if (!file) throw new Error('CLUSTER_STATE_FILE is unset: run the cluster suite with `npm run test:cluster`');
  return file;
}

export function readClusterRun(): ClusterRunState {
  return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as ClusterRunState;
}

/** The run's cluster, controllable from a test file: restarts write their new pids back to the state file. */
export function clusterOfRun(): TemporalCluster {
  const run = readClusterRun();
  const cluster = attachTemporalCluster(run.cluster);
  const save = () => fs.writeFileSync(stateFile(), JSON.stringify({ ...readClusterRun(), cluster: cluster.state() }));
  return {
    ...cluster,
    get address() {
      return cluster.address;
    },
    get processes() {
      return cluster.processes;
    },
    restart: async (name: string) => {
      await cluster.restart(name);
      save();
    },
  } as TemporalCluster;
}
