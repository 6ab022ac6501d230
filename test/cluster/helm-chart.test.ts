/**
 * The Helm chart (deploy/helm/limelight) through the real helm binary (built by
 * scripts/install-cluster-tools.sh into .tools/bin): `helm lint`, then the manifests `helm template`
 * renders — probes on /readyz and /healthz, no secret in a ConfigMap, pinned image tags, the
 * migration hook, PDBs, HPAs, resource requests, the media worker apart, Temporal Cloud values.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '../../platform/config';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'limelight');
const HELM = path.join(ROOT, '.tools', 'bin', 'helm');

type Manifest = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

// helm built with `go install` assumes Kubernetes 1.20 unless told; the chart needs >= 1.25.
const KUBE = ['--kube-version', '1.31.0'];
const BASE = ['--set', 'image.tag=1.4.2', '--set', 'postgresql.url=postgres://limelight:pw@db:5432/limelight', '--set', 'secrets.JWT_SECRET=0123456789abcdef0123456789abcdef-test', '--set', 'secrets.STRIPE_SECRET_KEY=sk_test_123'];

async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(HELM, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
}

async function render(extra: string[] = []): Promise<Manifest[]> {
  const { stdout } = await helm(['template', 'limelight', CHART, ...KUBE, ...BASE, ...extra]);
  return parseAllDocuments(stdout).map((d) => d.toJSON()).filter(Boolean) as Manifest[];
}

const SECRET_NAME = /(SECRET|PASSWORD|PRIVATE_KEY|API_KEY|TOKEN|DSN|TLS_KEY|^DATABASE_URL$|^SMTP_URL$|^REDIS_URL$)/;

describe('Helm chart deploy/helm/limelight', () => {
  beforeAll(() => {
    if (!fs.existsSync(HELM)) throw new Error(`${HELM} missing: run "npm run tools:install"`);
  });

  it('passes helm lint', async () => {
    const { stdout } = await helm(['lint', CHART, ...BASE]);
    expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders api and worker Deployments with probes, requests, pinned images and a separately scaled media worker', async () => {
    const manifests = await render();
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    // Workers are per build (Worker Versioning): Helm keeps the old build's on upgrade until it drains.
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['limelight-api', 'limelight-media-worker-1-4-2', 'limelight-worker-1-4-2']);
    for (const d of deployments.filter((x) => x.metadata.name.includes('worker'))) {
      expect(d.metadata.annotations).toMatchObject({ 'helm.sh/resource-policy': 'keep' });
      expect(d.spec.selector.matchLabels['limelight.dev/build-id']).toBe('1-4-2');
    }
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        expect(c.image).toBe('ghcr.io/limelight/limelight:1.4.2');
        expect(c.resources.requests.cpu).toBeTruthy();
        expect(c.resources.requests.memory).toBeTruthy();
        expect(c.readinessProbe).toBeTruthy();
        expect(c.livenessProbe).toBeTruthy();
      }
    }
    const api = deployments.find((d) => d.metadata.name === 'limelight-api')!.spec.template.spec.containers[0];
    expect(api.readinessProbe.httpGet.path).toBe('/readyz');
    expect(api.livenessProbe.httpGet.path).toBe('/healthz');
    expect(api.env).toEqual(expect.arrayContaining([{ name: 'API_DRAIN_DELAY', value: '10s' }]));
    const envOf = (name: string) => Object.fromEntries(deployments.find((d) => d.metadata.name === name)!.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(envOf('limelight-worker-1-4-2')).toMatchObject({ WORKER_TASK_QUEUES: 'main', WORKER_BUILD_ID: '1.4.2', WORKER_DEPLOYMENT_NAME: 'limelight' });
    expect(envOf('limelight-media-worker-1-4-2')).toMatchObject({ WORKER_TASK_QUEUES: 'media', WORKER_BUILD_ID: '1.4.2' });

    const hpas = manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['limelight-media-worker-1-4-2', 'limelight-worker-1-4-2']);
    const pdbs = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(['limelight-api', 'limelight-media-worker-1-4-2', 'limelight-worker-1-4-2']);

    // After the upgrade a hook makes the new build current.
    const setCurrent = manifests.find((m) => m.kind === 'Job' && m.metadata.name === 'limelight-set-current')!;
    expect(setCurrent.metadata.annotations!['helm.sh/hook']).toBe('post-install,post-upgrade');
    expect(setCurrent.spec.template.spec.containers[0].command).toEqual(['npm', 'run', 'worker:deployment', '--', 'set-current', '--timeout', '600']);

    // Unversioned: one Deployment per kind, no build id.
    const plain = (await render(['--set', 'worker.versioning=false'])).filter((m) => m.kind === 'Deployment').map((d) => d.metadata.name).sort();
    expect(plain).toEqual(['limelight-api', 'limelight-media-worker', 'limelight-worker']);
  });

  it('keeps secrets out of ConfigMaps, and every configured variable is one of the configuration table', async () => {
    const manifests = await render(['--set', 'config.SHOUTOUT_PLATFORM_FEE_BPS=2000']);
    const known = new Set(Object.keys(configSchema.shape));
    const configMaps = manifests.filter((m) => m.kind === 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    for (const [key, value] of Object.entries(configMaps[0].data ?? {})) {
      expect(known.has(key)).toBe(true);
      expect(key).not.toMatch(SECRET_NAME);
      expect(value).not.toContain('sk_test_123');
      expect(value).not.toContain(':pw@');
    }
    expect(configMaps[0].data).toMatchObject({ NODE_ENV: 'production', TEMPORAL_NAMESPACE: 'default', SHOUTOUT_PLATFORM_FEE_BPS: '2000' });
    const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === 'limelight-secrets')!;
    expect(Object.keys(secret.stringData!).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'STRIPE_SECRET_KEY']);
    for (const key of Object.keys(secret.stringData!)) expect(known.has(key)).toBe(true);

    // A secret put under `config` is refused, not rendered.
    await expect(render(['--set', 'config.STRIPE_SECRET_KEY=sk_live_oops'])).rejects.toThrow(/config.STRIPE_SECRET_KEY is a secret/);
  });

  it('refuses an unpinned image', async () => {
    await expect(helm(['template', 'limelight', CHART, ...KUBE, ...BASE, '--set', 'image.tag=latest'])).rejects.toThrow(/pinned version/);
    await expect(helm(['template', 'limelight', CHART, ...KUBE, ...BASE.slice(2)])).rejects.toThrow(/pinned version/);
    const byDigest = await render(['--set', 'image.digest=sha256:' + 'a'.repeat(64)]);
    expect(byDigest.find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0].image).toBe(`ghcr.io/limelight/limelight@sha256:${'a'.repeat(64)}`);
  });

  it('runs migrations as a pre-install/pre-upgrade hook, destructive ones only when asked', async () => {
    const manifests = await render();
    const job = manifests.find((m) => m.kind === 'Job' && m.metadata.name === 'limelight-migrate')!;
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].command).toEqual(['npm', 'run', 'migrate']);
    const contract = (await render(['--set', 'migrations.allowDestructive=true'])).find((m) => m.kind === 'Job' && m.metadata.name === 'limelight-migrate')!;
    expect(contract.spec.template.spec.containers[0].command).toEqual(['npm', 'run', 'migrate', '--', '--allow-destructive']);
  });

  it('points at Temporal Cloud with the values file for it (API key in the Secret, mTLS files mounted)', async () => {
    const cloud = await render(['-f', path.join(CHART, 'values-temporal-cloud.yaml'), '--set', 'secrets.TEMPORAL_API_KEY=tmprl-key']);
    const cm = cloud.find((m) => m.kind === 'ConfigMap')!;
    expect(cm.data!.TEMPORAL_ADDRESS).toMatch(/tmprl\.cloud:7233$/);
    expect(cloud.find((m) => m.kind === 'Secret' && m.metadata.name === 'limelight-secrets')!.stringData!.TEMPORAL_API_KEY).toBe('tmprl-key');
    const mtls = await render(['-f', path.join(CHART, 'values-temporal-cloud.yaml'), '--set', 'temporal.tls.existingSecret=temporal-client-cert']);
    const worker = mtls.find((m) => m.kind === 'Deployment' && m.metadata.name === 'limelight-worker-1-4-2')!.spec.template.spec;
    expect(worker.containers[0].env).toEqual(expect.arrayContaining([{ name: 'TEMPORAL_TLS_CERT', value: '/etc/temporal-tls/tls.crt' }, { name: 'TEMPORAL_TLS_KEY', value: '/etc/temporal-tls/tls.key' }]));
    expect(worker.volumes).toEqual(expect.arrayContaining([{ name: 'temporal-tls', secret: { secretName: 'temporal-client-cert' } }]));
  });
});
