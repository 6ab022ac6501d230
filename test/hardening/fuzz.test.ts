import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { HOSTILE_CURSORS, HOSTILE_SEGMENTS, HOSTILE_STRINGS, Pick, rng, SchemaSampler, type Json } from './fuzz/generate';

/**
 * Schema-driven fuzzing of every operation /openapi.json documents (whatever capabilities exist
 * when it runs): seeded requests, valid-looking and hostile, as anonymous, fan, talent, admin or
 * with a forged token. The API must never answer 5xx, and every 4xx must be a problem document;
 * the response guard (startTestStack) also checks every answer against the document.
 *
 *   FUZZ_SEED=<n> FUZZ_REQUESTS=<n> npx jest test/hardening/fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 8;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { type: string; schema?: Json; required: boolean };
  secured: boolean;
}

interface Sent {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: string;
}

describe(`fuzzing every documented operation (seed ${SEED}, ${REQUESTS} requests)`, () => {
  let stack: TestStack;
  let doc: Json & { paths: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json>; parameters?: Record<string, Json> } };
  let accounts: Record<'fan' | 'talent' | 'admin', TestAccount>;

  beforeAll(async () => {
    stack = await startTestStack();
    doc = (await stack.http.get('/openapi.json')).body;
    accounts = {
      fan: await createActiveAccount(stack.deps, { kind: 'fan' }),
      talent: await createActiveAccount(stack.deps, { kind: 'talent' }),
      admin: await createActiveAccount(stack.deps, { roles: ['admin'] }),
    };
  });
  afterAll(() => stack.stop());

  function operations(): Operation[] {
    const ops: Operation[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, raw] of Object.entries(item)) {
        const op = raw as { parameters?: (Parameter | { $ref: string })[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> }; security?: unknown[] };
        const parameters = (op.parameters ?? []).map((p) => ('$ref' in p ? (doc.components!.parameters![p.$ref.split('/').pop()!] as unknown as Parameter) : p));
        const content = op.requestBody?.content ?? {};
        const type = Object.keys(content)[0];
        ops.push({
          method: method.toUpperCase(),
          path,
          parameters,
          body: type ? { type, schema: content[type].schema, required: Boolean(op.requestBody?.required) } : undefined,
          secured: (op.security ?? []).some((s) => Object.keys(s as object).length > 0),
        });
      }
    }
    return ops;
  }

  it('never answers 5xx, and every 4xx is application/problem+json', async () => {
    const pick = new Pick(rng(SEED));
    const sampler = new SchemaSampler(doc, pick);
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    const ids = ['nope_123', accounts.fan.id, accounts.talent.id, accounts.admin.id];

    const build = (op: Operation) => {
      const hostile = pick.chance(0.5);
      const path = op.path.replace(/\{[^}]+\}/g, () => (hostile && pick.chance(0.5) ? pick.one(HOSTILE_SEGMENTS) : encodeURIComponent(pick.one(ids))));
      const query: string[] = [];
      const headers: Record<string, string> = {};
      for (const p of op.parameters) {
        if (p.in === 'query' && (p.required || pick.chance(0.6))) {
          let value: unknown = p.name === 'cursor' ? pick.one(HOSTILE_CURSORS) : hostile && pick.chance(0.4) ? pick.one(HOSTILE_STRINGS) : sampler.valid(p.schema);
          if (typeof value === 'object') value = JSON.stringify(value);
          // A lone surrogate cannot be percent-encoded: send the bytes a client would (invalid UTF-8).
          const encoded = String(value).startsWith('%') ? String(value) : encodeURIComponent(String(value).replace(/[\ud800-\udfff]/g, '?')).replace('%3F', pick.chance(0.3) ? '%ED%A0%80' : '%3F');
          query.push(`${encodeURIComponent(p.name)}=${encoded}`);
        }
        if (p.in === 'header' && pick.chance(0.5)) {
          const value = p.name.toLowerCase() === 'range' ? pick.one(['bytes=-0', 'bytes=999999999-', 'bytes=5-4', 'bytes=0-', 'bytes=x', 'bytes=0-1,2-3']) : String(sampler.valid(p.schema)).replace(/[^\x21-\x7e]/g, 'x');
          headers[p.name] = value || 'x';
        }
      }
      if (hostile && pick.chance(0.2)) query.push(pick.one(['q=%00', 'limit=9223372036854775808', 'limit=-1', 'limit=abc', 'cursor=' + pick.one(HOSTILE_CURSORS), '__proto__=1', 'a%00=1']));
      const who = pick.one(['anonymous', 'fan', 'talent', 'admin', 'admin', 'forged'] as const);
      if (who === 'forged') headers.authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.invalid';
      else if (who !== 'anonymous') headers.authorization = `Bearer ${accounts[who].token}`;
      if (op.method === 'POST' && pick.chance(0.3)) headers['Idempotency-Key'] = pick.chance(0.8) ? `fuzz-${pick.int(0, 20)}` : 'bad key\u00e9';

      let body: string | undefined;
      if (op.body || (op.method !== 'GET' && op.method !== 'DELETE' && pick.chance(0.2))) {
        const kind = pick.int(0, 9);
        if (op.body?.type === 'multipart/form-data' && kind < 7) {
          const boundary = 'fuzzboundary';
          headers['content-type'] = pick.chance(0.8) ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data';
          body = `--${boundary}\r\nContent-Disposition: form-data; name="${pick.one(['video', 'media', 'file', 'x'])}"; filename="${pick.one(['a.mp4', 'a.txt', '\u0000.mp4'])}"\r\nContent-Type: ${pick.one(['video/mp4', 'text/plain'])}\r\n\r\n${'x'.repeat(pick.int(0, 2000))}\r\n--${boundary}--\r\n`;
        } else if (kind === 7) {
          headers['content-type'] = pick.one(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']);
          body = 'a=1&b=2';
        } else if (kind === 8) {
          headers['content-type'] = 'application/json';
          body = pick.one(['{', '{"a":', '[1,2', '"\\ud800"', 'null', '', ' ', '{"a":1}{"b":2}', '\u0000']);
        } else {
          headers['content-type'] = 'application/json';
          const value = hostile ? sampler.hostile(op.body?.schema) : sampler.valid(op.body?.schema);
          body = JSON.stringify(value ?? null);
        }
      }
      return { method: op.method, url: `${path}${query.length ? `?${query.join('&')}` : ''}`, headers, body };
    };

    const requests = Array.from({ length: REQUESTS }, (_, i) => build(ops[i % ops.length]));
    // The prototype-keyed docs assets, the forged Host, the unsatisfiable ranges: the known cases, always sent.
    for (const file of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) requests.push({ method: 'GET', url: `/docs/assets/${file}`, headers: {}, body: undefined });

    const failures: Sent[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const res = await fetch(stack.api!.url + request.url, { method: request.method, headers: request.headers, body: request.body });
        const text = await res.text();
        const contentType = res.headers.get('content-type') ?? '';
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const sent = { method: request.method, url: request.url.slice(0, 200), status: res.status, contentType, body: text.slice(0, 300) };
        if (res.status >= 500) failures.push(sent);
        else if (res.status >= 400 && !contentType.startsWith('application/problem+json')) failures.push(sent);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // One JSON line: what ran, how long, what came back.
    process.stdout.write(`${JSON.stringify({ fuzz: { seed: SEED, requests: requests.length, operations: ops.length, ms: Date.now() - started, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) } })}\n`);
    expect(failures.slice(0, 25)).toEqual([]);
    expect(stack.responseViolations.slice(0, 25)).toEqual([]);
  });
});
