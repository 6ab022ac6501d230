import { loadConfig } from '../../platform/config';
import { configVariables } from '../../platform/config/schema-doc';
import { renderEnvExample, renderMarkdown } from '../../scripts/env-example';

describe('configuration documentation (.env.example, README table)', () => {
  const variables = configVariables();

  it('documents every variable loadConfig() reads', () => {
    const documented = new Set(variables.map((v) => v.name));
    const loaded = Object.keys(loadConfig({}));
    expect(loaded.filter((name) => !documented.has(name))).toEqual([]);
    for (const name of ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'BODY_LIMIT_BYTES', 'JWT_SECRET']) expect(documented.has(name)).toBe(true);
  });

  it('gives defaults as written in the environment, and enumerations', () => {
    const byName = Object.fromEntries(variables.map((v) => [v.name, v]));
    expect(byName.PORT).toMatchObject({ defaultValue: '3000', required: false, section: 'platform' });
    expect(byName.DATABASE_URL).toMatchObject({ defaultValue: undefined, required: false });
    expect(byName.NODE_ENV.values).toEqual(['development', 'test', 'production']);
    expect(byName.TRUST_PROXY.defaultValue).toBe('false');
    expect(byName.PORT.description).toMatch(/port/i);
  });

  it('renders .env.example lines that loadConfig accepts once uncommented', () => {
    const text = renderEnvExample(variables);
    const env: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const m = /^#? ?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m && m[2] !== '') env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    }
    expect(Object.keys(env).length).toBeGreaterThan(10);
    expect(() => loadConfig(env)).not.toThrow();
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('renders a Markdown table with one row per variable', () => {
    const rows = renderMarkdown(variables).trim().split('\n');
    expect(rows[0]).toBe('| variable | default | meaning |');
    expect(rows).toHaveLength(variables.length + 2);
  });
});
