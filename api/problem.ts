import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

/** One bad field of a request, by its JSON path ("recipients[1].share.percent"). */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/**
 * An error that answers as an RFC 9457 problem. Throw it from any handler; the error handler
 * renders it. `type` is a stable URI-ish slug clients may switch on.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export const problems = {
  badRequest: (detail: string, errors?: FieldError[]) => new ProblemError(400, 'invalid-request', detail, errors),
  unauthorized: (detail = 'A valid access token is required.') => new ProblemError(401, 'unauthorized', detail, undefined, {}, { 'WWW-Authenticate': 'Bearer' }),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', detail),
  notFound: (what: string) => new ProblemError(404, 'not-found', `${what} was not found.`),
  conflict: (detail: string, extensions?: Record<string, unknown>) => new ProblemError(409, 'conflict', detail, undefined, extensions),
  unprocessable: (detail: string, errors?: FieldError[], extensions?: Record<string, unknown>) => new ProblemError(422, 'unprocessable', detail, errors, extensions),
  field: (field: string, message: string) => new ProblemError(422, 'unprocessable', `${field}: ${message}`, [{ field, message }]),
  tooMany: (detail: string, retryAfterSeconds: number) => new ProblemError(429, 'rate-limited', detail, undefined, { retryAfter: retryAfterSeconds }, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  unavailable: (detail: string) => new ProblemError(503, 'unavailable', detail),
  /** A `Range` that selects no byte of a `size`-byte file: 416 with `Content-Range: bytes *\/size` (RFC 9110 §15.5.17). */
  rangeNotSatisfiable: (size: number) =>
    new ProblemError(416, 'range-not-satisfiable', `The range selects no byte of this ${size}-byte file.`, [{ field: 'Range', message: `must select bytes within 0-${Math.max(0, size - 1)}` }], { size }, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' }),
};

/** RFC 9457's own members: an extension of the same name never replaces them (a `status` extension would break every client). */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

export function problemBody(status: number, type: string, detail?: string, errors?: FieldError[], extensions: Record<string, unknown> = {}, instance?: string): ProblemBody {
  const safeExtensions = Object.fromEntries(Object.entries(extensions).filter(([name]) => !RESERVED.has(name)));
  return {
    type: type.startsWith('about:') || type.includes('://') ? type : `https://limelight.dev/problems/${type}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...(errors && errors.length ? { errors } : {}),
    ...safeExtensions,
  };
}

export function problemResponse(c: Context, status: ContentfulStatusCode, type: string, detail?: string, errors?: FieldError[], extensions?: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  const body = problemBody(status, type, detail, errors, extensions, c.req.path);
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });
}

/** Zod issues → one FieldError per bad field, paths written as `a.b[2].c`. */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), prefix ?? '');
    return { field: path || '(body)', message: issue.message };
  });
}
