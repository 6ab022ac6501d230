import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { businessMetrics } from '../../platform/metrics/business';
import { registerStateGauges } from '../../platform/metrics/gauges';
import { splitMetrics } from '../../activities/splits/metrics';

const ROOT = path.resolve(__dirname, '..', '..');
const RULES = path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
const DASHBOARD = path.join(ROOT, 'deploy', 'grafana', 'limelight-overview.json');
const PROMTOOL = path.join(ROOT, process.env.TOOLS_DIR ?? '.tools', 'bin', 'promtool');

/** Metric names our processes export (as Prometheus sees them: histograms with _bucket/_sum/_count). */
async function exportedNames(): Promise<Set<string>> {
  const registry = new Registry();
  businessMetrics(registry);
  splitMetrics(registry);
  registerStateGauges({ db: (() => undefined) as never, metrics: registry, logger: { warn: () => undefined } as never });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(m.name + suffix);
  }
  // The API's own (api/app.ts), the SDK's (seen in test/operations/logs.test.ts), Prometheus' `up`.
  for (const n of ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_count', 'temporal_workflow_task_schedule_to_start_latency_bucket', 'temporal_activity_schedule_to_start_latency_bucket', 'temporal_worker_task_slots_available', 'up']) names.add(n);
  return names;
}

/** Metric names an expression reads: identifiers followed by `{`, `[` or standing alone, minus PromQL words and labels. */
function metricsIn(expr: string, recorded: Set<string>): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""').replace(/\{[^}]*\}/g, '{}').replace(/\b\d+(\.\d+)?(e[-+]?\d+)?\b/gi, '0').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const words = withoutStrings.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const promql = new Set(['sum', 'rate', 'increase', 'histogram_quantile', 'clamp_min', 'max', 'min', 'and', 'or', 'unless', 'avg', 'count', 'le']);
  return words.filter((w) => !promql.has(w) && !/^\d/.test(w) && !/^[smhd]$/.test(w) && !recorded.has(w));
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('deploy/: Prometheus alert rules and the Grafana dashboard', () => {
  const doc = parse(fs.readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = doc.groups.flatMap((g) => g.rules);
  const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));

  it('has the structure promtool expects: named groups of alerts and recording rules', () => {
    expect(doc.groups.length).toBeGreaterThan(0);
    for (const group of doc.groups) {
      expect(group.name).toEqual(expect.any(String));
      for (const rule of group.rules) {
        expect(Object.keys(rule).every((k) => ['alert', 'record', 'expr', 'for', 'labels', 'annotations', 'keep_firing_for'].includes(k))).toBe(true);
        expect(!!rule.alert !== !!rule.record).toBe(true);
        expect(rule.expr.trim()).not.toBe('');
        if (rule.for) expect(rule.for).toMatch(/^\d+[smhd]$/);
        if (rule.alert) {
          expect(['critical', 'warning']).toContain(rule.labels?.severity);
          expect(rule.annotations?.summary).toEqual(expect.any(String));
        }
      }
    }
    const alerts = rules.flatMap((r) => (r.alert ? [r.alert] : []));
    expect(new Set(alerts).size).toBe(alerts.length);
    for (const name of ['PaymentSuccessRateLow', 'RenewalFailuresHigh', 'CompensationFailures', 'RenewalScheduleLag', 'WorkflowTaskBacklog', 'ActivityTaskBacklog']) expect(alerts).toContain(name);
  });

  it('reads only metrics the processes export, in rules and dashboard panels', async () => {
    const names = await exportedNames();
    const unknownInRules = rules.flatMap((r) => metricsIn(r.expr, recorded).filter((m) => !names.has(m)));
    expect(unknownInRules).toEqual([]);
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: { type: string; targets?: { expr: string }[] }[] };
    expect(dashboard.uid).toBe('limelight-overview');
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(10);
    expect(exprs.flatMap((e) => metricsIn(e, recorded).filter((m) => !names.has(m)))).toEqual([]);
  });

  (fs.existsSync(PROMTOOL) ? it : it.skip)('passes promtool check rules', () => {
    const out = execFileSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });
});
