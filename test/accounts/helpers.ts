import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../platform/passwords';
import type { AccountKind } from '../../domain/auth';
import { newId } from '../../domain/ids';
import type { CoreDeps } from '../../platform/deps';
import { eventually, type TestStack } from '../harness/stack';

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface MailboxItem {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

export async function mailbox(stack: TestStack, to: string): Promise<MailboxItem[]> {
  const res = await stack.http.get(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  if (res.status !== 200) throw new Error(`mailbox answered ${res.status}`);
  return res.body.items;
}

export function codeIn(mail: MailboxItem): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match) throw new Error(`no code in: ${mail.text}`);
  return match[1];
}

/** Waits for the `count`-th verification email to `to` and returns its code. */
export async function waitForCode(stack: TestStack, to: string, count = 1): Promise<string> {
  const items = await eventually(async () => {
    const all = await mailbox(stack, to);
    return all.length >= count ? all : undefined;
  }, { what: `verification email #${count} to ${to}` });
  return codeIn(items[count - 1]);
}

export async function signUp(stack: TestStack, email = uniqueEmail(), extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const res = await stack.http.post('/v1/accounts', { email, password: PASSWORD, name: 'Ana Test', kind: 'fan', ...extra });
  if (res.status !== 202) throw new Error(`signup answered ${res.status}: ${res.text}`);
  return { id: res.body.id, email };
}

/** Another code than `code`, for wrong attempts. */
export const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** An account with a password, written directly (for suites about login, not signup). */
export async function accountWithPassword(deps: Pick<CoreDeps, 'db' | 'config'>, options: { status?: 'pending_verification' | 'active' | 'deactivated'; kind?: AccountKind; email?: string } = {}) {
  const id = newId('acc');
  const email = options.email ?? uniqueEmail('login');
  const password_hash = await hashPassword(PASSWORD, { N: deps.config.PASSWORD_SCRYPT_N, r: deps.config.PASSWORD_SCRYPT_R, p: deps.config.PASSWORD_SCRYPT_P });
  const status = options.status ?? 'active';
  await deps.db('accounts').insert({ id, email, name: 'Login Test', kind: options.kind ?? 'fan', status, password_hash, verified_at: status === 'active' ? deps.db.fn.now() : null });
  return { id, email, password: PASSWORD };
}
