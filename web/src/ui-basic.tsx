import type { ReactNode } from 'react';
import { ApiError } from './api/client';

/** The problem's detail and the errors that name no field on this form; never a blank page. */
export function ProblemAlert({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <div role="alert" className="alert">{error instanceof Error ? error.message : 'Something went wrong.'}</div>;
  const others = (error.problem.errors ?? []).filter((e) => !fields.includes(e.field));
  return (
    <div role="alert" className="alert">
      <strong>{error.problem.title}</strong>
      {error.problem.detail && <span> — {error.problem.detail}</span>}
      {others.length > 0 && (
        <ul>
          {others.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
