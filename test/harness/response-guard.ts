import { createHash } from 'node:crypto';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, AppOpenAPI } from '../../api/app-types';

/**
 * Checks every real answer of the API under test against its own /openapi.json: the operation
 * (method + path template) is documented, the status code is documented for it, and a JSON body
 * matches the documented schema of its media type. startTestStack installs it as the app's
 * outermost middleware, so every suite's every request (through stack.http or plain fetch) is
 * checked; violations are collected and make stack.stop() fail the suite.
 *
 * Validators are compiled once per document and schema (the document is the same for every stack
 * of a run), so the guard costs a hash lookup and one validation per JSON answer.
 */
type Json = Record<string, unknown>;
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: Json;
}

interface CompiledDocument {
  ajv: Ajv2020;
  doc: Document;
  /** Path templates as matchers, literal segments first so `/v1/me/library` beats `/v1/me/{id}`. */
  routes: { template: string; regex: RegExp; literals: number }[];
  validators: Map<string, ValidateFunction>;
}

const compiled = new Map<string, CompiledDocument>();
const DOC_ID = 'https://limelight.test/openapi.json';

function compile(text: string): CompiledDocument {
  const key = createHash('sha256').update(text).digest('hex');
  let entry = compiled.get(key);
  if (entry) return entry;
  // Component references resolve against one shared schema, compiled once.
  const doc = JSON.parse(text.replaceAll('"#/components/', `"${DOC_ID}#/components/`)) as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false, validateFormats: true });
  addFormats(ajv);
  for (const format of ['binary', 'byte', 'int32', 'int64', 'float', 'double', 'password']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: DOC_ID, components: doc.components ?? {} });
  const routes = Object.keys(doc.paths).map((template) => {
    const parts = template.split('/').filter(Boolean);
    const regex = new RegExp(`^/${parts.map((p) => (/^\{.+\}$/.test(p) ? '[^/]+' : p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    return { template, regex, literals: parts.filter((p) => !p.startsWith('{')).length };
  });
  routes.sort((a, b) => b.literals - a.literals);
  entry = { ajv, doc, routes, validators: new Map() };
  compiled.set(key, entry);
  return entry;
}

function validatorFor(entry: CompiledDocument, pointer: string, schema: Json): ValidateFunction {
  let validate = entry.validators.get(pointer);
  if (!validate) {
    validate = entry.ajv.compile(schema);
    entry.validators.set(pointer, validate);
  }
  return validate;
}

/** Not API operations: the document itself and the Swagger UI page with its assets. */
const isDocs = (path: string) => path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');

export class ResponseGuard {
  readonly violations: string[] = [];
  private document: Promise<CompiledDocument> | undefined;

  /** The middleware for AppOptions.outermost. */
  readonly middleware = (app: AppOpenAPI): MiddlewareHandler<AppEnv> => {
    return async (c, next) => {
      await next();
      const path = c.req.path;
      if (isDocs(path)) return;
      this.document ??= Promise.resolve(app.request('/openapi.json')).then(async (res) => compile(await res.text()));
      const problem = await this.check(await this.document, c.req.method.toLowerCase(), path, c.req.routePath, c.res);
      if (problem) this.violations.push(`${c.req.method} ${c.req.url.replace(/^https?:\/\/[^/]+/, '')} → ${c.res.status}: ${problem}`);
    };
  };

  private async check(entry: CompiledDocument, method: string, path: string, routePath: string, res: Response): Promise<string | undefined> {
    const route = entry.routes.find((r) => r.regex.test(path) && entry.doc.paths[r.template][method]);
    if (!route) {
      // Nothing documented here: fine when no handler answered either (404, or a middleware's 4xx before routing).
      const handled = routePath && !routePath.endsWith('*');
      return handled ? `route ${routePath} is served but not in /openapi.json` : undefined;
    }
    const op = entry.doc.paths[route.template][method];
    const status = String(res.status);
    const documented = op.responses?.[status] ?? op.responses?.[`${status[0]}XX`] ?? op.responses?.default;
    if (!documented) return `status ${status} is not documented for ${method.toUpperCase()} ${route.template}`;
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const content = documented.content;
    if (!content || Object.keys(content).length === 0) {
      if (!contentType || method === 'head') return undefined;
      const body = await res.clone().arrayBuffer();
      return body.byteLength > 0 ? `a ${contentType} body where ${method.toUpperCase()} ${route.template} ${status} documents none` : undefined;
    }
    if (!contentType) return res.status === 204 || res.status === 304 ? undefined : `no Content-Type; documented: ${Object.keys(content).join(', ')}`;
    const media = content[contentType] ?? Object.entries(content).find(([type]) => type.endsWith('/*') && contentType.startsWith(type.slice(0, -1)))?.[1];
    if (!media) return `Content-Type ${contentType} is not documented (documented: ${Object.keys(content).join(', ')})`;
    if (!contentType.endsWith('json') || !media.schema) return undefined;
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `the ${contentType} body is not JSON`;
    }
    const validate = validatorFor(entry, `${route.template} ${method} ${status} ${contentType}`, media.schema);
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
    return `body does not match ${method.toUpperCase()} ${route.template} ${status} ${contentType}: ${errors} — ${text.slice(0, 300)}`;
  }
}
