import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types';
import { ProblemError, type FieldError } from '../problem';

/**
 * Text PostgreSQL cannot store, rejected at the edge with a 400 naming the field: a NUL byte
 * (text columns refuse it, jsonb refuses `\u0000`) or a lone UTF-16 surrogate (jsonb refuses the
 * escape; text would silently get U+FFFD). Path and query are checked by `rejectUnsafeText` before
 * any other middleware; JSON bodies by `unsafeTextIn` from the validators' hook, after
 * authentication, so no body is read for an anonymous caller.
 */
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unsafeTextReason(text: string): string | undefined {
  const m = UNSAFE.exec(text);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'must not contain a NUL character (\\u0000)' : 'must not contain a lone UTF-16 surrogate';
}

const join = (prefix: string, key: string | number) => (typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key);

/** The first string (or object key) in `value` that PostgreSQL cannot store, with its path. */
export function unsafeTextIn(value: unknown, path = ''): FieldError | undefined {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason ? { field: path || '(body)', message: reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeTextIn(value[i], join(path, i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) return { field: join(path, key.replace(/[\u0000\ud800-\udfff]/g, '?')), message: `key ${keyReason}` };
      const found = unsafeTextIn(inner, join(path, key));
      if (found) return found;
    }
  }
  return undefined;
}

export const unsafeTextProblem = (error: FieldError) => new ProblemError(400, 'invalid-request', `${error.field}: ${error.message}.`, [error]);

/** A route template (`/v1/products/{id}`) as a matcher giving each segment's parameter name. */
function templateMatcher(template: string): (segments: string[]) => (string | undefined)[] | undefined {
  const parts = template.split('/').filter(Boolean);
  return (segments) => {
    if (segments.length !== parts.length) return undefined;
    const names: (string | undefined)[] = [];
    for (let i = 0; i < parts.length; i++) {
      const param = /^\{(.+)\}$/.exec(parts[i]);
      if (param) names.push(param[1]);
      else if (parts[i] !== segments[i]) return undefined;
      else names.push(undefined);
    }
    return names;
  };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not UTF-8 percent-encoding: the router keeps it as is, so do we
  }
}

/**
 * Rejects unsafe text in the path (named by its parameter in `templates()`, the documented routes)
 * and in every query parameter, before anything reads them.
 */
export function rejectUnsafeText(templates: () => readonly string[]): MiddlewareHandler<AppEnv> {
  let matchers: ((segments: string[]) => (string | undefined)[] | undefined)[] | undefined;
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const queryAt = url.indexOf('?', start);
    const rawPath = queryAt === -1 ? url.slice(start) : url.slice(start, queryAt);
    const segments = rawPath.split('/').filter(Boolean).map(decode);
    const badSegment = segments.findIndex((s) => unsafeTextReason(s));
    if (badSegment !== -1) {
      matchers ??= templates().map(templateMatcher);
      const names = matchers.map((m) => m(segments)).find((n) => n?.[badSegment]);
      throw unsafeTextProblem({ field: names?.[badSegment] ?? 'path', message: unsafeTextReason(segments[badSegment])! });
    }
    if (queryAt !== -1) {
      for (const [name, values] of Object.entries(c.req.queries())) {
        const nameReason = unsafeTextReason(name);
        if (nameReason) throw unsafeTextProblem({ field: 'query', message: `a parameter name ${nameReason}` });
        for (const value of values) {
          const reason = unsafeTextReason(value);
          if (reason) throw unsafeTextProblem({ field: name, message: reason });
        }
      }
    }
    await next();
  };
}
