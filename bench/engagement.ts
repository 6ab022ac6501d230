/**
 * `npx tsx bench/engagement.ts`: engagement at scale, once per EngagementBuffer adapter (postgres,
 * redis). BENCH_EVENTS (default 200,000) events — views, votes and channel subscriptions mixed, on
 * 1,000 contents (100 channels), by 20,000 signed-in viewers — go through the API at concurrency 100
 * (BENCH_CONCURRENCY); the `engagement-flush` schedule (BENCH_FLUSH_INTERVAL, default 5s) drains the
 * buffer meanwhile. The API and the worker run as child processes of this script, so their CPU is
 * measured apart (and PostgreSQL's backends, and redis-server's). Then, as the baseline, the same
 * events are written straight to PostgreSQL one statement each (a vote upsert, a view-count update,
 * a subscription insert/delete) at the same concurrency.
 *
 * Ground truth: events of one (viewer, content) or (viewer, channel) pair are sent one after the
 * other (never two in flight), so the last vote and the final membership are known; views count
 * once per distinct viewer (the run is inside VIEW_DEDUP_WINDOW).
 *
 * Prints one JSON line: {events, concurrency, flushInterval, postgres: {...}, redis: {...}, baseline: {...}}.
 * Internal: `--role api|worker` runs one child (used by the script itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import knex from 'knex';
import { startApi } from '../api/server';
import { ensureEngagementSchedule } from '../capabilities/engagement';
import { newId } from '../domain/ids';
import { closeCoreDeps, createCoreDeps } from '../platform/bootstrap';
import { loadConfig } from '../platform/config';
import { freePort } from '../platform/child-process';
import { createDb, type Db } from '../platform/db';
import { signAccessToken } from '../platform/tokens';
import { createWorkers } from '../workers/worker';
import { cpuSeconds, pidsMatching } from './lib/cpu';
import { runPool } from './lib/pool';
import { round } from './lib/stats';
import { runBench } from './lib/run';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const CONTENTS = 1_000;
const CHANNELS = 100;
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20_000);
const FLUSH_INTERVAL = process.env.BENCH_FLUSH_INTERVAL ?? '5s';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Event = { kind: 'view'; viewer: number; content: number } | { kind: 'vote'; viewer: number; content: number; value: -1 | 0 | 1 } | { kind: 'sub'; viewer: number; channel: number; on: boolean };

/** A small deterministic PRNG (mulberry32), so both adapters and the baseline get the same events. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeEvents(): Event[] {
  const rand = prng(42);
  const events: Event[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const viewer = Math.floor(rand() * VIEWERS);
    // A fifth of the traffic goes to ten hot contents (a popular video), the rest spreads over all.
    const content = rand() < 0.2 ? Math.floor(rand() * 10) : Math.floor(rand() * CONTENTS);
    const r = rand();
    if (r < 0.55) events.push({ kind: 'view', viewer, content });
    else if (r < 0.85) events.push({ kind: 'vote', viewer, content, value: rand() < 0.15 ? 0 : rand() < 0.7 ? 1 : -1 });
    else events.push({ kind: 'sub', viewer, channel: content % CHANNELS, on: rand() < 0.7 });
  }
  return events;
}

interface Fixture {
  viewerIds: string[];
  contentIds: string[];
  channelIds: string[];
}

async function seedViewers(db: Db): Promise<string[]> {
  const ids = Array.from({ length: VIEWERS }, () => newId('acc'));
  for (let i = 0; i < ids.length; i += 2000) {
    await db('accounts').insert(ids.slice(i, i + 2000).map((id) => ({ id, email: `${id}@bench.test`, name: `Viewer ${id.slice(-6)}`, kind: 'fan', status: 'active', verified_at: db.fn.now() })));
  }
  return ids;
}

async function seedContents(db: Db, ownerId: string): Promise<{ contentIds: string[]; channelIds: string[] }> {
  const channelIds = Array.from({ length: CHANNELS }, () => newId('chn'));
  await db('channels').insert(channelIds.map((id) => ({ id, handle: `bench-${id.slice(-12)}`, name: `Bench ${id.slice(-6)}`, owner_id: ownerId })));
  const contentIds = Array.from({ length: CONTENTS }, () => newId('cnt'));
  await db('contents').insert(contentIds.map((id, i) => ({ id, channel_id: channelIds[i % CHANNELS], kind: 'video', title: `Bench ${i}`, author_id: ownerId, status: 'published', visibility: 'public', published_at: db.fn.now() })));
  return { contentIds, channelIds };
}

/** Expected counters from the events, in order (pairs are never concurrent, so order is what the server saw). */
function truth(events: Event[], f: Fixture) {
  const votes = new Map<string, number>();
  const views = new Map<number, Set<number>>();
  const subs = new Map<string, boolean>();
  for (const e of events) {
    if (e.kind === 'vote') votes.set(`${e.content}:${e.viewer}`, e.value);
    else if (e.kind === 'view') (views.get(e.content) ?? views.set(e.content, new Set()).get(e.content)!).add(e.viewer);
    else subs.set(`${e.channel}:${e.viewer}`, e.on);
  }
  const contents = new Map<string, { up: number; down: number; views: number }>(f.contentIds.map((id) => [id, { up: 0, down: 0, views: 0 }]));
  for (const [key, value] of votes) {
    const c = contents.get(f.contentIds[Number(key.split(':')[0])])!;
    if (value === 1) c.up++;
    if (value === -1) c.down++;
  }
  for (const [content, viewers] of views) contents.get(f.contentIds[content])!.views = viewers.size;
  const channels = new Map<string, number>(f.channelIds.map((id) => [id, 0]));
  for (const [key, on] of subs) if (on) channels.set(f.channelIds[Number(key.split(':')[0])], channels.get(f.channelIds[Number(key.split(':')[0])])! + 1);
  return { contents, channels };
}

async function exact(db: Db, expected: ReturnType<typeof truth>): Promise<boolean> {
  const rows = await db('contents').whereIn('id', [...expected.contents.keys()]).select('id', 'upvotes', 'downvotes', 'view_count');
  for (const r of rows) {
    const e = expected.contents.get(r.id)!;
    if (Number(r.upvotes) !== e.up || Number(r.downvotes) !== e.down || Number(r.view_count) !== e.views) return false;
  }
  const channels = await db('channels').whereIn('id', [...expected.channels.keys()]).select('id', 'subscriber_count');
  return channels.every((c) => Number(c.subscriber_count) === expected.channels.get(c.id));
}

function child(role: 'api' | 'worker', env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const proc = spawn(tsx, [...nodeFlags, __filename, '--role', role], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return proc;
}

function ready(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('READY')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

/** The pids of a child and its descendants (tsx runs node under it). */
function tree(pid: number): number[] {
  const all = [pid];
  for (const p of pidsMatching(/./)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (all.includes(ppid) && !all.includes(p)) all.push(p);
    } catch {
      // gone
    }
  }
  return all;
}

function requester(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  return {
    send: (method: string, p: string, token: string, body?: unknown) =>
      new Promise<number>((resolve, reject) => {
        const payload = body === undefined ? '' : JSON.stringify(body);
        const req = http.request({ host: url.hostname, port: url.port, path: p, method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

/** Runs `task` per event with pairs serialized (the next event of a pair waits for the previous one). */
async function serializedPairs<T>(events: Event[], task: (e: Event) => Promise<T>) {
  const inFlight = new Map<string, Promise<unknown>>();
  return runPool(events.length, CONCURRENCY, async (i) => {
    const e = events[i];
    const key = e.kind === 'sub' ? `s${e.channel}:${e.viewer}` : e.kind === 'vote' ? `v${e.content}:${e.viewer}` : '';
    const previous = key ? inFlight.get(key) : undefined;
    if (previous) await previous;
    const p = task(e);
    if (key) inFlight.set(key, p);
    const result = await p;
    if (key && inFlight.get(key) === p) inFlight.delete(key);
    return result;
  });
}

async function measureAdapter(adapter: 'postgres' | 'redis', db: Db, viewerIds: string[], events: Event[], ownerId: string) {
  const { contentIds, channelIds } = await seedContents(db, ownerId);
  const fixture: Fixture = { viewerIds, contentIds, channelIds };
  const expected = truth(events, fixture);
  const suffix = randomUUID().slice(0, 8);
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TASK_QUEUE: `bench-${suffix}`,
    MEDIA_TASK_QUEUE: `bench-media-${suffix}`,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    DB_POOL_MAX: '30',
    ENGAGEMENT_BUFFER: adapter,
    REDIS_URL,
    ENGAGEMENT_REDIS_PREFIX: `bench-engagement-${suffix}`,
    ENGAGEMENT_FLUSH_ENABLED: 'true',
    ENGAGEMENT_SCHEDULE_ID: `bench-engagement-flush-${suffix}`,
    ENGAGEMENT_FLUSH_INTERVAL: FLUSH_INTERVAL,
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_APP_METRICS_PORT: String(await freePort()),
  };
  // BENCH_PROFILE_DIR: a V8 CPU profile of the API child, to see where its time goes.
  const api = child('api', env, process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []);
  const worker = child('worker', env);
  await Promise.all([ready(api), ready(worker)]);
  const secret = loadConfig(env).JWT_SECRET;
  const tokens = await Promise.all(viewerIds.map((id) => signAccessToken(secret, { accountId: id, roles: ['normal'], kind: 'fan' })));
  const http1 = requester(`http://127.0.0.1:${apiPort}`);
  const postgresPids = () => pidsMatching(/^postgres/);
  const redisPids = () => pidsMatching(/redis-server/);
  const groups = { api: () => tree(api.pid!), worker: () => tree(worker.pid!), postgres: postgresPids, redis: redisPids };
  const cpu = () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids().reduce((s, pid) => s + cpuSeconds(pid), 0)]));
  const cpuBefore = cpu();
  // The load generator shares the 2 cores: its own CPU says whether it, not the API, is the limit.
  const loadgenBefore = process.cpuUsage();
  let failed = 0;
  const run = await serializedPairs(events, async (e) => {
    const token = tokens[e.viewer];
    let status: number;
    if (e.kind === 'view') status = await http1.send('POST', `/v1/contents/${contentIds[e.content]}/views`, token, {});
    else if (e.kind === 'vote') status = e.value === 0 ? await http1.send('DELETE', `/v1/contents/${contentIds[e.content]}/vote`, token) : await http1.send('PUT', `/v1/contents/${contentIds[e.content]}/vote`, token, { value: e.value });
    else status = e.on ? await http1.send('PUT', `/v1/channels/${channelIds[e.channel]}/subscription`, token, {}) : await http1.send('DELETE', `/v1/channels/${channelIds[e.channel]}/subscription`, token);
    if (status >= 300) failed++;
    return status;
  });
  const lastEvent = performance.now();
  const loadgen = process.cpuUsage(loadgenBefore);
  let countsExact = false;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (await exact(db, expected)) {
      countsExact = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const flushLagMs = performance.now() - lastEvent;
  const cpuAfter = cpu();
  http1.close();
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await Promise.all([api, worker].map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
  const perThousand = (k: string) => round(((cpuAfter[k] - cpuBefore[k]) * 1000) / (EVENTS / 1000), 1);
  const temporal = await import('@temporalio/client').then(async ({ Connection, Client }) => new Client({ connection: await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! }) }));
  await temporal.schedule.getHandle(env.ENGAGEMENT_SCHEDULE_ID!).delete().catch(() => undefined);
  await temporal.connection.close();
  return {
    result: {
      events_per_s_accepted: round(run.perSecond, 0),
      api_p50_ms: round(run.latency.p50, 1),
      api_p99_ms: round(run.latency.p99, 1),
      rejected: failed,
      flush_lag_ms: round(flushLagMs, 0),
      counts_exact: countsExact,
      cpu_ms_per_1000_events: { api: perThousand('api'), worker: perThousand('worker'), postgres: perThousand('postgres'), redis: perThousand('redis'), loadgen: round((loadgen.user + loadgen.system) / 1000 / (EVENTS / 1000), 1) },
    },
    fixture,
  };
}

/** The baseline: the same events straight to PostgreSQL, one statement each, at the same concurrency. */
async function baseline(events: Event[], f: Fixture) {
  const db = knex({ client: 'pg', connection: process.env.TEST_DATABASE_URL, pool: { min: 0, max: Math.min(CONCURRENCY, 60) } });
  try {
    const run = await serializedPairs(events, async (e) => {
      if (e.kind === 'view') await db.raw('update contents set view_count = view_count + 1 where id = ?', [f.contentIds[e.content]]);
      else if (e.kind === 'vote') {
        if (e.value === 0) await db.raw('delete from content_votes where content_id = ? and account_id = ?', [f.contentIds[e.content], f.viewerIds[e.viewer]]);
        else await db.raw('insert into content_votes (content_id, account_id, value, updated_at) values (?, ?, ?, now()) on conflict (content_id, account_id) do update set value = excluded.value, updated_at = excluded.updated_at', [f.contentIds[e.content], f.viewerIds[e.viewer], e.value]);
      } else if (e.on) await db.raw('insert into channel_subscriptions (channel_id, account_id) values (?, ?) on conflict do nothing', [f.channelIds[e.channel], f.viewerIds[e.viewer]]);
      else await db.raw('delete from channel_subscriptions where channel_id = ? and account_id = ?', [f.channelIds[e.channel], f.viewerIds[e.viewer]]);
    });
    return { events_per_s: round(run.perSecond, 0), p50_ms: round(run.latency.p50, 1), p99_ms: round(run.latency.p99, 1) };
  } finally {
    await db.destroy();
  }
}

async function childMain(role: 'api' | 'worker'): Promise<void> {
  const config = loadConfig();
  const deps = await createCoreDeps(config, role);
  if (role === 'api') {
    const api = await startApi(deps, { port: config.PORT, host: config.HOST });
    process.once('SIGTERM', () => void api.close().then(() => closeCoreDeps(deps)).then(() => process.exit(0)));
  } else {
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
    const workers = await createWorkers(deps, connection, { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
    await ensureEngagementSchedule(deps);
    const running = workers.run();
    process.once('SIGTERM', () => {
      workers.shutdown();
      void running.finally(() => closeCoreDeps(deps).then(() => process.exit(0)));
    });
  }
  process.stdout.write('READY\n');
}

if (process.argv[2] === '--role') {
  childMain(process.argv[3] as 'api' | 'worker').catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runBench(async () => {
    const db = createDb(process.env.TEST_DATABASE_URL!, 10);
    try {
      const events = makeEvents();
      const owner = newId('acc');
      await db('accounts').insert({ id: owner, email: `${owner}@bench.test`, name: 'Bench owner', kind: 'talent', status: 'active', verified_at: db.fn.now() });
      const viewerIds = await seedViewers(db);
      const pg = await measureAdapter('postgres', db, viewerIds, events, owner);
      const redis = await measureAdapter('redis', db, viewerIds, events, owner);
      const { contentIds, channelIds } = await seedContents(db, owner);
      const base = await baseline(events, { viewerIds, contentIds, channelIds });
      console.log(
        JSON.stringify({
          bench: 'engagement',
          events: EVENTS,
          contents: CONTENTS,
          viewers: VIEWERS,
          concurrency: CONCURRENCY,
          flush_interval: FLUSH_INTERVAL,
          cpus: os.availableParallelism(),
          postgres: { ...pg.result, vs_baseline: round(pg.result.events_per_s_accepted / base.events_per_s, 2) },
          redis: { ...redis.result, vs_baseline: round(redis.result.events_per_s_accepted / base.events_per_s, 2) },
          baseline: base,
        }),
      );
    } finally {
      await db.destroy();
    }
  });
}
