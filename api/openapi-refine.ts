/**
 * What every operation shares, written into the OpenAPI document in one place instead of on each
 * route: an operationId, explicit `security: []` on public operations, the `Idempotency-Key`
 * header on authenticated POSTs, and the answers the platform's middleware can give to any
 * request (400 for unsafe text, 401 without a token, 413/415 for bodies, 409/422 for idempotency).
 * It also rewrites zod's nullable references into a form clients and validators read as intended.
 */

type Json = Record<string, unknown>;
type Operation = Json & { responses?: Record<string, Json>; parameters?: Json[]; security?: unknown[]; requestBody?: Json; operationId?: string };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const GENERIC: Record<string, string> = {
  400: 'Invalid request: a field breaks the schema, or a string holds a NUL byte or a lone surrogate (the problem names the field)',
  401: 'Missing or invalid access token',
  409: 'A request with this Idempotency-Key is still being processed, or the first one failed',
  413: 'Body too large',
  415: 'Unsupported Content-Type (this operation reads application/json)',
  422: 'Rejected by a business rule, or the Idempotency-Key was used with another body',
  500: 'An unexpected failure on our side (logged); the problem carries no internals',
};

export const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retried POST safe, for a caller with a valid access token (anonymous requests are not covered): the first answer is kept for IDEMPOTENCY_TTL_HOURS and replayed (with `Idempotent-Replayed: true`) for the same caller, route, key and body; the same key with another body is a 422; 5xx answers are not kept.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
};

/** `POST /v1/shoutouts/{id}/video` → `postShoutoutsByIdVideo`: stable, readable, unique per path and method. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? `By ${param[1]}` : segment;
    })
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** `allOf: [{$ref}, {type: [object, null]}]` (zod's nullable reference) → `anyOf: [{$ref}, {type: null}]`. */
function fixNullableRefs(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(fixNullableRefs);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  const allOf = schema.allOf as Json[] | undefined;
  if (Array.isArray(allOf) && allOf.length === 2 && typeof allOf[0]?.$ref === 'string') {
    const second = allOf[1];
    const types = second?.type;
    if (Array.isArray(types) && types.includes('null') && Object.keys(second).length === 1) {
      delete schema.allOf;
      schema.anyOf = [allOf[0], { type: 'null' }];
    }
  }
  for (const value of Object.values(schema)) fixNullableRefs(value);
}

function addResponse(op: Operation, status: number): void {
  op.responses ??= {};
  if (!op.responses[status]) op.responses[status] = { description: GENERIC[status], content: PROBLEM };
}

const isSecured = (op: Operation) => Array.isArray(op.security) && op.security.some((s) => s && Object.keys(s as object).length > 0);

/** Returns `doc` completed in place (see the file comment). */
export function refineOpenApiDocument<T>(doc: T): T {
  const document = doc as Json & { paths?: Record<string, Record<string, Operation>>; components?: Json; info?: Json };
  document.info ??= {};
  (document.info as Json).license ??= { name: 'Proprietary', identifier: 'LicenseRef-Limelight-Proprietary' };
  const components = (document.components ??= {}) as Json;
  const parameters = ((components.parameters as Json | undefined) ??= {}) as Json;
  parameters.IdempotencyKey = IDEMPOTENCY_KEY_PARAMETER;
  components.parameters = parameters;

  const used = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      let id = op.operationId ?? operationIdOf(method, path);
      while (used.has(id)) id += '_';
      op.operationId = id;
      used.add(id);
      op.security ??= [];
      // Any request may carry a bad query or path string: the text guard answers 400.
      addResponse(op, 400);
      addResponse(op, 500);
      // A 416 is always a problem naming Range (api/middleware/range-problem.ts).
      const range = op.responses?.['416'];
      if (range && !range.content) range.content = PROBLEM;
      if (isSecured(op)) addResponse(op, 401);
      const json = Boolean((op.requestBody?.content as Json | undefined)?.['application/json']);
      if (json) {
        addResponse(op, 413);
        addResponse(op, 415);
      }
      // Idempotency-Key: every POST under /v1 but the token endpoints honours it for a caller with a token.
      if (method === 'post' && path.startsWith('/v1/') && !path.startsWith('/v1/auth/')) {
        op.parameters = (op.parameters ?? []).filter((p) => !(p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key'));
        op.parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
        addResponse(op, 409);
        addResponse(op, 422);
      }
    }
  }
  fixNullableRefs(document.paths);
  fixNullableRefs(components.schemas);
  return doc;
}
