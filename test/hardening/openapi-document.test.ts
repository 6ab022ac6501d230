import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from '../../scripts/openapi-document';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

type Operation = { operationId?: string; security?: unknown[]; parameters?: { $ref?: string; name?: string; in?: string }[]; requestBody?: { content?: Record<string, unknown> }; responses: Record<string, unknown> };

/** The OpenAPI document as a generated client and a second validator meet it (the "OpenAPI" findings). */
describe('hardening: the OpenAPI document', () => {
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; parameters: Record<string, { name: string }> } };
  const operations = () => Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ path: p, method, op })));

  beforeAll(async () => {
    doc = (await openApiDocument()) as typeof doc;
  });

  it('declares nullable money as Money or null, valid by its own schema', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const property = (schema: string, field: string) => {
      const s = doc.components.schemas[schema] as { properties: Record<string, unknown> };
      return JSON.parse(JSON.stringify(s.properties[field]).replaceAll('"#/components/', '"doc#/components/'));
    };
    for (const [schema, field] of [['Talent', 'businessPrice'], ['TalentInput', 'businessPrice'], ['Shoutout', 'platformFee'], ['Shoutout', 'talentShare'], ['Subscription', 'refunded']]) {
      const validate = ajv.compile(property(schema, field));
      expect({ schema, field, null: validate(null), money: validate({ amount: 100, currency: 'USD' }), junk: validate('x') }).toEqual({ schema, field, null: true, money: true, junk: false });
    }
  });

  it('gives every operation a unique operationId and explicit security', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of operations()) expect({ p, method, security: Array.isArray(op.security) }).toEqual({ p, method, security: true });
    expect(doc.paths['/v1/talents'].get.security).toEqual([]);
  });

  it('declares Idempotency-Key (that spelling) on every POST under /v1 but the token endpoints', () => {
    expect(doc.components.parameters.IdempotencyKey.name).toBe('Idempotency-Key');
    const posts = operations().filter(({ path: p, method }) => method === 'post' && p.startsWith('/v1/') && !p.startsWith('/v1/auth/'));
    expect(posts.map((o) => o.path)).toEqual(expect.arrayContaining(['/v1/purchases', '/v1/subscriptions', '/v1/admin/payments/{id}/refund', '/v1/admin/shoutouts/{id}/refund']));
    for (const { path: p, op } of posts) {
      expect({ p, key: op.parameters?.filter((x) => x.$ref === '#/components/parameters/IdempotencyKey').length }).toEqual({ p, key: 1 });
      expect(op.parameters?.some((x) => x.name?.toLowerCase() === 'idempotency-key')).toBe(false);
    }
  });

  it('documents /healthz, /readyz, /metrics, the 415 of every JSON body and the split-share rule', () => {
    expect(Object.keys(doc.paths['/readyz'].get.responses).sort()).toEqual(expect.arrayContaining(['200', '503']));
    expect(doc.paths['/healthz'].get).toBeDefined();
    expect(doc.paths['/metrics'].get).toBeDefined();
    for (const { path: p, method, op } of operations()) {
      if (op.requestBody?.content?.['application/json']) expect({ p, method, has415: '415' in op.responses }).toEqual({ p, method, has415: true });
    }
    const share = JSON.stringify(doc.components.schemas.SplitShare);
    expect(share).toMatch(/sum to exactly 100/);
    expect(share).toMatch(/after the fee/);
    expect(share).toMatch(/four decimals/);
  });

  it("passes Redocly's recommended rules with zero errors (npm run lint:openapi)", async () => {
    const file = path.join(ROOT, '.data', `openapi-lint-${process.pid}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(doc));
    try {
      const { stdout, stderr } = await run(path.join(ROOT, 'node_modules', '.bin', 'redocly'), ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format=summary'], {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      expect(`${stdout}${stderr}`).toMatch(/valid/i);
      expect(`${stdout}${stderr}`).not.toMatch(/^error/m);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 60_000);
});
