import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Money = Schemas['Money'];
export type Problem = Schemas['Problem'];

/** An API error as the problem document (RFC 9457) describes it; `fields` maps each named field to its message. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly fields: Record<string, string>;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.problem = problem;
    this.fields = Object.fromEntries((problem.errors ?? []).map((e) => [e.field, e.message]));
  }
}

function toProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && 'status' in error && 'title' in error) return error as Problem;
  return { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status, detail: `The server answered ${response.status}.` };
}

// The access token lives only in memory; the refresh token is an httpOnly cookie the page cannot read.
let accessToken: string | null = null;
let expiresAt = 0;
let refreshing: Promise<boolean> | null = null;
const SESSION_HINT = 'limelight.session'; // not a secret: only "a session cookie may exist", so anonymous pages skip a refresh call
const listeners = new Set<() => void>();

export const session = {
  get token() {
    return accessToken;
  },
  set(token: string | null, expiresInSeconds = 0) {
    accessToken = token;
    expiresAt = token ? Date.now() + expiresInSeconds * 1000 : 0;
    if (token) localStorage.setItem(SESSION_HINT, '1');
    else localStorage.removeItem(SESSION_HINT);
    listeners.forEach((l) => l());
  },
  mayExist: () => localStorage.getItem(SESSION_HINT) === '1',
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const SESSION_HEADER = { 'x-limelight-session': '1' } as const;

/** Rotates the cookie and loads a fresh access token; false when there is no session. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const res = await fetch('/v1/auth/session/refresh', { method: 'POST', headers: SESSION_HEADER, credentials: 'same-origin' });
      if (!res.ok) {
        session.set(null);
        return false;
      }
      const body = (await res.json()) as Schemas['SessionAccessToken'];
      session.set(body.accessToken, body.expiresIn);
      return true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A valid access token, refreshed a little before it expires. */
export async function currentToken(): Promise<string | null> {
  if (accessToken && Date.now() < expiresAt - 30_000) return accessToken;
  if (accessToken || session.mayExist()) await refreshSession();
  return accessToken;
}

const auth: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (schemaPath.startsWith('/v1/auth/')) return request;
    const token = await currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Awaits an openapi-fetch call: its data, or an ApiError carrying the problem document. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(toProblem(error, response));
  return data as T;
}

/** Fetches a protected binary (the delivered video, its poster) as an object URL. */
export async function fetchBlobUrl(path: string, headers: Record<string, string> = {}): Promise<string> {
  const token = await currentToken();
  const res = await fetch(path, { headers: token ? { ...headers, Authorization: `Bearer ${token}` } : headers });
  if (!res.ok) throw new ApiError(toProblem(await res.json().catch(() => null), res));
  return URL.createObjectURL(await res.blob());
}

/** Uploads a file with progress (fetch has no upload progress; XMLHttpRequest does). */
export async function uploadWithProgress(path: string, field: string, file: File, onProgress: (fraction: number) => void): Promise<unknown> {
  const token = await currentToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(toProblem(body, new Response(null, { status: xhr.status, statusText: xhr.statusText }))));
    };
    xhr.onerror = () => reject(new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: 'The upload could not reach the server.' }));
    const form = new FormData();
    form.append(field, file);
    xhr.send(form);
  });
}

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  const fmt = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(money.amount / 10 ** digits);
}

/** Major units typed by a person ("25.50") → minor units, in the currency's exponent. */
export function toMinor(text: string, currency: string): number {
  const digits = new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(Number(text.replace(',', '.')) * 10 ** digits);
}

export function toMajor(money: Money): string {
  const digits = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (money.amount / 10 ** digits).toFixed(digits);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
