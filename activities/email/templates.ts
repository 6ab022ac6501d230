import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../platform/paths';

/**
 * One folder per message kind under activities/email/templates/<kind>/ holding `subject.txt`,
 * `text.txt` and `html.html`. `{{name}}` is replaced by the variable (HTML-escaped in html.html);
 * `{{{name}}}` inserts it raw. The HTML is wrapped in templates/_layout/layout.html.
 */
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'activities', 'email', 'templates');

export type TemplateVars = Record<string, string | number | boolean | null | undefined>;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const cache = new Map<string, string>();

function read(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

const escapeHtml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// `{{{name}}}` (raw) or `{{name}}` (escaped), matched in ONE pass over the template: what a
// variable brings in is data, never scanned again, so `{{ secret }}` in user text stays text.
const PLACEHOLDER = /\{\{\{\s*(\w+)\s*\}\}\}|\{\{\s*(\w+)\s*\}\}/g;

function fill(template: string, vars: TemplateVars, escape: (v: string) => string): string {
  return template.replace(PLACEHOLDER, (_, raw: string | undefined, escaped: string | undefined) => {
    const name = (raw ?? escaped)!;
    if (!Object.hasOwn(vars, name)) throw new Error(`template variable "${name}" is missing`);
    const value = String(vars[name] ?? '');
    return raw ? value : escape(value);
  });
}

export function templateExists(kind: string): boolean {
  return /^[a-z0-9-]+$/.test(kind) && fs.existsSync(path.join(TEMPLATES_DIR, kind, 'subject.txt'));
}

export function renderEmail(kind: string, vars: TemplateVars): RenderedEmail {
  if (!templateExists(kind)) throw new Error(`no email template "${kind}"`);
  const dir = path.join(TEMPLATES_DIR, kind);
  const subject = fill(read(path.join(dir, 'subject.txt')), vars, (v) => v).trim();
  const text = fill(read(path.join(dir, 'text.txt')), vars, (v) => v);
  const content = fill(read(path.join(dir, 'html.html')), vars, escapeHtml);
  // The layout is filled once too: the content it wraps is already-filled HTML, inserted as is.
  const html = fill(read(path.join(TEMPLATES_DIR, '_layout', 'layout.html')), { subject, content }, escapeHtml);
  return { subject, text, html };
}
